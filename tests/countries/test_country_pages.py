"""The public country pages: /landen/ and /landen/<slug>/."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import PageViewRestriction

from countries.models import CountryFact, CountryWebsite
from knowledgebase.models import Organisation, Study
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    cited_paragraphs,
    make_country,
    make_example,
    make_fact,
    make_model,
)
from tests.html_checks import assert_heading_outline

pytestmark = pytest.mark.django_db


def _link(study, page):
    study.countries.add(page)
    study.save()


@pytest.fixture
def profile(site_tree):
    """A published Finnish profile with sections, facts, websites, organisations and links."""
    study = StudyFactory(title="Vergelijking van begeleidingsstelsels", year=2023, authors=["Jansen, A."])
    other_study = StudyFactory(title="Evaluatie van de Finse centra", year=2021)
    model = make_model("network", title="Netwerk")
    country = make_country(
        "FI",
        title="Finland",
        infrastructure_model=model,
        last_verified=datetime.date(2025, 3, 1),
        summary="Finland werkt met regionale centra en een sterk netwerk.",
        context=cited_paragraphs(("<p>Contexttekst over Finland.</p>", [(study, "hoofdstuk 2")])),
        policy=cited_paragraphs(("<p>Beleidstekst over Finland.</p>", [(study, "p. 10")])),
        services_education=cited_paragraphs(("<p>Onderwijstekst.</p>", [(other_study, "p. 4")])),
        services_online=cited_paragraphs(("<p>Online diensttekst.</p>", [(study, "p. 12")])),
        qa_research=cited_paragraphs(("<p>Onderzoekstekst.</p>", [(study, "p. 20")])),
        lessons=cited_paragraphs(("<p>Lestekst voor Nederland.</p>", [(study, "p. 30")])),
    )
    page = country
    dimension = DimensionFactory(name="Wettelijke basis", section="policy", sort_order=1)
    quality = DimensionFactory(name="Kwaliteitskader aanwezig", section="qa_framework")
    make_fact(
        page,
        dimension=dimension,
        value="Ja, sinds 2010",
        detail="Vastgelegd in de onderwijswet.",
        source_study=study,
        source_locator="tabel 3",
    )
    make_fact(page, dimension=quality, value="Nationaal kader", source_study=other_study)
    CountryWebsite.objects.create(
        page=page,
        name="Työmarkkinatori",
        url="https://tyomarkkinatori.fi/",
        description="Online loopbaanbegeleiding en vacatures.",
        source_study=study,
    )
    OrganisationFactory(name="KEHA-keskus", country_code="FI", kind="agency")
    OrganisationFactory(name="Zweedse organisatie", country_code="SE")
    _link(other_study, page)
    finding = FindingFactory(statement="Regionale centra verbeteren de toegang.", study=study)
    finding.countries.add(page)
    finding.save()
    question = ResearchQuestionFactory(question="Hoe meet Finland de effecten van begeleiding?")
    question.countries.add(page)
    question.save()
    make_example(model, title="Het Finse netwerk", country=page, organisations=[Organisation.objects.first()])
    return {"page": page, "study": study, "other_study": other_study, "model": model}


def test_profile_renders_sections_in_template_order_with_sources(client, profile):
    """Sections follow the mapping study's order, grouped under Aanbod and Kwaliteitsborging,
    and every paragraph names its source and locator."""
    html = client.get("/landen/fi/").content.decode()
    body = html[html.index('class="profile"') :]
    order = [
        "Contexttekst",
        ">Aanbod<",
        "Onderwijstekst",
        "Online diensttekst",
        ">Kwaliteitsborging<",
        "Onderzoekstekst",
        "Lestekst",
    ]
    positions = [body.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert html.count('<cite class="citation">') >= 6
    assert "hoofdstuk 2" in html
    assert 'aria-label="Inhoudsopgave"' in html
    assert html.count("<h1") == 1


def test_profile_shows_summary_model_and_last_verified(client, profile):
    """The profile shows its summary, its model as a link and the last-verified date."""
    html = client.get("/landen/fi/").content.decode()
    assert "Finland werkt met regionale centra" in html
    assert 'href="/kennisinfrastructuur/network/"' in html
    assert 'datetime="2025-03-01"' in html


def test_facts_table_has_dimension_value_detail_and_source(client, profile):
    """The facts table lists each dimension with its value, detail and source, grouped by
    section in template order, with a caption and header scopes."""
    html = client.get("/landen/fi/").content.decode()
    table = html[html.index('<table class="facts-table">') : html.index("</table>")]
    assert '<caption id="feiten-bijschrift">' in table
    assert 'scope="col"' in table
    assert '<th scope="row">Wettelijke basis</th>' in table
    assert "Ja, sinds 2010" in table
    assert "Vastgelegd in de onderwijswet." in table
    assert "Vergelijking van begeleidingsstelsels" in table
    assert "tabel 3" in table
    assert table.index("Wettelijke basis") < table.index("Kwaliteitskader aanwezig")


def test_contents_list_the_facts_and_websites_which_sit_in_the_profile(client, profile):
    """The table of contents links to the facts and the websites, and holds nothing else: the
    facts table and the websites are in the profile's body, next to the contents."""
    html = client.get("/landen/fi/").content.decode()
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    assert 'href="#feiten"' in toc and 'href="#websites"' in toc and 'href="#bronnen"' in toc
    assert "<table" not in toc and "<section" not in toc
    body = html[html.index('<div class="profile">') :]
    assert '<table class="facts-table">' in body and '<h2 id="websites">' in body


