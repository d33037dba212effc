"""The evidence gap map: how much evidence there is per theme and country (or model), and how
strong it is.

Each cell counts the public studies on both the theme and the column (a study counts once,
whether it is tagged with both itself or one of its findings is), gives the strongest and the
median strength of the findings in it, links to the search filtered on both, and, when
empty, offers the open research questions that would fill it. Lessons for the Netherlands are
the portal's own inferences, not evidence: they are neither counted nor rated here. The map
can be narrowed to one type of study and to findings and studies of at least a given
strength. The numbers come from the tallies (``knowledgebase.tallies``) in one query, whatever
the number of studies, cached per content version and filter (``content_cache``).
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kit.downloads import Sheet, csv_text
from knowledgebase import selectors, tallies
from knowledgebase.content_cache import cached
from knowledgebase.models import EvidenceStrength, Theme
from knowledgebase.models.studies import StudyType

# How many research questions an empty cell offers.
QUESTIONS_PER_CELL = 2
LEVELS = 4


class Axis(models.TextChoices):
    """What the gap map's columns are; the values are what ``?as=`` carries."""

    COUNTRIES = "landen", _("landen")
    MODELS = "modellen", _("kennisinfrastructuurmodellen")


AXES = dict(Axis.choices)

# The strengths from strong to indicative, the order the median is taken in.
STRENGTHS = list(EvidenceStrength.values)


