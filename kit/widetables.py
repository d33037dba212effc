"""Wide tables that a visitor can narrow: which columns to show, chosen with a plain GET form
of checkboxes (``templates/includes/wide_table_controls.html``), so it works without
JavaScript and the choice stays in the URL.

The CSS in ``static/css/wide-table.css`` keeps the header row and the first column in view
while the table scrolls inside its ``<div class="wide-table">``.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_PARAMETER_LENGTH = 300


@dataclass
class ColumnChoice:
    """The columns a wide table shows, and the form to change them.

    ``options`` are ``(parameter, key, label, checked)``; ``hidden`` are ``(parameter, value)``
    pairs the form sends first, to keep the rest of the page's choice (a checkbox's value
    sent after a hidden field of the same name wins, as ``QueryDict.get`` reads the last).
    ``count`` is the number of columns shown, the first (row headings) included.
    """

    options: list
    hidden: list = field(default_factory=list)
    count: int = 0
    errors: list = field(default_factory=list)

    @property
    def keys(self):
        return [key for _name, key, _label, checked in self.options if checked]


def column_choice(query, name, options, *, hidden=(), heading_columns=1):
    """Which of ``options`` (``[(key, label)]``, in table order) the query's ``name`` parameter
    chooses; all of them without the parameter. Values may repeat the parameter or be
    comma-separated. An unknown value or an empty choice is an error in Dutch, and the table
    then shows every column."""
    known = {key for key, _label in options}
    errors = []
    chosen = None
    if name in query:
        raw = ",".join(query.getlist(name))
        values = [value.strip().lower() for value in raw.split(",") if value.strip()]
        unknown = [value for value in values if value not in known]
        if len(raw) > MAX_PARAMETER_LENGTH or any(not ch.isprintable() for ch in raw):
            errors.append(_("De keuze van kolommen is ongeldig."))
        elif unknown:
            shown = unknown[0] if len(unknown[0]) <= 30 else unknown[0][:30] + "…"
            errors.append(_("Onbekende kolom: «%(value)s».") % {"value": shown})
        elif not values:
            errors.append(_("Kies ten minste één kolom."))
        else:
            chosen = set(values)
    rows = [(name, key, label, chosen is None or key in chosen) for key, label in options]
    shown = sum(1 for row in rows if row[3])
    return ColumnChoice(options=rows, hidden=list(hidden), count=shown + heading_columns, errors=errors)
