"""The public knowledge-infrastructure pages: /kennisinfrastructuur/ and its model pages."""

import re

import pytest

from knowledgebase.models import Organisation, OrganisationRelation, Study
from knowledgebase.selectors import PREVIEW_LIMIT
from tests.factories import (
    OrganisationFactory,
    OrganisationRelationFactory,
    StudyFactory,
    cited_paragraphs,
    cited_points,
    link_many,
    make_country,
    make_example,
    make_model,
    model_index,
)
from tests.html_checks import assert_heading_outline

pytestmark = pytest.mark.django_db

# Two of them find the language of the page (kit.translations), one reads the page's
# editions for "Citeer deze pagina" (kit.editions).
MODEL_MAX_QUERIES = 22
INDEX_MAX_QUERIES = 12


@pytest.fixture
def network(site_tree):
    """A published network model with an example, organisations, relations and studies."""
    study = StudyFactory(title="Kennisinfrastructuur in Europa", year=2024, authors=["Vries, B. de"])
    model = make_model(
        "network",
        title="Netwerk",
        summary="Kennis ontstaat in een netwerk van gelijkwaardige partners.",
        definition="<p>Een netwerk van organisaties zonder centrale spil.</p>",
        strengths=cited_points(("Veel partners dragen bij.", [(study, "p. 14")])),
        points_of_attention=cited_points(("Regie kan ontbreken.", [(study, "p. 15")])),
    )
    country = make_country("FI", title="Finland", infrastructure_model=model)
    make_country("NO", title="Noorwegen", infrastructure_model=model)
    agency = OrganisationFactory(name="KEHA-keskus", slug="keha", country_code="FI")
    university = OrganisationFactory(name="Universiteit van Jyväskylä", slug="jyu", kind="research")
    outsider = OrganisationFactory(name="Buitenstaander")
    OrganisationRelationFactory(organisation=agency, target=university, kind="commissions_research_from")
    OrganisationRelationFactory(organisation=agency, target=outsider, kind="funds")
    make_example(
        model,
        title="Het Finse netwerk",
        country=country,
        organisations=[agency, university],
        description="Regionale centra en universiteiten werken samen.",
        research_commissioning="Het ministerie zet onderzoek uit via het netwerk.",
        funding="Structureel uit de begroting.",
        reach_practice_policy="Via jaarlijkse conferenties.",
        source_study=study,
        source_locator="hoofdstuk 4",
    )
    linked = StudyFactory(title="Evaluatie van het netwerkmodel")
    linked.infrastructure_models.add(model)
    linked.save()
    index = model_index()
    index.intro = "Hoe organiseren landen hun kennis?"
    index.central_question = cited_paragraphs(("<p>Hoe komt kennis bij de praktijk?</p>", [(study, "p. 2")]))
    index.activities = cited_points(("Kennis ontwikkelen.", [(study, "p. 3")]))
    index.derivation = cited_paragraphs(("<p>Afgeleid uit twaalf landen.</p>", [(study, "p. 4")]))
    index.comparison = [
        {
            "type": "row",
            "value": {
                "aspect": "Samenwerking",
                "linking_pin": "Eén vast aanspreekpunt.",
                "network": "Het netwerk is flexibel.",
                "loose_relations": "Alleen bij concrete vragen.",
                "sources": [{"study": study.pk, "locator": "p. 5"}],
            },
        }
    ]
    index.follow_up_question = cited_paragraphs(("<p>Welk model past Nederland?</p>", [(study, "p. 6")]))
    index.save_revision().publish()
    return {"model": model, "study": study}


def test_model_page_renders_definition_strengths_and_attention_points(client, network):
    """The model page shows summary, definition, strengths and points of attention, each point
    with its source."""
    html = client.get("/kennisinfrastructuur/network/").content.decode()
    assert "Kennis ontstaat in een netwerk" in html
    assert "Een netwerk van organisaties zonder centrale spil." in html
    assert "Veel partners dragen bij." in html
    assert "Regie kan ontbreken." in html
    assert "p. 14" in html
    assert html.count("<h1") == 1


def test_model_page_renders_examples_with_organisations_and_country(client, network):
    """Each example names its country (linked), organisations (linked to /organisaties/<slug>/),
    how research is commissioned and funded, how results reach practice and policy, and source."""
    html = client.get("/kennisinfrastructuur/network/").content.decode()
    example = html[html.index('id="voorbeelden"') : html.index('id="relaties"')]
    assert "Het Finse netwerk" in example
    assert 'href="/landen/fi/"' in example
    assert 'href="/organisaties/keha/"' in example
    assert 'href="/organisaties/jyu/"' in example
    assert "Het ministerie zet onderzoek uit via het netwerk." in example
    assert "Structureel uit de begroting." in example
    assert "Via jaarlijkse conferenties." in example
    assert "hoofdstuk 4" in example


