"""What every download of the portal shares: the attachment response, and CSV that
spreadsheet programs open as UTF-8 text without running anything in it."""

import csv
import io
import re

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Control characters have no place in a download and break some readers.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell that starts with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text):
    """``text`` without control characters or surrounding white space."""
    return CONTROL_CHARS.sub("", text or "").strip()


def csv_cell(value):
    """``value`` as the text of a CSV cell, never read as a formula."""
    text = clean_text(str(value)) if value is not None else ""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_document(header, rows):
    """A CSV file with a header row, as text. It starts with a byte-order mark, so
    spreadsheet programs read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def attachment(body, content_type, filename):
    """``body`` as a download named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
