"""Theme hubs: search within the theme, downloads and bounded queries."""

import pytest
from modelsearch.backends import get_search_backend

from knowledgebase.models import Finding, Study
from tests.knowledgebase.test_queries import linked  # noqa: F401 (fixture at two data sizes)

pytestmark = pytest.mark.django_db

# The theme hub, the search page and the gap map each stay under this whatever the data size.
# The search page is the largest. With an empty cache (each test starts with one): facet
# options with their ids (4), the vocabulary (7), one or two candidate queries per
# kind (7 kinds), facet counts (7) and the result rows with their prefetches. A repeat of the
# same search only loads the result rows (test_search_cache.py).
MAX_QUERIES = 45


def test_theme_hub_sections(client, kb):
    html = client.get(kb.quality.get_absolute_url()).content.decode()
    assert 'action="/zoeken/"' in html
    assert 'name="theme" value="kwaliteitsborging"' in html
    assert "/zoeken/export.ris?theme=kwaliteitsborging" in html
    assert "/themas/kaart/" in html
    # Findings by strength, countries on the theme, open questions, related themes.
    assert html.index(kb.strong_finding.statement) < html.index(kb.weak_finding.statement)
    assert "Landelijk kader" in html
    assert kb.open_question.question in html
    assert "Individuele leerbudgetten" in html


def test_search_within_theme(client, kb):
    response = client.get(
        "/zoeken/", {"q": "guidance", "theme": "individuele-leerbudgetten", "kind": "onderzoek"}
    )
    assert [r.title for r in response.context["results"]] == [
        "Lifelong guidance policies: a European resource kit"
    ]


def test_bounded_queries(client, linked, django_assert_max_num_queries):  # noqa: F811
    """Theme hub, search (with and without facets) and gap map: the same cap at 10 and 1,000."""
    backend = get_search_backend()
    backend.add_bulk(Study, list(Study.objects.all()))
    backend.add_bulk(Finding, list(Finding.objects.all()))
    urls = [
        "/themas/thema/",
        "/zoeken/?q=Studie",
        "/zoeken/?q=Studie&kind=onderzoek&theme=thema&country=FI&type=report&strength=moderate",
        "/zoeken/?q=Bevinding&kind=bevindingen&theme=thema&page=2",
        "/zoeken/?kind=vragen&theme=thema",
        "/zoeken/?theme=thema&country=FI",
        "/zoeken/export.ris?theme=thema",
        "/zoeken/bevindingen.csv?theme=thema",
        "/themas/kaart/",
        "/themas/kaart/?as=modellen",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