def test_model_page_lists_relations_between_example_organisations(client, network):
    """Relations are listed as "organisation - relation - target" (with en dashes), only between organisations
    of the examples."""
    html = client.get("/kennisinfrastructuur/network/").content.decode()
    relations = html[html.index('id="relaties"') : html.index('id="landen"')]
    text = re.sub(r"<[^>]+>", "", relations)
    dash = "\N{EN DASH}"
    assert f"KEHA-keskus {dash} geeft onderzoeksopdrachten aan {dash} Universiteit van Jyväskylä" in text
    assert "Buitenstaander" not in relations


def test_model_page_lists_countries_studies_and_sources(client, network):
    """Countries following the model, studies linked to it and the cited sources are listed."""
    html = client.get("/kennisinfrastructuur/network/").content.decode()
    countries = html[html.index('id="landen"') :]
    assert 'href="/landen/fi/"' in countries
    assert 'href="/landen/no/"' in countries
    assert "Evaluatie van het netwerkmodel" in html
    sources = html[html.index('id="bronnen"') :]
    # An author entered as "Vries, B. de" is listed with the particle before the family
    # name, as the reference styles write it.
    assert "de Vries, B. (2024)" in sources


def test_index_renders_question_activities_models_and_sources(client, network):
    """The index shows intro, central question, activities, derivation, comparison and the
    follow-up question (all cited), and a card per live model with its countries."""
    make_model("linking-pin", title="Spilorganisatie-concept", live=False)
    html = client.get("/kennisinfrastructuur/").content.decode()
    for text in [
        "Hoe organiseren landen hun kennis?",
        "Hoe komt kennis bij de praktijk?",
        "Kennis ontwikkelen.",
        "Afgeleid uit twaalf landen.",
        "Het netwerk is flexibel.",
        "Welk model past Nederland?",
    ]:
        assert text in html
    assert html.count('<cite class="citation">') == 5
    cards = html[html.index('id="modellen"') : html.index('id="vergelijking"')]
    assert 'href="/kennisinfrastructuur/network/"' in cards
    assert 'href="/landen/fi/"' in cards
    assert 'href="/landen/no/"' in cards
    assert "Spilorganisatie-concept" not in html
    assert "Kennisinfrastructuur in Europa" in html[html.index('id="bronnen"') :]


def test_headings_do_not_skip_levels(client, network):
    """Headings start at one h1 and never skip a level."""
    for url in ["/kennisinfrastructuur/", "/kennisinfrastructuur/network/"]:
        assert_heading_outline(client.get(url).content.decode(), url)


def _populate(count):
    """A model page with examples holding ``count`` organisations in total, ``count`` relations
    between them and ``count`` linked studies."""
    model = make_model("network", title="Netwerk")
    country = make_country("FI", title="Finland", infrastructure_model=model)
    source = StudyFactory()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Org {i}", slug=f"org-{i}", kind="agency") for i in range(count)
    )
    OrganisationRelation.objects.bulk_create(
        OrganisationRelation(
            organisation=organisations[i],
            target=organisations[(i + 1) % count],
            kind="partners_with",
            source_study=source,
        )
        for i in range(count)
    )
    per_example = max(count // 10, 1)
    for start in range(0, count, per_example):
        make_example(
            model,
            title=f"Voorbeeld {start}",
            country=country,
            organisations=organisations[start : start + per_example],
            source_study=source,
        )
    studies = Study.objects.bulk_create(
        Study(title=f"Studie {i}", slug=f"studie-{i}", study_type="report", summary="-", strength="limited")
        for i in range(count)
    )
    link_many(Study, "infrastructure_models", [study.pk for study in studies], model)
    return model


@pytest.mark.parametrize("count", [10, 1000])
def test_model_page_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """A model page needs at most MODEL_MAX_QUERIES queries with 10 or 1,000 organisations,
    relations and studies."""
    _populate(count)
    client.get("/kennisinfrastructuur/network/")
    with django_assert_max_num_queries(MODEL_MAX_QUERIES):
        response = client.get("/kennisinfrastructuur/network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Org {count - 1}" in html
    # At most PREVIEW_LIMIT studies, with a link to all of them when there are more.
    assert len(response.context["studies"]) == min(count, PREVIEW_LIMIT)
    assert (f"Alle {count} onderzoeken over dit model" in html) == (count > PREVIEW_LIMIT)


@pytest.mark.parametrize("count", [10, 1000])
def test_index_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """The index needs at most INDEX_MAX_QUERIES queries with 10 or 1,000 linked records."""
    _populate(count)
    client.get("/kennisinfrastructuur/")
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        response = client.get("/kennisinfrastructuur/")
    assert response.status_code == 200
