"""Every CSV and workbook of the portal is written by one module that guards every cell."""

import csv
import io

import openpyxl
import pytest

from kit.downloads import Link, Sheet, csv_document, xlsx_bytes


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1"])
def test_no_cell_of_a_csv_starts_a_formula_header_included(value):
    """Header and body cells alike go out as text when a spreadsheet would run them."""
    text = csv_document([value, "kop"], [[value, "waarde"]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows] == [f"'{value.strip()}"] * 2
    assert [row[1] for row in rows] == ["kop", "waarde"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_no_cell_of_a_workbook_is_a_formula(value):
    """A workbook guards header and body cells the way a CSV does: the same text, stored as
    text, so Excel never runs it."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(Sheet("t", [value, "kop"], [[value, 3]]))))
    sheet = workbook.active
    assert [cell.value for cell in sheet["A"]] == [f"'{value.strip()}"] * 2
    assert all(cell.data_type == "s" for cell in sheet["A"])
    assert sheet["B2"].value == 3  # numbers stay numbers


def test_only_web_links_become_hyperlinks():
    """A link cell is a hyperlink only when it is a web address; other text never is."""
    sheet = Sheet(
        "t", ["link"], [[Link("https://example.org/a")], [Link("javascript:alert(1)")], ["https://x"]]
    )
    rows = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheet))).active
    assert rows["A2"].hyperlink.target == "https://example.org/a"
    assert rows["A3"].hyperlink is None
    assert rows["A4"].hyperlink is None
