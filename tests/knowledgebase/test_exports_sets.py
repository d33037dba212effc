"""Downloads of a search's studies (CSV, RIS, BibTeX, CSL-JSON) and findings (CSV)."""

import csv
import io
import json

import bibtexparser
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