def test_websites_and_organisations_are_listed(client, profile):
    """Websites show what they offer; organisations of the country are listed with their kind,
    those of other countries are not."""
    html = client.get("/landen/fi/").content.decode()
    assert 'href="https://tyomarkkinatori.fi/"' in html
    assert "Online loopbaanbegeleiding en vacatures." in html
    assert "KEHA-keskus" in html
    assert "Uitvoeringsorganisatie" in html
    assert "Zweedse organisatie" not in html


def test_linked_studies_findings_questions_and_examples_are_shown(client, profile):
    """Published studies, findings and questions linked to the country, and model examples set
    in it, appear on the profile; all cited studies are in the sources list."""
    html = client.get("/landen/fi/").content.decode()
    assert "Evaluatie van de Finse centra" in html
    assert "Regionale centra verbeteren de toegang." in html
    assert "Hoe meet Finland de effecten van begeleiding?" in html
    assert "Het Finse netwerk" in html
    sources = html[html.index('id="bronnen"') :]
    assert "Jansen, A. (2023)" in sources
    assert "Vergelijking van begeleidingsstelsels" in sources
    assert "Evaluatie van de Finse centra" in sources


def test_draft_study_cited_in_a_section_is_not_named(client, profile):
    """A citation to a draft study says "niet openbaar" and never shows the study's title."""
    draft = StudyFactory(title="GEHEIM-CONCEPTONDERZOEK", live=False)
    page = profile["page"]
    page.policy = cited_paragraphs(("<p>Tekst met conceptbron.</p>", [(draft, "p. 1")]))
    page.save_revision().publish()
    make_fact(page, value="Nee", source_study=draft)
    html = client.get("/landen/fi/").content.decode()
    assert "Tekst met conceptbron." in html
    assert "niet openbaar" in html
    assert "GEHEIM-CONCEPTONDERZOEK" not in html
    assert draft.get_absolute_url() not in html


def test_index_lists_live_public_countries_only(client, site_tree):
    """/landen/ shows live, public profiles as cards and in the table by model; drafts and
    private profiles are left out."""
    model = make_model("linking-pin", title="Spilorganisatie")
    make_country("FI", title="Finland", infrastructure_model=model, last_verified=datetime.date(2024, 5, 1))
    make_country("NO", title="Noorwegen")
    make_country("SE", title="Zweden-concept", live=False)
    private = make_country("IE", title="Ierland-besloten")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/landen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/landen/fi/"' in html
    assert 'href="/landen/no/"' in html
    assert "Zweden-concept" not in html
    assert "Ierland-besloten" not in html
    table = html[html.index("<table") : html.index("</table>")]
    assert "<caption>" in table
    assert 'scope="rowgroup"' in table
    assert table.index("Spilorganisatie") < table.index("Finland") < table.index("Geen model vastgesteld")
    assert table.index("Geen model vastgesteld") < table.index("Noorwegen")


def test_draft_country_page_is_not_served(client, site_tree):
    """A profile that was never published returns 404."""
    make_country("SE", title="Zweden", live=False)
    assert client.get("/landen/se/").status_code == 404


def test_private_country_page_requires_login(client, site_tree):
    """A profile behind a login restriction redirects anonymous visitors to the login page."""
    page = make_country("IE", title="Ierland")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/landen/ie/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_model_hidden_when_draft(client, site_tree):
    """A profile whose model page is a draft does not name or link the model."""
    model = make_model("loose-relations", title="Losse-verbanden-concept", live=False)
    make_country("NO", title="Noorwegen", infrastructure_model=model)
    assert "Losse-verbanden-concept" not in client.get("/landen/no/").content.decode()
    assert "Losse-verbanden-concept" not in client.get("/landen/").content.decode()


def test_one_fact_per_country_and_dimension(site_tree):
    """A second fact for the same country and dimension violates the unique constraint."""
    page = make_country("FI")
    dimension = DimensionFactory()
    make_fact(page, dimension=dimension)
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryFact.objects.create(page=page, dimension=dimension, value="Nogmaals")


def test_headings_do_not_skip_levels(client, profile):
    """Headings on the profile and the index start at one h1 and never skip a level."""
    for url in ["/landen/", "/landen/fi/"]:
        assert_heading_outline(client.get(url).content.decode(), url)


def test_linked_lists_follow_changes_at_once(client, profile, django_capture_on_commit_callbacks):
    """The profile caches which studies and findings it lists and how many there are, per
    content version: unpublishing shows on the next request, and a study unpublished without
    signals (a bulk update) drops out at once, its findings with it."""
    url = "/landen/fi/"
    other = profile["other_study"]
    response = client.get(url)
    assert (response.context["study_count"], response.context["finding_count"]) == (1, 1)
    assert other.get_absolute_url() in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    response = client.get(url)
    assert response.context["study_count"] == 0
    assert other.get_absolute_url() not in response.content.decode()
    assert "Regionale centra verbeteren de toegang." in response.content.decode()
    Study.objects.filter(pk=profile["study"].pk).update(live=False)
    assert "Regionale centra verbeteren de toegang." not in client.get(url).content.decode()
