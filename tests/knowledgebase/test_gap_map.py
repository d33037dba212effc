"""The evidence gap map: themes by countries and by models, as a table, with a CSV; each cell
gives the number of studies and the strongest and median strength of its findings."""

import csv
import io
from html import unescape
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import (
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_model,
)

pytestmark = pytest.mark.django_db

URL = "/themas/kaart/"


def _cell(response, theme_slug, column_title):
    for theme, cells in response.context["gap_map"].rows:
        if theme.slug == theme_slug:
            return next(cell for cell in cells if cell.column.title == column_title)
    raise AssertionError(theme_slug)


def _study(themes=(), countries=(), models=(), **fields):
    """A published study on ``themes`` in ``countries`` and ``models``; the links are written
    when it is saved, and the save updates the tallies the map counts from."""
    study = StudyFactory(**fields)
    study.themes.set(themes)
    study.countries.set(countries)
    study.infrastructure_models.set(models)
    study.save()
    return study


def _finding(study, themes=(), countries=(), **fields):
    """A published finding of ``study`` on ``themes`` in ``countries``."""
    finding = FindingFactory(study=study, **fields)
    finding.themes.set(themes)
    finding.countries.set(countries)
    finding.save()
    return finding


def _question(themes=(), countries=(), **fields):
    """A published research question (open unless ``status`` says otherwise)."""
    question = ResearchQuestionFactory(**fields)
    question.themes.set(themes)
    question.countries.set(countries)
    question.save()
    return question


@pytest.fixture
def evidence(site_tree):
    """A small map: two themes (rows), Finland and Norway (columns; the network model on the
    other axis) and two studies on quality assurance. A strong country comparison covers
    Finland and Norway and the network model; its one finding, in Finland, is a lesson for the
    Netherlands, which the map neither counts nor rates. A moderate policy document covers
    Norway and learning budgets too. So quality assurance has one study in Finland and two in
    Norway, and learning budgets none in Finland."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    network = make_model("network", title="Netwerk")
    comparison = _study(
        title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
        study_type="mapping",
        strength="strong",
        themes=[quality],
        countries=[finland, norway],
        models=[network],
    )
    _finding(comparison, strength="strong", lesson_for_nl=True, themes=[quality], countries=[finland])
    policy = _study(study_type="policy", strength="moderate", themes=[quality, budgets], countries=[norway])
    return SimpleNamespace(
        quality=quality,
        budgets=budgets,
        finland=finland,
        norway=norway,
        network=network,
        comparison=comparison,
        policy=policy,
    )


def test_counts_per_theme_and_country(client, evidence):
    """A cell counts studies; its only finding here is a lesson for the Netherlands, which is
    the portal's inference and not evidence, so it is neither counted nor rated."""
    assert reverse("knowledgebase:gap_map") == URL
    response = client.get(URL)
    assert response.status_code == 200
    quality_fi = _cell(response, "kwaliteitsborging", "Finland")
    assert (quality_fi.studies, quality_fi.findings) == (1, 0)
    assert quality_fi.strongest == ""
    quality_no = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert (quality_no.studies, quality_no.findings) == (2, 0)
    assert quality_fi.url == "/zoeken/?theme=kwaliteitsborging&country=FI"
    html = response.content.decode()
    assert 'href="/zoeken/?theme=kwaliteitsborging&amp;country=FI"' in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html


def test_empty_cells_offer_questions(client, site_tree):
    """An empty cell offers the open questions on its theme, not the answered ones."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland = make_country("FI", title="Finland")
    # An answered question on budgets, and an open one in Finland on another theme.
    _question(themes=[budgets], status="answered")
    open_question = _question(themes=[quality], countries=[finland], status="open")
    response = client.get(URL)
    budgets_fi = _cell(response, "individuele-leerbudgetten", "Finland")
    assert budgets_fi.is_gap
    # The only question on budgets is answered, so it is not offered.
    assert budgets_fi.questions == []
    open_question.themes.add(budgets)
    open_question.save()
    budgets_fi = _cell(client.get(URL), "individuele-leerbudgetten", "Finland")
    assert budgets_fi.questions == [open_question]
    assert budgets_fi.more_questions == 0
    html = client.get(URL).content.decode()
    assert "Geen bewijs" in html
    assert "en nog" not in html


def test_empty_cells_link_to_the_rest_of_the_agenda(client, site_tree):
    """An empty cell offers two questions and, when more would fill it, links to the agenda's
    questions on the theme, where they all are."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    make_country("FI", title="Finland")
    extra = [
        _question(themes=[budgets], question=f"Extra vraag {number} over leerbudgetten?", status="open")
        for number in range(3)
    ]
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


