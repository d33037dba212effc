"""Downloads of a search's studies (CSV, RIS, BibTeX, CSL-JSON) and findings (CSV)."""

import csv
import io
import json
from types import SimpleNamespace

import bibtexparser
import openpyxl
import pytest
import rispy
from django.urls import reverse

from knowledgebase import exports
from tests.factories import FindingFactory, MethodFactory, StudyFactory, ThemeFactory, make_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def studies(site_tree):
    """Three published studies and two findings to download, differing in every filter and
    sort order used below:

    - ``mapping`` (2023, mapping, strong; authors, DOI, two methods; quality; Finland and
      Norway) with the strong ``strong_finding`` on quality;
    - ``elgpn`` (2015, policy, moderate; quality and budgets; Norway) with the limited
      ``weak_finding`` on quality;
    - ``old`` (2001, evaluation, indicative; no theme), which no theme or country filter
      lets through.

    Their titles sort old, mapping, elgpn."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland, norway = make_country("FI", title="Finland"), make_country("NO", title="Noorwegen")
    mapping = StudyFactory(
        title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
        year=2023,
        study_type="mapping",
        strength="strong",
        doi="10.1234/mapping.2023",
        themes=[quality],
        authors=["Jansen, A.", "De Vries, B."],
    )
    mapping.methods.set(
        [
            MethodFactory(name="Deskresearch", slug="deskresearch"),
            MethodFactory(name="Interviews", slug="interviews"),
        ]
    )
    mapping.countries.set([finland, norway])
    mapping.save()
    elgpn = StudyFactory(
        title="Lifelong guidance policies: a European resource kit",
        year=2015,
        study_type="policy",
        language="en",
        strength="moderate",
        themes=[quality, budgets],
        authors=["ELGPN"],
    )
    elgpn.countries.set([norway])
    elgpn.save()
    old = StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        year=2001,
        study_type="evaluation",
        strength="indicative",
        authors=["Pietersen, C."],
    )
    strong_finding = FindingFactory(study=mapping, strength="strong", themes=[quality])
    weak_finding = FindingFactory(study=elgpn, strength="limited", themes=[quality, budgets])
    return SimpleNamespace(
        mapping=mapping, elgpn=elgpn, old=old, strong_finding=strong_finding, weak_finding=weak_finding
    )


def _get(client, name, **params):
    response = client.get(reverse(f"knowledgebase:{name}"), params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode()


def test_ris_reads_back(client, studies):
    """The search's studies as RIS read back with their titles, authors in order and DOI."""
    records = rispy.loads(_get(client, "search_export_ris", theme="kwaliteitsborging"))
    assert {r["title"] for r in records} == {
        "Kennisinfrastructuur loopbaanbegeleiding in Europa",
        "Lifelong guidance policies: a European resource kit",
    }
    mapping = next(r for r in records if r["title"].startswith("Kennis"))
    assert mapping["authors"] == ["Jansen, A.", "De Vries, B."]
    assert mapping["doi"] == "10.1234/mapping.2023"


def test_bibtex_reads_back(client, studies):
    """The search's studies as BibTeX parse without errors, one entry each with its own key."""
    library = bibtexparser.parse_string(_get(client, "search_export_bib", theme="kwaliteitsborging"))
    assert not library.failed_blocks
    assert len(library.entries) == 2
    assert len({entry.key for entry in library.entries}) == 2


def test_csl_json_reads_back(client, studies):
    """The search's studies as CSL-JSON, narrowed by theme and country, with their year."""
    items = json.loads(_get(client, "search_export_json", theme="kwaliteitsborging", country="FI"))
    assert [item["title"] for item in items] == ["Kennisinfrastructuur loopbaanbegeleiding in Europa"]
    assert items[0]["issued"] == {"date-parts": [[2023]]}


def test_csv_of_studies(client, studies):
    """The search's studies as CSV name their methods and countries."""
    text = _get(client, "search_export_csv", theme="kwaliteitsborging")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["titel"] for row in rows} >= {"Kennisinfrastructuur loopbaanbegeleiding in Europa"}
    mapping = next(row for row in rows if row["titel"].startswith("Kennis"))
    assert mapping["methoden"] == "Deskresearch; Interviews"
    assert mapping["landen"] == "Finland; Noorwegen"


def test_csv_of_findings(client, studies):
    """The search's findings as CSV: exactly the findings on the theme."""
    text = _get(client, "search_export_findings", theme="kwaliteitsborging")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["bevinding"] for row in rows} == {
        studies.strong_finding.statement,
        studies.weak_finding.statement,
    }


