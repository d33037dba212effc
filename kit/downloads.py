"""What every download of the portal shares: the attachment response, and tables as CSV
(comma or semicolon) or Excel workbooks that spreadsheet programs open as UTF-8 text without
running anything in them."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def csv_document(header, rows, delimiter=","):
    """A CSV file with a header row, as text. It starts with a byte-order mark, so
    spreadsheet programs read it as UTF-8. Every cell, the header's too (a comparison's
    columns are country titles), goes through ``csv_cell``; this is the portal's only CSV
    writer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def attachment(body, content_type, filename):
    """``body`` as a download named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Tables in three shapes ----------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# ``?formaat=`` picks the file type, ``?sep=`` the CSV separator: a semicolon suits a
# spreadsheet program with Dutch settings (the comma is its decimal separator there).
FORMATS = ("csv", "xlsx")
SEPARATORS = (",", ";")
URL_PREFIXES = ("https://", "http://")
SHEET_NAME_CHARS = re.compile(r"[\\/*?:\[\]]")


class Link(str):
    """A cell whose value is a URL: absolute in every download, a hyperlink in a workbook. A
    path (``/onderzoek/x/``) is made absolute for the request it is downloaded with."""


@dataclass
class Sheet:
    """A table to download: one header row, then ``rows``. ``about`` holds (label, value)
    lines that describe the whole table (licence, permanent URL); a workbook shows them on a
    sheet of their own, so the table itself keeps a single header row."""

    name: str
    header: list
    rows: list
    about: list = field(default_factory=list)


class DownloadFormatError(ValueError):
    """A ``formaat`` or ``sep`` the portal does not offer; the message is for the visitor."""


def download_format(query):
    """``(format, separator)`` from a query dict, or ``DownloadFormatError``."""
    fmt = query.get("formaat", "csv") or "csv"
    separator = query.get("sep", ",") or ","
    if fmt not in FORMATS:
        raise DownloadFormatError(_("Onbekend bestandsformaat: kies «csv» of «xlsx»."))
    if separator not in SEPARATORS:
        raise DownloadFormatError(_("Onbekend scheidingsteken: kies een komma of een puntkomma (;)."))
    return fmt, separator


def _absolute(request, value):
    if isinstance(value, Link) and not value.startswith(URL_PREFIXES):
        return Link(request.build_absolute_uri(value) if value else "")
    return value


def csv_text(sheet, separator=","):
    """``sheet`` as CSV text with ``separator`` between cells; see ``csv_document``."""
    return csv_document(sheet.header, sheet.rows, delimiter=separator)


def _xlsx_value(value):
    if isinstance(value, bool):
        return csv_cell(value)
    if isinstance(value, int | float | datetime.date):
        return value
    return csv_cell(value)


def xlsx_bytes(sheet):
    """``sheet`` as an Excel workbook: the header row in bold and frozen with the first column,
    URLs as hyperlinks, and ``about`` on a second sheet. Text goes through ``csv_cell`` as in
    a CSV, and is stored as text, so no cell is ever a formula."""
    workbook = Workbook()
    table = workbook.active
    table.title = SHEET_NAME_CHARS.sub(" ", sheet.name)[:31] or "Tabel"
    bold = Font(bold=True)
    widths = {}
    for row_number, values in enumerate([sheet.header, *sheet.rows], start=1):
        for column_number, value in enumerate(values, start=1):
            cell = table.cell(row=row_number, column=column_number, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                # openpyxl reads a string that starts with "=" as a formula; csv_cell has already
                # made that impossible, and this keeps it so.
                cell.data_type = "s"
                if isinstance(value, Link) and value.startswith(URL_PREFIXES):
                    cell.hyperlink = value
                    cell.style = "Hyperlink"
            if row_number == 1:
                cell.font = bold
            length = len(str(cell.value or ""))
            widths[column_number] = max(widths.get(column_number, 8), min(length + 2, 60))
    for column_number, width in widths.items():
        table.column_dimensions[get_column_letter(column_number)].width = width
    table.freeze_panes = "B2"
    table.auto_filter.ref = table.dimensions
    if sheet.about:
        about = workbook.create_sheet(_("Over deze gegevens")[:31])
        for row_number, (label, value) in enumerate(sheet.about, start=1):
            about.cell(row=row_number, column=1, value=csv_cell(label)).font = bold
            cell = about.cell(row=row_number, column=2, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if isinstance(value, Link) and value.startswith(URL_PREFIXES):
                    cell.hyperlink = value
                    cell.style = "Hyperlink"
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_download(request, sheet, filename):
    """``sheet`` as the download the request asks for: CSV (``?sep=;`` for semicolons) or, with
    ``?formaat=xlsx``, an Excel workbook; ``filename`` has no extension. A format the portal
    does not offer is a 400 with the reason in Dutch. Every tabular download goes through
    here, so each one offers the same three shapes."""
    try:
        fmt, separator = download_format(request.GET)
    except DownloadFormatError as error:
        return HttpResponse(str(error) + "\n", status=400, content_type="text/plain; charset=utf-8")
    sheet = Sheet(
        name=sheet.name,
        header=sheet.header,
        rows=[[_absolute(request, value) for value in row] for row in sheet.rows],
        about=[(label, _absolute(request, value)) for label, value in sheet.about],
    )
    if fmt == "xlsx":
        return attachment(xlsx_bytes(sheet), XLSX_CONTENT_TYPE, f"{filename}.xlsx")
    return attachment(csv_text(sheet, separator), CSV_CONTENT_TYPE, f"{filename}.csv")


# Characters with a meaning in (La)TeX, and how to write them literally.
LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in LATEX_ESCAPES))
# BibTeX counts braces without regard to a backslash before them, so ``\{`` and ``\}`` only
# keep a field whole when the text's own braces balance; otherwise these are used.
UNBALANCED_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def _braces_balance(text):
    depth = 0
    for char in text:
        if char in "{}":
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def latex_escape(text):
    """Escape ``text`` for a BibTeX field, on one line; non-ASCII letters stay as UTF-8."""
    text = single_line(text)
    escapes = LATEX_ESCAPES if _braces_balance(text) else {**LATEX_ESCAPES, **UNBALANCED_BRACES}
    return LATEX_PATTERN.sub(lambda match: escapes[match.group()], text)