def test_models_axis(client, evidence):
    """The map by models counts the studies on each model, and its cells link to the search
    filtered on the model."""
    response = client.get(URL, {"as": "modellen"})
    cell = _cell(response, "kwaliteitsborging", "Netwerk")
    assert (cell.studies, cell.findings) == (1, 0)
    assert cell.url == "/zoeken/?theme=kwaliteitsborging&model=network"


def test_filtered_search_of_a_cell(client, evidence):
    """A cell's search finds the studies on its theme in its country: the comparison, not the
    policy document on the same theme in Norway."""
    response = client.get("/zoeken/", {"theme": "kwaliteitsborging", "country": "FI", "kind": "onderzoek"})
    assert [r.title for r in response.context["results"]] == [
        "Kennisinfrastructuur loopbaanbegeleiding in Europa"
    ]


def test_csv(client, evidence):
    """The gap map downloads as CSV with the cells' counts; an unknown axis is a 400."""
    response = client.get(reverse("knowledgebase:gap_map_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    row = next(r for r in rows if r["thema"] == "Kwaliteitsborging" and r["land of regio"] == "Finland")
    assert (row["onderzoeken"], row["bevindingen"]) == ("1", "0")
    assert client.get(reverse("knowledgebase:gap_map_csv"), {"as": "x"}).status_code == 400


def test_workbook(client, evidence):
    """The gap map also downloads as an Excel workbook with the same cells."""
    response = client.get(reverse("knowledgebase:gap_map_csv"), {"formaat": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    row = next(r for r in rows if r["thema"] == "Kwaliteitsborging" and r["land of regio"] == "Finland")
    assert (row["onderzoeken"], row["bevindingen"]) == (1, 0)
    assert "sterkste bewijskracht" in header
    assert client.get(URL, {"as": "x"}).status_code == 400


@pytest.fixture
def rated(evidence):
    """Three findings on quality assurance in Norway (strong, limited, indicative), two of the
    tagged studies' and one of a study that is tagged with neither (an indicative evaluation)."""
    untagged = _study(study_type="evaluation", strength="indicative")
    studies = [(evidence.comparison, "strong"), (evidence.policy, "limited"), (untagged, "indicative")]
    for study, strength in studies:
        _finding(study, strength=strength, themes=[evidence.quality], countries=[evidence.norway])
    return evidence


def test_a_cell_shows_studies_and_the_strongest_and_median_strength(client, rated):
    """Three findings from three studies: three studies (each once, the untagged one through
    its finding), strongest "Sterk", median "Beperkt", in text on the page and in the legend."""
    response = client.get(URL)
    cell = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert (cell.studies, cell.findings) == (3, 3)
    assert (cell.strongest, cell.typical) == ("strong", "limited")
    html = response.content.decode()
    assert "3 onderzoeken" in html
    assert "Sterkste" in html and "Mediaan" in html
    assert "Bewijskracht: Sterk" in html and "Bewijskracht: Beperkt" in html
    assert "Zo lees je de kaart" in html
    assert "Lessen voor Nederland zijn afleidingen, geen bewijs" in html


def test_median_takes_the_weaker_middle_of_an_even_number():
    from hubs.gapmap import median_strength

    assert median_strength({"strong": 1, "indicative": 1}) == "indicative"
    assert median_strength({"strong": 2, "moderate": 1}) == "strong"
    assert median_strength({}) == ""


def test_filter_by_study_type(client, rated):
    """Only policy documents: the ELGPN kit and its finding remain; the search link of the cell
    keeps the filter."""
    response = client.get(URL, {"type": "policy"})
    assert response.status_code == 200
    cell = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert (cell.studies, cell.findings, cell.strongest) == (1, 1, "limited")
    assert "type=policy" in cell.url
    finland = _cell(response, "kwaliteitsborging", "Finland")
    assert finland.is_gap
    html = response.content.decode()
    assert '<option value="policy" selected>' in html
    assert "as=modellen&amp;type=policy" in html


def test_filter_by_minimum_strength(client, rated):
    """At least "Redelijk": the strong finding and the studies rated strong or moderate."""
    response = client.get(URL, {"strength": "moderate"})
    cell = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert (cell.studies, cell.findings, cell.strongest, cell.typical) == (2, 1, "strong", "strong")


def test_csv_has_the_cells_columns_and_filters(client, rated):
    """The CSV has the cells' strongest and median strength, and takes the page's filters."""
    response = client.get(reverse("knowledgebase:gap_map_csv"), {"type": "policy"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    row = next(r for r in rows if r["thema"] == "Kwaliteitsborging" and r["land of regio"] == "Noorwegen")
    assert row["onderzoeken"] == "1"
    assert (row["sterkste bewijskracht"], row["mediane bewijskracht"]) == ("Beperkt", "Beperkt")
    full = client.get(reverse("knowledgebase:gap_map_csv"))
    rows = list(csv.DictReader(io.StringIO(full.content.decode().lstrip("\ufeff"))))
    row = next(r for r in rows if r["thema"] == "Kwaliteitsborging" and r["land of regio"] == "Noorwegen")
    assert (row["onderzoeken"], row["bevindingen"]) == ("3", "3")
    assert (row["sterkste bewijskracht"], row["mediane bewijskracht"]) == ("Sterk", "Beperkt")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"type": "roman"}, "Kies een soort onderzoek uit de lijst."),
        ({"strength": "heel sterk"}, "Kies een niveau van bewijskracht uit de lijst."),
        ({"as": "planeten"}, "Kies 'landen' of 'modellen'."),
    ],
)
def test_bad_filter_values_are_refused_in_dutch(client, site_tree, params, message):
    """An unknown study type, strength or axis is a 400 with a Dutch message, on the page and
    for the download."""
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    download = client.get(reverse("knowledgebase:gap_map_csv"), params)
    assert download.status_code == 400
    assert message in download.content.decode()


def test_filtered_map_keeps_the_open_questions_of_empty_cells(client, site_tree):
    """A map narrowed to one type of study still offers the open questions of its empty cells."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland = make_country("FI", title="Finland")
    open_question = _question(themes=[budgets], countries=[finland], status="open")
    response = client.get(URL, {"type": "evaluation"})
    budgets_fi = _cell(response, "individuele-leerbudgetten", "Finland")
    assert budgets_fi.is_gap
    assert budgets_fi.questions == [open_question]


def test_drafts_are_not_counted(client, site_tree):
    """A study taken back to draft counts in no cell, and neither do its findings."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    finland = make_country("FI", title="Finland")
    study = _study(themes=[quality], countries=[finland])
    # A finding that is evidence (not a lesson), so that it would be counted if the draft were.
    _finding(study, strength="strong", themes=[quality], countries=[finland])
    study.live = False
    study.save()
    quality_fi = _cell(client.get(URL), "kwaliteitsborging", "Finland")
    assert (quality_fi.studies, quality_fi.findings) == (0, 0)


def test_a_study_counts_once_per_cell(client, evidence, django_capture_on_commit_callbacks):
    """A study on two themes in two countries adds one to each of the four cells, as soon as
    it is saved (the counts are cached per content version)."""
    before = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        _study(themes=[evidence.quality, evidence.budgets], countries=[evidence.finland, evidence.norway])
    after = client.get(URL)
    for theme in ("kwaliteitsborging", "individuele-leerbudgetten"):
        for country in ("Finland", "Noorwegen"):
            assert _cell(after, theme, country).studies == _cell(before, theme, country).studies + 1


def test_many_statements_from_one_document_count_as_one_study(client, evidence):
    """Sixteen findings extracted from one policy document make one study, shaded as one: the
    cell no longer looks like strong evidence because of the number of statements."""
    policy = _study(study_type="policy", strength="indicative", themes=[evidence.budgets])
    for _number in range(16):
        _finding(policy, strength="indicative", themes=[evidence.budgets], countries=[evidence.finland])
    response = client.get(URL)
    cell = _cell(response, "individuele-leerbudgetten", "Finland")
    assert (cell.studies, cell.findings) == (1, 16)
    assert (cell.strongest, cell.typical) == ("indicative", "indicative")
    quality_no = _cell(response, "kwaliteitsborging", "Noorwegen")
    assert quality_no.studies == 2
    assert cell.level < quality_no.level


def test_columns_can_be_narrowed(client, site_tree):
    """``?kolommen=`` (country codes, or model slugs) chooses the columns; an unknown column is
    a 400 with a Dutch message and the whole map."""
    # A row, and two columns to choose from.
    ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    make_country("FI", title="Finland")
    make_country("NO", title="Noorwegen")
    response = client.get(URL, {"kolommen": "fi"})
    assert response.status_code == 200
    assert [column.title for column in response.context["gap_map"].columns] == ["Finland"]
    assert all(len(cells) == 1 for _theme, cells in response.context["gap_map"].rows)
    assert "2 kolommen" in response.content.decode()
    response = client.get(URL, {"kolommen": "xx"})
    assert response.status_code == 400
    assert "Onbekende kolom" in response.content.decode()
    assert len(response.context["gap_map"].columns) > 1
