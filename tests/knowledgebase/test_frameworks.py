"""Frameworks as public knowledge: /kaders/, a framework's page with its elements in order,
and the framework lens (elements by countries) with the editors' assessments."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import (
    FindingFactory,
    FrameworkAssessmentFactory,
    FrameworkElementFactory,
    FrameworkFactory,
    StudyFactory,
    make_country,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lens(site_tree):
    """A framework with two elements (in a given order), two countries, a published
    assessment, and a finding linked to the first element."""
    source = StudyFactory(title="Mapping loopbaanondersteuning", slug="mapping", strength="limited")
    framework = FrameworkFactory(
        name="Tien principes", slug="tien-principes", description="Kenmerken van begeleiding die werkt."
    )
    second = FrameworkElementFactory(
        framework=framework, code="2", name="Betrokkenheid", sort_order=1, description="Uitleg twee."
    )
    first = FrameworkElementFactory(
        framework=framework,
        code="1",
        name="Levenslang",
        sort_order=0,
        description="Begeleiding voor iedereen, het hele leven.",
        source_study=source,
        source_locator="Principe 1",
    )
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    present = FrameworkAssessmentFactory(
        element=first,
        country=finland,
        assessment="partly",
        reason="Veel online hulp, maar de kanalen zijn niet gekoppeld.",
        source_study=source,
        source_locator="Finland, Context",
    )
    finding = FindingFactory(
        statement="Begeleiding werkt beter als ze doorloopt na de opleiding.",
        study=source,
        strength="limited",
    )
    finding.framework_elements.set([first])
    finding.save()
    return SimpleNamespace(
        framework=framework,
        first=first,
        second=second,
        finland=finland,
        norway=norway,
        present=present,
        finding=finding,
        source=source,
    )


def test_the_list_shows_published_frameworks(client, lens):
    framework = lens.framework
    draft = FrameworkFactory(name="Conceptkader", live=False)
    response = client.get(reverse("knowledgebase:framework_list"))
    assert reverse("knowledgebase:framework_list") == "/kaders/"
    html = response.content.decode()
    assert response.status_code == 200
    assert framework.name in html and 'href="/kaders/tien-principes/"' in html
    assert 'href="/kaders/tien-principes/lens/"' in html
    assert draft.name not in html
    assert "2 elementen" in html


def test_a_framework_shows_its_elements_in_order_with_source_and_findings(client, lens):
    finding, source = lens.finding, lens.source
    response = client.get("/kaders/tien-principes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("1. Levenslang") < html.index("2. Betrokkenheid")
    assert "Begeleiding voor iedereen, het hele leven." in html
    assert 'id="element-1"' in html
    assert f'href="{source.get_absolute_url()}"' in html and "Principe 1" in html
    assert finding.get_absolute_url() in html
    assert "Bewijskracht: Beperkt" in html


def test_a_framework_shows_lessons_apart_from_findings(client, lens):
    """A lesson for the Netherlands is an inference: it is listed apart, after the findings,
    and labelled."""
    lesson = FindingFactory(
        statement="Les: Nederland kan doorlopende begeleiding overwegen.", lesson_for_nl=True
    )
    lesson.framework_elements.set([lens.first])
    lesson.save()
    html = client.get("/kaders/tien-principes/").content.decode()
    label = html.index("Lessen voor Nederland (afgeleid, geen bewijs):")
    assert html.index(lens.finding.statement) < label < html.index(lesson.statement)
    assert "2 bevindingen bij dit element" in html


def test_a_framework_shows_no_draft_finding_nor_one_of_a_draft_study(client, lens):
    first = lens.first
    draft = FindingFactory(statement="Conceptbevinding over levenslang.", live=False)
    hidden_study = StudyFactory(live=False)
    of_draft_study = FindingFactory(statement="Bevinding uit een conceptstudie.", study=hidden_study)
    for finding in (draft, of_draft_study):
        finding.framework_elements.set([first])
        finding.save()
    html = client.get("/kaders/tien-principes/").content.decode()
    assert "Conceptbevinding" not in html
    assert "Bevinding uit een conceptstudie" not in html


def test_a_draft_framework_is_not_public(client, lens):
    """A framework not yet published: no page, no lens, no elements on a finding's page, not in
    the sitemap."""
    framework, finding = lens.framework, lens.finding
    framework.live = False
    framework.save()
    assert client.get("/kaders/tien-principes/").status_code == 404
    assert client.get("/kaders/tien-principes/lens/").status_code == 404
    assert "Levenslang" not in client.get(finding.get_absolute_url()).content.decode()
    assert "tien-principes" not in client.get("/sitemap-kaders.xml").content.decode()
    assert "tien-principes" not in client.get("/sitemap-kaderlenzen.xml").content.decode()
    assert "tien-principes" not in client.get("/landen/fi/").content.decode()


def test_the_sitemap_lists_frameworks_and_their_lenses(client, lens):
    assert "/kaders/tien-principes/</loc>" in client.get("/sitemap-kaders.xml").content.decode()
    assert "/kaders/tien-principes/lens/</loc>" in client.get("/sitemap-kaderlenzen.xml").content.decode()
    assert "/kaders/</loc>" in client.get("/sitemap-overzichten.xml").content.decode()
    assert "sitemap-kaders.xml" in client.get("/sitemap.xml").content.decode()


def test_the_lens_shows_each_assessment_with_reason_and_source(client, lens):
    """Elements by countries; a cell with an assessment gives it in text and shape, with its
    reason and citation; every other cell says the sources do not describe it."""
    present, source = lens.present, lens.source
    response = client.get("/kaders/tien-principes/lens/")
    assert response.status_code == 200
    html = response.content.decode()
    cells = {
        (element.code, cell.country.title): cell.assessment
        for element, cells in response.context["rows"]
        for cell in cells
    }
    assert cells == {
        ("1", "Finland"): present,
        ("1", "Noorwegen"): None,
        ("2", "Finland"): None,
        ("2", "Noorwegen"): None,
    }
    assert "◐</span> Gedeeltelijk" in html
    assert "Veel online hulp, maar de kanalen zijn niet gekoppeld." in html
    assert "Finland, Context" in html and f'href="{source.get_absolute_url()}"' in html
    assert html.count("niet beschreven in de bronnen") >= 3
    assert 'id="land-fi"' in html and 'id="land-no"' in html
    assert 'class="wide-table' in html


@pytest.mark.parametrize("hide", ["draft", "draft source", "unpublished country"])
def test_the_lens_hides_unpublished_assessments(client, lens, hide):
    """A draft assessment, one whose source is not public, and a country that is not public
    never show: the cell says the sources do not describe it."""
    present, source, finland = lens.present, lens.source, lens.finland
    if hide == "draft":
        present.live = False
        present.save()
    elif hide == "draft source":
        source.live = False
        source.save()
    else:
        finland.unpublish()
    response = client.get("/kaders/tien-principes/lens/")
    html = response.content.decode()
    assert "Veel online hulp" not in html
    assert all(cell.assessment is None for _element, cells in response.context["rows"] for cell in cells)


def test_a_country_profile_links_to_its_column_in_each_lens(client, lens):
    html = client.get("/landen/fi/").content.decode()
    assert 'href="/kaders/tien-principes/lens/#land-fi"' in html
    assert "1 oordeel" in html


def test_the_lens_puts_the_netherlands_first_and_can_be_narrowed(client, lens):
    """The Netherlands is the first column, as on the comparison; ``?landen=`` chooses the
    columns without JavaScript, and an unknown country is a 400 with a Dutch message."""
    make_country("NL", title="Nederland")
    response = client.get("/kaders/tien-principes/lens/")
    titles = [country.title for country in response.context["countries"]]
    assert titles == ["Nederland", "Finland", "Noorwegen"]
    assert "4 kolommen" in response.content.decode()
    narrowed = client.get("/kaders/tien-principes/lens/", {"landen": "no"})
    assert narrowed.status_code == 200
    assert [country.title for country in narrowed.context["countries"]] == ["Noorwegen"]
    assert all(len(cells) == 1 for _element, cells in narrowed.context["rows"])
    wrong = client.get("/kaders/tien-principes/lens/", {"landen": "xx"})
    assert wrong.status_code == 400
    assert "Onbekende kolom" in wrong.content.decode()
