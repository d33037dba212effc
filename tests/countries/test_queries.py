"""The country pages need a fixed number of queries, however much is linked to a country."""

import pytest

from countries.models import CountryFact, CountryWebsite, Dimension
from knowledgebase.codes import COUNTRY_NAMES
from knowledgebase.models import Finding, Organisation, ResearchQuestion, Study
from knowledgebase.selectors import PREVIEW_LIMIT
from tests.factories import (
    OrganisationFactory,
    StudyFactory,
    cited_paragraphs,
    link_many,
    make_country,
    make_example,
    make_model,
)

pytestmark = pytest.mark.django_db

# Wagtail routing, the site and navigation, plus the profile's own reads (model, facts,
# websites, organisations, studies with authors, findings, questions, examples with their
# organisations, one per non-empty section for its citations, the sources list, the
# framework lenses, and the page's editions for "Citeer deze pagina", kit.editions).
# Two of them find the language of the page (kit.translations).
PROFILE_MAX_QUERIES = 28
INDEX_MAX_QUERIES = 12


def _populate(count):
    """A profile with ``count`` facts, websites, organisations, studies, findings and questions."""
    model = make_model("network", title="Netwerk")
    studies = StudyFactory.create_batch(3)
    draft = StudyFactory(live=False)
    page = make_country(
        "FI",
        title="Finland",
        infrastructure_model=model,
        context=cited_paragraphs(*[(f"<p>Alinea {i}</p>", [(studies[i % 3], "p. 1")]) for i in range(count)]),
        qa_framework=cited_paragraphs(("<p>Kader</p>", [(draft, "p. 2"), (studies[0], "p. 3")])),
    )
    dimensions = Dimension.objects.bulk_create(
        Dimension(name=f"Dimensie {i}", slug=f"dim-{i}", section="policy", sort_order=i) for i in range(count)
    )
    CountryFact.objects.bulk_create(
        CountryFact(page=page, dimension=dimension, value=f"Waarde {i}", source_study=studies[i % 3])
        for i, dimension in enumerate(dimensions)
    )
    CountryWebsite.objects.bulk_create(
        CountryWebsite(page=page, name=f"Site {i}", url=f"https://example.org/{i}", source_study=draft)
        for i in range(count)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Org {i}", slug=f"org-{i}", kind="agency", country_code="FI") for i in range(count)
    )
    linked = Study.objects.bulk_create(
        Study(
            title=f"Studie {i}",
            slug=f"studie-{i}",
            study_type="report",
            summary="-",
            strength="limited",
            live=i % 2 == 0,
        )
        for i in range(count)
    )
    link_many(Study, "countries", [study.pk for study in linked], page)
    findings = Finding.objects.bulk_create(
        Finding(
            slug=f"f-{i}", statement=f"Bevinding {i}", study=linked[i], locator="p. 1", strength="limited"
        )
        for i in range(count)
    )
    link_many(Finding, "countries", [finding.pk for finding in findings], page)
    questions = ResearchQuestion.objects.bulk_create(
        ResearchQuestion(question=f"Vraag {i}?", live=True) for i in range(count)
    )
    link_many(ResearchQuestion, "countries", [question.pk for question in questions], page)
    for i in range(min(count, 20)):
        make_example(
            model,
            title=f"Voorbeeld {i}",
            country=page,
            organisations=organisations[i * 3 : i * 3 + 3] or [OrganisationFactory()],
            source_study=studies[0],
        )
    return page


@pytest.mark.parametrize("count", [10, 1000])
def test_profile_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """The profile needs at most PROFILE_MAX_QUERIES queries with 10 or 1,000 linked records."""
    _populate(count)
    client.get("/landen/fi/")
    with django_assert_max_num_queries(PROFILE_MAX_QUERIES):
        response = client.get("/landen/fi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Waarde {count - 1}" in html
    assert f"Org {count - 1}" in html
    # The public studies and findings (every other one is a draft, or a finding of one), at
    # most PREVIEW_LIMIT each, with a link to all of them when there are more.
    public = count // 2
    assert "Studie 0</a>" in html
    assert f"Studie {count - 1}<" not in html
    assert f"Bevinding {count - 1}<" not in html
    assert len(response.context["studies"]) == len(response.context["findings"]) == min(public, PREVIEW_LIMIT)
    assert (f"Alle {public} onderzoeken over Finland" in html) == (public > PREVIEW_LIMIT)
    assert (f"Alle {public} bevindingen uit onderzoek over Finland" in html) == (public > PREVIEW_LIMIT)
    # The questions, all published, capped the same way; the link lists all of them.
    assert len(response.context["research_questions"]) == min(count, PREVIEW_LIMIT)
    assert (f"Vraag {count - 1}?<" in html) == (count <= PREVIEW_LIMIT)
    assert (f"Alle {count} onderzoeksvragen over Finland" in html) == (count > PREVIEW_LIMIT)
    agenda = client.get("/kennisagenda/", {"country": "fi"})
    assert agenda.context["paginator"].count == count


@pytest.mark.parametrize("count", [2, len(COUNTRY_NAMES)])
def test_index_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """/landen/ needs at most INDEX_MAX_QUERIES queries with two profiles or one for every
    known country code (the code is unique and limited to the known codes)."""
    model = make_model("network", title="Netwerk")
    for i, code in enumerate(list(COUNTRY_NAMES)[:count]):
        make_country(code, title=f"Land {i}", infrastructure_model=model if i % 2 else None)
    client.get("/landen/")
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        response = client.get("/landen/")
    assert response.status_code == 200
    assert f"Land {count - 1}" in response.content.decode()
