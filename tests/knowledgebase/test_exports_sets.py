"""Downloads of a search's studies (CSV, RIS, BibTeX, CSL-JSON) and findings (CSV)."""

import csv
import io
import json

import bibtexparser
import openpyxl
import pytest
import rispy
from django.urls import reverse

from knowledgebase import exports
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db


def _get(client, name, **params):
    response = client.get(reverse(f"knowledgebase:{name}"), params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode()


def test_ris_reads_back(client, kb):
    records = rispy.loads(_get(client, "search_export_ris", theme="kwaliteitsborging"))
    assert {r["title"] for r in records} == {
        "Kennisinfrastructuur loopbaanbegeleiding in Europa",
        "Lifelong guidance policies: a European resource kit",
    }
    mapping = next(r for r in records if r["title"].startswith("Kennis"))
    assert mapping["authors"] == ["Jansen, A.", "De Vries, B."]
    assert mapping["doi"] == "10.1234/mapping.2023"


def test_bibtex_reads_back(client, kb):
    library = bibtexparser.parse_string(_get(client, "search_export_bib", theme="kwaliteitsborging"))
    assert not library.failed_blocks
    assert len(library.entries) == 2
    assert len({entry.key for entry in library.entries}) == 2


def test_csl_json_reads_back(client, kb):
    items = json.loads(_get(client, "search_export_json", theme="kwaliteitsborging", country="FI"))
    assert [item["title"] for item in items] == ["Kennisinfrastructuur loopbaanbegeleiding in Europa"]
    assert items[0]["issued"] == {"date-parts": [[2023]]}


def test_csv_of_studies(client, kb):
    text = _get(client, "search_export_csv", theme="kwaliteitsborging")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["titel"] for row in rows} >= {"Kennisinfrastructuur loopbaanbegeleiding in Europa"}
    mapping = next(row for row in rows if row["titel"].startswith("Kennis"))
    assert mapping["methoden"] == "Deskresearch; Interviews"
    assert mapping["landen"] == "Finland; Noorwegen"


def test_csv_of_findings(client, kb):
    text = _get(client, "search_export_findings", theme="kwaliteitsborging")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["bevinding"] for row in rows} == {kb.strong_finding.statement, kb.weak_finding.statement}


def test_studies_and_findings_as_workbooks_and_semicolon_csv(client, kb):
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
    assert mapping["portaal"].hyperlink.target == f"http://testserver{kb.mapping.get_absolute_url()}"
    text = _get(client, "finding_export_csv", sep=";")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {row["bevinding"] for row in rows} >= {kb.strong_finding.statement}


def test_csv_cells_cannot_be_formulas(client, site_tree):
    StudyFactory(title='=HYPERLINK("http://x")', slug="formule")
    text = _get(client, "search_export_csv", type="report")
    assert "'=HYPERLINK" in text


def test_single_study_functions_still_work(kb):
    assert rispy.loads(exports.study_to_ris(kb.mapping))[0]["title"] == kb.mapping.title
    assert exports.studies_to_ris([kb.mapping, kb.elgpn]).count("TY  -") == 2


def test_invalid_export_parameters_are_400(client, kb):
    response = client.get(reverse("knowledgebase:search_export_ris"), {"theme": "bestaat-niet"})
    assert response.status_code == 400


def test_study_list_downloads_what_the_list_shows(client, kb):
    """The links on /onderzoek/ download the filtered list, in its order, in every format."""
    list_page = client.get(
        reverse("knowledgebase:study_list"), {"theme": "kwaliteitsborging", "sort": "year"}
    )
    link = f"{reverse('knowledgebase:study_export_ris')}?theme=kwaliteitsborging&amp;sort=year"
    assert link in list_page.content.decode()
    records = rispy.loads(_get(client, "study_export_ris", theme="kwaliteitsborging", sort="year"))
    assert [r["title"] for r in records] == [kb.elgpn.title, kb.mapping.title]
    library = bibtexparser.parse_string(_get(client, "study_export_bib", country="fi"))
    assert [entry["title"].strip("{}") for entry in library.entries] == [kb.mapping.title]
    items = json.loads(_get(client, "study_export_json", type="evaluation"))
    assert [item["title"] for item in items] == [kb.old.title]
    rows = list(csv.DictReader(io.StringIO(_get(client, "study_export_csv").lstrip("\ufeff"))))
    assert {row["titel"] for row in rows} == {kb.mapping.title, kb.elgpn.title, kb.old.title}


def test_finding_list_downloads_what_the_list_shows(client, kb):
    list_page = client.get(reverse("knowledgebase:finding_list"), {"strength": "strong"})
    assert f"{reverse('knowledgebase:finding_export_csv')}?strength=strong" in list_page.content.decode()
    text = _get(client, "finding_export_csv", strength="strong")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["bevinding"] for row in rows] == [kb.strong_finding.statement]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("study_export_csv", {"theme": "bestaat-niet"}),
        ("study_export_ris", {"year_min": "2020", "year_max": "2010"}),
        ("study_export_bib", {"sort": "\x00"}),
        ("finding_export_csv", {"lesson_for_nl": "misschien"}),
    ],
)
def test_invalid_list_download_is_400_with_message(client, kb, name, params):
    response = client.get(reverse(f"knowledgebase:{name}"), params)
    assert response.status_code == 400
    assert "kan niet worden gemaakt" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "first"), [("-year", "mapping"), ("year", "old"), ("title", "old"), ("strength", "mapping")]
)
def test_study_list_download_keeps_every_sort_order(client, kb, sort, first):
    rows = list(csv.DictReader(io.StringIO(_get(client, "study_export_csv", sort=sort).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert rows[0]["titel"] == getattr(kb, first).title
