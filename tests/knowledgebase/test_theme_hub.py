"""Theme hubs: search within the theme, downloads and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend

from knowledgebase.models import Finding, Study
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_fact,
)
from tests.knowledgebase.test_queries import linked  # noqa: F401 (fixture at two data sizes)

pytestmark = pytest.mark.django_db

# The theme hub, the search page and the gap map each stay under this whatever the data size.
# The search page is the largest. With an empty cache (each test starts with one): facet
# options with their ids (4), the vocabulary (7), one or two candidate queries per
# kind (7 kinds), facet counts (7) and the result rows with their prefetches. A repeat of the
# same search only loads the result rows (test_search_cache.py).
MAX_QUERIES = 45


def _quality():
    """The theme quality assurance, whose hub the tests below visit."""
    return ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")


def test_theme_hub_sections(client, site_tree):
    """A theme hub has a search within the theme, its downloads, a link to the gap map, its
    findings with the lessons for the Netherlands apart, the countries' facts, its open
    questions and its related themes."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging", related=[budgets])
    # The findings' study is on the theme too: the hub offers downloads of its studies.
    study = StudyFactory(themes=[quality])
    weak_finding = FindingFactory(study=study, strength="limited", themes=[quality])
    strong_finding = FindingFactory(study=study, strength="strong", lesson_for_nl=True, themes=[quality])
    finland = make_country("FI", title="Finland")
    strong_finding.countries.set([finland])
    strong_finding.save()
    open_question = ResearchQuestionFactory(status="open")
    open_question.themes.set([quality])
    open_question.save()
    dimension = DimensionFactory(name="Kwaliteitskader", section="qa_framework")
    dimension.themes.add(quality)
    make_fact(finland, dimension, value="Landelijk kader", source_study=study)
    html = client.get(quality.get_absolute_url()).content.decode().replace("\u00ad", "")
    assert 'action="/zoeken/"' in html
    assert 'name="theme" value="kwaliteitsborging"' in html
    assert "/zoeken/export.ris?theme=kwaliteitsborging" in html
    assert "/themas/kaart/" in html
    # Findings of studies, then the lessons for the Netherlands apart (the strong finding is
    # a lesson), countries on the theme, open questions, related themes.
    assert html.index(weak_finding.statement) < html.index("Lessen voor Nederland (1)")
    assert html.index("Lessen voor Nederland (1)") < html.index(strong_finding.statement)
    assert "Landelijk kader" in html
    assert open_question.question in html
    assert "Individuele leerbudgetten" in html


def test_search_within_theme(client, site_tree):
    """A search from a theme hub finds only the studies on that theme."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    StudyFactory(title="Lifelong guidance policies: a European resource kit", themes=[budgets])
    # Also about guidance, but on another theme: only the theme keeps it out.
    StudyFactory(title="Career guidance in Europe", themes=[_quality()])
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


def _theme_counts(client, quality, finland):
    """(studies on the theme list, on the theme page, in the gap map cell with Finland) for
    the theme quality assurance."""
    listed = {theme.slug: theme.study_count for theme in client.get("/themas/").context["themes"]}
    hub = client.get(quality.get_absolute_url()).context["study_count"]
    for theme, cells in client.get("/themas/kaart/").context["gap_map"].rows:
        if theme == quality:
            cell = next(cell for cell in cells if cell.column == finland)
    return listed["kwaliteitsborging"], hub, cell.studies


def test_counts_follow_unpublishing_at_once(client, site_tree, django_capture_on_commit_callbacks):
    """The theme list, the theme page and the gap map cache their counts, per content
    version: unpublishing a study changes them on the next request."""
    quality = _quality()
    finland = make_country("FI", title="Finland")
    # Two studies on the theme, one of them (with a finding) in Finland, the other in Norway.
    in_finland = StudyFactory(themes=[quality])
    in_finland.countries.set([finland])
    in_finland.save()
    finding = FindingFactory(study=in_finland, themes=[quality])
    finding.countries.set([finland])
    finding.save()
    in_norway = StudyFactory(themes=[quality])
    in_norway.countries.set([make_country("NO", title="Noorwegen")])
    in_norway.save()
    assert _theme_counts(client, quality, finland) == (2, 2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        in_finland.unpublish()
    assert _theme_counts(client, quality, finland) == (1, 1, 0)


@pytest.mark.parametrize("url", ["/themas/", "/themas/kwaliteitsborging/", "/themas/kaart/"])
def test_a_repeat_visit_counts_nothing_again(client, site_tree, url):
    """Counting every record on a theme takes a few hundred milliseconds at 100,000 studies:
    the second visit reads the counts from the cache."""
    # Something to count on the theme and in a country: a study, a finding and an open question.
    quality = _quality()
    finland = make_country("FI", title="Finland")
    study = StudyFactory(themes=[quality])
    study.countries.set([finland])
    study.save()
    FindingFactory(study=study, themes=[quality])
    question = ResearchQuestionFactory(status="open")
    question.themes.set([quality])
    question.countries.set([finland])
    question.save()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]


def test_a_cached_theme_page_never_shows_what_is_no_longer_public(client, site_tree):
    """The theme page caches which findings and studies it lists, not the records: a study
    unpublished without signals (a bulk update) drops out with its findings at once."""
    quality = _quality()
    study = StudyFactory(themes=[quality])
    finding = FindingFactory(study=study, strength="strong", themes=[quality])
    # Another study on the theme that stays public, so the page still lists something.
    FindingFactory(strength="limited", themes=[quality], study=StudyFactory(themes=[quality]))
    url = quality.get_absolute_url()
    html = client.get(url).content.decode().replace("\u00ad", "")  # without soft hyphens
    assert study.get_absolute_url() in html
    assert finding.statement in html
    Study.objects.filter(pk=study.pk).update(live=False)
    html = client.get(url).content.decode().replace("\u00ad", "")  # without soft hyphens
    assert study.get_absolute_url() not in html
    assert finding.statement not in html
