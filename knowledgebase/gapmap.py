"""The evidence gap map: how much evidence there is per theme and country (or model).

Each cell counts the public studies and findings tagged with both the theme and the column,
links to the search filtered on both, and, when empty, offers the open research questions
that would fill it. A fixed handful of grouped queries builds the whole matrix, whatever the
number of studies; the counts are cached per content version (``content_cache``).
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.downloads import Sheet, csv_text

from . import selectors
from .content_cache import cached
from .models import Study, Theme

# How many research questions an empty cell offers.
QUESTIONS_PER_CELL = 2
LEVELS = 4

AXES = {
    "landen": _("landen"),
    "modellen": _("kennisinfrastructuurmodellen"),
}


@dataclass
class Cell:
    theme: Theme
    column: object
    studies: int = 0
    findings: int = 0
    level: int = 0
    url: str = ""
    questions: list = field(default_factory=list)
    # Open questions that would fill the cell beyond those offered, and the agenda's list of
    # the theme's questions where they are.
    more_questions: int = 0
    agenda_url: str = ""

    @property
    def is_gap(self):
        return not self.studies and not self.findings


@dataclass
class GapMap:
    axis: str
    columns: list
    rows: list  # [(theme, [Cell, ...])]

    @property
    def gap_count(self):
        return sum(1 for _theme, cells in self.rows for cell in cells if cell.is_gap)


def pair_counts(axis):
    """({(theme id, column id): studies}, {(theme id, column id): findings}) for the axis:
    two grouped queries (about 250 ms at 100,000 studies), cached per content version. Only
    the numbers are cached; the themes, columns and questions are read per request."""
    return cached(f"gap-map-counts:{axis}", lambda: _pair_counts(axis))


# The link from a study to the columns of each axis.
COLUMN_PATHS = {"landen": "countries", "modellen": "infrastructure_models"}


def _pair_counts(axis):
    column = COLUMN_PATHS[axis]
    return (
        selectors.count_per(Study.objects.published(), "themes", column),
        selectors.count_per(selectors.published_findings(), "themes", selectors.FINDING_LINKS[column]),
    )


def build_gap_map(axis="landen"):
    """The matrix of themes (rows) by countries or models (columns)."""
    themes = list(selectors.public_themes().order_by("name"))
    if axis == "modellen":
        columns = list(selectors.public_models().order_by("title").only("id", "title", "slug", "url_path"))
    else:
        columns = list(selectors.public_countries().order_by("title").only("id", "title", "code", "url_path"))
    study_counts, finding_counts = pair_counts(axis)
    questions = _open_questions()
    highest = max(
        [study_counts.get(k, 0) + finding_counts.get(k, 0) for k in study_counts | finding_counts] + [1]
    )
    search_url = reverse("knowledgebase:search")
    agenda_url = reverse("knowledgebase:question_list")
    rows = []
    for theme in themes:
        cells = []
        for column in columns:
            key = (theme.pk, column.pk)
            cell = Cell(theme, column, study_counts.get(key, 0), finding_counts.get(key, 0))
            total = cell.studies + cell.findings
            cell.level = math.ceil(LEVELS * total / highest) if total else 0
            facet = {"model": column.slug} if axis == "modellen" else {"country": column.code}
            cell.url = f"{search_url}?{urlencode({'theme': theme.slug, **facet})}"
            if cell.is_gap:
                chosen = _questions_for(questions, theme.pk, None if axis == "modellen" else column.pk)
                cell.questions = chosen[:QUESTIONS_PER_CELL]
                cell.more_questions = len(chosen) - len(cell.questions)
                cell.agenda_url = f"{agenda_url}?{urlencode({'theme': theme.slug})}"
            cells.append(cell)
        rows.append((theme, cells))
    return GapMap(axis=axis, columns=columns, rows=rows)


def _open_questions():
    """Open questions as (question, theme ids, country ids), in agenda order."""
    queryset = selectors.open_questions().prefetch_related("themes", "countries").order_by("id")
    return [
        (question, {t.pk for t in question.themes.all()}, {c.pk for c in question.countries.all()})
        for question in queryset
    ]


def _questions_for(questions, theme_id, column_id):
    """Every open question that would fill the cell: those on the theme for this country
    first, then those on the theme for no particular country."""
    on_theme = [item for item in questions if theme_id in item[1]]
    if column_id is None:
        chosen = on_theme
    else:
        chosen = [q for q in on_theme if column_id in q[2]] + [q for q in on_theme if not q[2]]
    return [question for question, _themes, _countries in chosen]


def gap_map_sheet(gap_map):
    """The matrix as a table to download: one row per theme and column."""
    header = ["thema", "land of regio" if gap_map.axis == "landen" else "model", "onderzoeken", "bevindingen",
              "open vragen"]  # fmt: skip
    rows = [
        [
            theme.name,
            cell.column.title,
            cell.studies,
            cell.findings,
            "; ".join(str(q) for q in cell.questions),
        ]
        for theme, cells in gap_map.rows
        for cell in cells
    ]
    return Sheet(name="kaart van het bewijs", header=header, rows=rows)


def gap_map_csv(gap_map):
    """The matrix as CSV text (see ``gap_map_sheet``)."""
    return csv_text(gap_map_sheet(gap_map))
