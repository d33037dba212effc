"""Every CSV of the portal is written by one function that guards every cell."""

import csv
import io

import pytest

from portal.downloads import csv_document


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1"])
def test_no_cell_of_a_csv_starts_a_formula_header_included(value):
    """Header and body cells alike go out as text when a spreadsheet would run them."""
    text = csv_document([value, "kop"], [[value, "waarde"]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows] == [f"'{value.strip()}"] * 2
    assert [row[1] for row in rows] == ["kop", "waarde"]
