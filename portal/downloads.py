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
# Everything ``str.splitlines`` breaks a line at: a reader of a line-based format (RIS) may
# take any of them for the end of a line.
LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def clean_text(text):
    """``text`` without control characters or surrounding white space."""
    return CONTROL_CHARS.sub("", text or "").strip()


def single_line(text):
    """``text`` as one line: ``clean_text`` with every kind of line break made a space, for a
    value in a format where a new line can start a new field or record."""
    return clean_text(LINE_BREAKS.sub(" ", text or ""))


def csv_cell(value):
    """``value`` as the text of a CSV cell, never read as a formula."""
    text = clean_text(str(value)) if value is not None else ""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_document(header, rows):
    """A CSV file with a header row, as text. It starts with a byte-order mark, so
    spreadsheet programs read it as UTF-8. Every cell, the header's too (a comparison's
    columns are country titles), goes through ``csv_cell``; this is the portal's only CSV
    writer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def attachment(body, content_type, filename):
    """``body`` as a download named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