def test_studies_and_findings_as_workbooks_and_semicolon_csv(client, studies):
    """Every list download also comes as an Excel workbook (frozen header row, the portal link
    as a hyperlink) and as semicolon-separated CSV for Dutch spreadsheet settings."""
    response = client.get(
        reverse("knowledgebase:search_export_csv"), {"theme": "kwaliteitsborging", "formaat": "xlsx"}
    )
    assert response.status_code == 200
    assert 'filename="onderzoek.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "B2"
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    mapping = next(row for row in rows if row["titel"].value.startswith("Kennis"))
    assert mapping["portaal"].hyperlink.target == f"http://testserver{studies.mapping.get_absolute_url()}"
    text = _get(client, "finding_export_csv", sep=";")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {row["bevinding"] for row in rows} >= {studies.strong_finding.statement}


def test_csv_cells_cannot_be_formulas(client, site_tree):
    """A cell that would start a spreadsheet formula is written as text."""
    StudyFactory(title='=HYPERLINK("http://x")', slug="formule")
    text = _get(client, "search_export_csv", type="report")
    assert "'=HYPERLINK" in text


def test_single_study_functions_still_work(studies):
    """The exports of one study and of a list of studies still work on their own."""
    assert rispy.loads(exports.study_to_ris(studies.mapping))[0]["title"] == studies.mapping.title
    assert exports.studies_to_ris([studies.mapping, studies.elgpn]).count("TY  -") == 2


def test_invalid_export_parameters_are_400(client, db):
    """A search download with an unknown theme is a 400."""
    response = client.get(reverse("knowledgebase:search_export_ris"), {"theme": "bestaat-niet"})
    assert response.status_code == 400


def test_study_list_downloads_what_the_list_shows(client, studies):
    """The links on /onderzoek/ download the filtered list, in its order, in every format."""
    list_page = client.get(
        reverse("knowledgebase:study_list"), {"theme": "kwaliteitsborging", "sort": "year"}
    )
    link = f"{reverse('knowledgebase:study_export_ris')}?theme=kwaliteitsborging&amp;sort=year"
    assert link in list_page.content.decode()
    records = rispy.loads(_get(client, "study_export_ris", theme="kwaliteitsborging", sort="year"))
    assert [r["title"] for r in records] == [studies.elgpn.title, studies.mapping.title]
    library = bibtexparser.parse_string(_get(client, "study_export_bib", country="fi"))
    assert [entry["title"].strip("{}") for entry in library.entries] == [studies.mapping.title]
    items = json.loads(_get(client, "study_export_json", type="evaluation"))
    assert [item["title"] for item in items] == [studies.old.title]
    rows = list(csv.DictReader(io.StringIO(_get(client, "study_export_csv").lstrip("\ufeff"))))
    assert {row["titel"] for row in rows} == {studies.mapping.title, studies.elgpn.title, studies.old.title}


def test_finding_list_downloads_what_the_list_shows(client, studies):
    """The link on /bevindingen/ downloads the filtered findings."""
    list_page = client.get(reverse("knowledgebase:finding_list"), {"strength": "strong"})
    assert f"{reverse('knowledgebase:finding_export_csv')}?strength=strong" in list_page.content.decode()
    text = _get(client, "finding_export_csv", strength="strong")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["bevinding"] for row in rows] == [studies.strong_finding.statement]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("study_export_csv", {"theme": "bestaat-niet"}),
        ("study_export_ris", {"year_min": "2020", "year_max": "2010"}),
        ("study_export_bib", {"sort": "\x00"}),
        ("finding_export_csv", {"lesson_for_nl": "misschien"}),
    ],
)
def test_invalid_list_download_is_400_with_message(client, db, name, params):
    """A list download with an invalid filter is a 400 that says it cannot be made."""
    response = client.get(reverse(f"knowledgebase:{name}"), params)
    assert response.status_code == 400
    assert "kan niet worden gemaakt" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "first"), [("-year", "mapping"), ("year", "old"), ("title", "old"), ("strength", "mapping")]
)
def test_study_list_download_keeps_every_sort_order(client, studies, sort, first):
    """The study list's download keeps each of its sort orders."""
    rows = list(csv.DictReader(io.StringIO(_get(client, "study_export_csv", sort=sort).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert rows[0]["titel"] == getattr(studies, first).title
