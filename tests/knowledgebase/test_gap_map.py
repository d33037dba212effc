"""The evidence gap map: themes by countries and by models, as a table, with a CSV."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import ResearchQuestionFactory, StudyFactory

pytestmark = pytest.mark.django_db

URL = "/themas/kaart/"


def _cell(response, theme_slug, column_title):
    for theme, cells in response.context["gap_map"].rows:
        if theme.slug == theme_slug:
            return next(cell for cell in cells if cell.column.title == column_title)
    raise AssertionError(theme_slug)


def test_counts_per_theme_and_country(client, kb):
    assert reverse("knowledgebase:gap_map") == URL
    response = client.get(URL)
    assert response.status_code == 200
    quality_fi = _cell(response, "kwaliteitsborging", "Finland")
    assert (quality_fi.studies, quality_fi.findings) == (1, 1)
    quality_no = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert (quality_no.studies, quality_no.findings) == (2, 0)
    assert quality_fi.url == "/zoeken/?theme=kwaliteitsborging&country=FI"
    html = response.content.decode()
    assert 'href="/zoeken/?theme=kwaliteitsborging&amp;country=FI"' in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html


def test_empty_cells_offer_questions(client, kb):
    response = client.get(URL)
    budgets_fi = _cell(response, "individuele-leerbudgetten", "Finland")
    assert budgets_fi.is_gap
    # The only question on budgets is answered, so it is not offered.
    assert budgets_fi.questions == []
    kb.open_question.themes.add(kb.budgets)
    kb.open_question.save()
    budgets_fi = _cell(client.get(URL), "individuele-leerbudgetten", "Finland")
    assert budgets_fi.questions == [kb.open_question]
    assert budgets_fi.more_questions == 0
    html = client.get(URL).content.decode()
    assert "Geen bewijs" in html
    assert "en nog" not in html


def test_empty_cells_link_to_the_rest_of_the_agenda(client, kb):
    """An empty cell offers two questions and, when more would fill it, links to the agenda's
    questions on the theme, where they all are."""
    extra = [
        ResearchQuestionFactory(question=f"Extra vraag {number} over leerbudgetten?", status="open")
        for number in range(3)
    ]
    for question in extra:
        question.themes.set([kb.budgets])
        question.save()
    response = client.get(URL)
    budgets_fi = _cell(response, "individuele-leerbudgetten", "Finland")
    assert len(budgets_fi.questions) == 2
    assert budgets_fi.more_questions == 1
    assert budgets_fi.agenda_url == "/kennisagenda/?theme=individuele-leerbudgetten"
    html = response.content.decode()
    assert 'href="/kennisagenda/?theme=individuele-leerbudgetten"' in html
    assert "en nog 1 vraag" in html
    agenda = client.get(budgets_fi.agenda_url).content.decode().replace("\u00ad", "")  # soft hyphens
    for question in extra:
        assert question.question in agenda


def test_models_axis(client, kb):
    response = client.get(URL, {"as": "modellen"})
    cell = _cell(response, "kwaliteitsborging", "Netwerk")
    assert (cell.studies, cell.findings) == (1, 1)
    assert cell.url == "/zoeken/?theme=kwaliteitsborging&model=network"


def test_filtered_search_of_a_cell(client, kb):
    response = client.get("/zoeken/", {"theme": "kwaliteitsborging", "country": "FI", "kind": "onderzoek"})
    assert [r.title for r in response.context["results"]] == [
        "Kennisinfrastructuur loopbaanbegeleiding in Europa"
    ]


def test_csv(client, kb):
    response = client.get(reverse("knowledgebase:gap_map_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    row = next(r for r in rows if r["thema"] == "Kwaliteitsborging" and r["land of regio"] == "Finland")
    assert (row["onderzoeken"], row["bevindingen"]) == ("1", "1")
    assert client.get(reverse("knowledgebase:gap_map_csv"), {"as": "x"}).status_code == 400
    assert client.get(URL, {"as": "x"}).status_code == 400


def test_drafts_are_not_counted(client, kb):
    kb.mapping.live = False
    kb.mapping.save()
    quality_fi = _cell(client.get(URL), "kwaliteitsborging", "Finland")
    assert (quality_fi.studies, quality_fi.findings) == (0, 0)


def test_a_study_counts_once_per_cell(client, kb, django_capture_on_commit_callbacks):
    """A study on two themes in two countries adds one to each of the four cells, as soon as
    it is saved (the counts are cached per content version)."""
    before = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        study = StudyFactory(themes=[kb.quality, kb.budgets])
        study.countries.set([kb.finland, kb.norway])
        study.save()
    after = client.get(URL)
    for theme in ("kwaliteitsborging", "individuele-leerbudgetten"):
        for country in ("Finland", "Noorwegen"):
            assert _cell(after, theme, country).studies == _cell(before, theme, country).studies + 1