class GapMapFilterForm(forms.Form):
    """The map's filters, all from the query string: the axis, a study type and a minimum
    strength. Any other value is refused with a Dutch message (the view answers 400)."""

    _as = forms.ChoiceField(
        label=_("Bekijk per"),
        choices=list(AXES.items()),
        required=False,
        error_messages={"invalid_choice": _("Kies 'landen' of 'modellen'.")},
    )
    type = forms.ChoiceField(
        label=_("Soort onderzoek"),
        choices=[("", _("Alle soorten")), *StudyType.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een soort onderzoek uit de lijst.")},
    )
    strength = forms.ChoiceField(
        label=_("Bewijskracht ten minste"),
        choices=[("", _("Alle niveaus")), *EvidenceStrength.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een niveau van bewijskracht uit de lijst.")},
    )

    @property
    def axis(self):
        return self.cleaned_data.get("as") or Axis.COUNTRIES

    @property
    def filters(self):
        """The chosen study type and minimum strength ("" for none)."""
        return self.cleaned_data.get("type") or "", self.cleaned_data.get("strength") or ""

    @property
    def error_message(self):
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


# The query string's key for the axis is "as", a Python keyword.
GapMapFilterForm.base_fields = {
    ("as" if name == "_as" else name): value for name, value in GapMapFilterForm.base_fields.items()
}


@dataclass
class Cell:
    theme: Theme
    column: object
    studies: int = 0
    # Findings that are evidence (not lessons for the Netherlands), and the strongest and the
    # median strength among them ("" when the cell has none).
    findings: int = 0
    strongest: str = ""
    typical: str = ""
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

    @property
    def strongest_label(self):
        return EvidenceStrength(self.strongest).label if self.strongest else ""

    @property
    def typical_label(self):
        return EvidenceStrength(self.typical).label if self.typical else ""


@dataclass
class GapMap:
    axis: str
    columns: list
    rows: list  # [(theme, [Cell, ...])]
    study_type: str = ""
    min_strength: str = ""

    @property
    def gap_count(self):
        return sum(1 for _theme, cells in self.rows for cell in cells if cell.is_gap)

    @property
    def is_filtered(self):
        return bool(self.study_type or self.min_strength)


# The link from a study to the columns of each axis.
COLUMN_PATHS = {Axis.COUNTRIES: "countries", Axis.MODELS: "infrastructure_models"}


def stronger_or_equal(strength):
    """The strengths at least as strong as ``strength`` (all of them for "")."""
    return STRENGTHS[: STRENGTHS.index(strength) + 1] if strength else STRENGTHS


def median_strength(histogram):
    """The median of {strength: number of findings}, in the order strong to indicative; with
    an even number of findings the weaker of the two middle ones, so the map never rounds
    up."""
    total = sum(histogram.values())
    if not total:
        return ""
    position = total // 2  # 0-based: the middle one, or the weaker middle one
    seen = 0
    for strength in STRENGTHS:
        seen += histogram.get(strength, 0)
        if seen > position:
            return strength
    return ""


def pair_counts(axis, study_type="", min_strength=""):
    """({(theme id, column id): studies}, {(theme id, column id): {strength: findings}}) for the
    axis and filters, from the tallies (``knowledgebase.tallies``), cached per content version:
    the studies of a cell are counted with the rank of the strongest of their records that
    carries it, so a minimum strength is a comparison."""
    return cached(
        f"gap-map-counts:{axis}:{study_type}:{min_strength}",
        lambda: _pair_counts(axis, study_type, min_strength),
        kinds=("study", "finding"),
    )


def _pair_counts(axis, study_type, min_strength):
    path = COLUMN_PATHS[axis]
    highest = tallies.rank(min_strength) if min_strength else len(STRENGTHS) - 1
    study_counts, histograms = {}, {}
    for name, theme, column, bucket, n in tallies.read(f"cell:{path}", f"strength:{path}"):
        level, kind = bucket.split("|", 1)
        if study_type and kind != study_type:
            continue
        cell = (theme, column)
        if name.startswith("cell:"):
            if int(level) <= highest:
                study_counts[cell] = study_counts.get(cell, 0) + n
        elif tallies.rank(level) <= highest:
            histogram = histograms.setdefault(cell, {})
            histogram[level] = histogram.get(level, 0) + n
    return study_counts, histograms


def build_gap_map(axis=Axis.COUNTRIES, study_type="", min_strength=""):
    """The matrix of themes (rows) by countries or models (columns)."""
    themes = list(selectors.public_themes().order_by("name"))
    if axis == Axis.MODELS:
        columns = list(selectors.public_models().order_by("title").only("id", "title", "slug", "url_path"))
    else:
        columns = list(selectors.public_countries().order_by("title").only("id", "title", "code", "url_path"))
    study_counts, histograms = pair_counts(axis, study_type, min_strength)
    questions = _open_questions()
    highest = max([*study_counts.values(), 1])
    search_url = reverse("knowledgebase:search")
    agenda_url = reverse("knowledgebase:question_list")
    extra = {"type": study_type} if study_type else {}
    rows = []
    for theme in themes:
        cells = []
        for column in columns:
            key = (theme.pk, column.pk)
            histogram = histograms.get(key, {})
            cell = Cell(theme, column, study_counts.get(key, 0), sum(histogram.values()))
            cell.strongest = next((s for s in STRENGTHS if histogram.get(s)), "")
            cell.typical = median_strength(histogram)
            cell.level = math.ceil(LEVELS * cell.studies / highest) if cell.studies else 0
            facet = {"model": column.slug} if axis == Axis.MODELS else {"country": column.code}
            cell.url = f"{search_url}?{urlencode({'theme': theme.slug, **facet, **extra})}"
            if cell.is_gap:
                chosen = _questions_for(questions, theme.pk, None if axis == Axis.MODELS else column.pk)
                cell.questions = chosen[:QUESTIONS_PER_CELL]
                cell.more_questions = len(chosen) - len(cell.questions)
                cell.agenda_url = f"{agenda_url}?{urlencode({'theme': theme.slug})}"
            cells.append(cell)
        rows.append((theme, cells))
    return GapMap(axis=axis, columns=columns, rows=rows, study_type=study_type, min_strength=min_strength)


def _open_questions():
    """Open questions as (question, theme ids, country ids), in agenda order: the questions'
    ids and texts, and their links as pairs of ids."""
    questions = selectors.open_questions().order_by("id")
    links = {}
    for path in ("themes", "countries"):
        pairs = questions.filter(**{f"{path}__isnull": False}).values_list("id", path)
        for question_id, linked in pairs:
            links.setdefault((path, question_id), set()).add(linked)
    return [
        (question, links.get(("themes", question.pk), set()), links.get(("countries", question.pk), set()))
        for question in questions.only("id", "question")
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
    """The matrix as a table to download: one row per theme and column, with what the cell shows."""
    column = "land of regio" if gap_map.axis == Axis.COUNTRIES else "model"
    header = ["thema", column, "onderzoeken", "bevindingen",
              "sterkste bewijskracht", "mediane bewijskracht", "open vragen"]  # fmt: skip
    rows = [
        [
            theme.name,
            cell.column.title,
            cell.studies,
            cell.findings,
            cell.strongest_label,
            cell.typical_label,
            "; ".join(str(q) for q in cell.questions),
        ]
        for theme, cells in gap_map.rows
        for cell in cells
    ]
    return Sheet(name="kaart van het bewijs", header=header, rows=rows)


def gap_map_csv(gap_map):
    """The matrix as CSV text (see ``gap_map_sheet``)."""
    return csv_text(gap_map_sheet(gap_map))
