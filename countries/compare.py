"""The country comparison: reading the choice from the query string, building the table of
dimensions x countries, the section view and the download (CSV or Excel).

The choice lives entirely in the URL (``?landen=be-vlg,fi&groepen=kwaliteit``), so a
comparison can be shared and cited. Reads take a fixed number of queries however many
countries or dimensions are chosen: the countries, the dimensions and the facts each come
in one query.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from kit.downloads import Link, Sheet, csv_text
from kit.editions import latest_editions
from knowledgebase.citations import cited_blocks
from knowledgebase.models import Study

from .models import CountryFact, Dimension
from .sections import SECTION_KEYS, SECTION_LABELS, SECTIONS

REFERENCE_SLUG = "nl"
MAX_PARAMETER_LENGTH = 300
MAX_VALUES = 40

# (key in the URL, heading, the profile sections the group covers)
GROUPS = [
    ("context", _("Context"), ["context"]),
    ("beleid", _("Beleid en coördinatie"), ["policy"]),
    (
        "aanbod",
        _("Aanbod"),
        ["services_education", "services_adults", "services_regional", "services_budgets", "services_online"],
    ),
    ("kwaliteit", _("Kwaliteitsborging"), ["qa_professionalisation", "qa_research", "qa_framework"]),
    ("lessen", _("Lessen voor Nederland"), ["lessons"]),
]
GROUP_KEYS = [key for key, _label, _sections in GROUPS]
GROUP_SECTIONS = {key: sections for key, _label, sections in GROUPS}

# Dutch URL slugs for the one-section view, in profile order.
SECTION_SLUGS = {
    "context": "context",
    "policy": "beleid",
    "services_education": "onderwijs",
    "services_adults": "volwassenen",
    "services_regional": "regionale-centra",
    "services_budgets": "budgetten",
    "services_online": "online",
    "qa_professionalisation": "professionalisering",
    "qa_research": "onderzoek-en-monitoring",
    "qa_framework": "kwaliteitskader",
    "lessons": "lessen",
}
SECTION_BY_SLUG = {slug: key for key, slug in SECTION_SLUGS.items()}

NOT_DESCRIBED = _("niet beschreven in de bronnen")
NOT_PUBLIC = _("niet openbaar")


# The choice ----------------------------------------------------------------------------------


@dataclass
class Choice:
    """What the visitor asked to compare, and what was wrong with the request."""

    slugs: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    reference: bool = True
    only_differences: bool = False
    submitted: bool = False
    errors: list = field(default_factory=list)

    @property
    def section_keys(self):
        keys = [section for group in self.groups or GROUP_KEYS for section in GROUP_SECTIONS[group]]
        return [key for key in SECTION_KEYS if key in keys]

    def querystring(self, **overrides):
        """The canonical query string for this choice (commas left readable)."""
        values = {
            "landen": ",".join(self.slugs),
            "groepen": ",".join(self.groups),
            "referentie": "" if self.reference else "geen",
            "verschillen": "1" if self.only_differences else "",
        }
        values.update(overrides)
        return "&".join(f"{name}={quote(value, safe=',')}" for name, value in values.items() if value)


def printable(value):
    """A short, printable rendering of a bad value for an error message."""
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return cleaned if len(cleaned) <= 30 else cleaned[:30] + "…"


def split_values(query, name, errors):
    """The comma-separated values of ``name`` (repeated parameters allowed), or None if absent."""
    if name not in query:
        return None
    raw = query.getlist(name)
    joined = ",".join(raw)
    if "\x00" in joined or any(not ch.isprintable() for ch in joined):
        errors.append(_t("De parameter «%(name)s» bevat ongeldige tekens.") % {"name": name})
        return []
    if len(joined) > MAX_PARAMETER_LENGTH:
        errors.append(
            _t("De parameter «%(name)s» is te lang (meer dan %(max)s tekens).")
            % {"name": name, "max": MAX_PARAMETER_LENGTH}
        )
        return []
    values = []
    for value in joined.split(","):
        value = value.strip().lower()
        if value and value not in values:
            values.append(value)
    if len(values) > MAX_VALUES:
        errors.append(_t("De parameter «%(name)s» heeft te veel waarden.") % {"name": name})
        return []
    return values


def _single(query, name, allowed, errors):
    value = query.get(name, "")
    if value in allowed:
        return allowed[value]
    errors.append(
        _t("De waarde van «%(name)s» is ongeldig: «%(value)s».") % {"name": name, "value": printable(value)}
    )
    return allowed[""]


def parse_choice(query, known_slugs):
    """Read a ``Choice`` from the query dict; ``known_slugs`` are the public countries' slugs."""
    errors = []
    slugs = split_values(query, "landen", errors)
    groups = split_values(query, "groepen", errors)
    choice = Choice(submitted=slugs is not None or groups is not None)
    choice.reference = _single(query, "referentie", {"": True, "nl": True, "geen": False}, errors)
    choice.only_differences = _single(
        query, "verschillen", {"": False, "0": False, "1": True, "ja": True, "on": True}, errors
    )

    for slug in slugs or []:
        if slug in known_slugs:
            choice.slugs.append(slug)
        else:
            errors.append(_t("Onbekend land of onbekende regio: «%(value)s».") % {"value": printable(slug)})
    for group in groups or []:
        if group in GROUP_KEYS:
            choice.groups.append(group)
        else:
            errors.append(_t("Onbekende groep: «%(value)s».") % {"value": printable(group)})
    choice.groups = [key for key in GROUP_KEYS if key in choice.groups]

    if choice.submitted and not errors and len(columns_for(choice, known_slugs)) < 2:
        errors.append(_t("Kies ten minste twee landen of regio's om te vergelijken."))
    choice.errors = errors
    return choice


def columns_for(choice, known_slugs):
    """The slugs of the columns: the reference first (if on and public), then the choice."""
    columns = []
    if choice.reference and REFERENCE_SLUG in known_slugs:
        columns.append(REFERENCE_SLUG)
    columns.extend(slug for slug in choice.slugs if slug not in columns)
    return columns


# The table -----------------------------------------------------------------------------------


@dataclass
class Cell:
    country: object
    fact: object = None
    source_number: int | None = None

    @property
    def value(self):
        return self.fact.value if self.fact else None


@dataclass
class Row:
    dimension: object
    cells: list

    @property
    def differs(self):
        values = {(cell.value or "").strip().casefold() if cell.fact else None for cell in self.cells}
        return len(values) > 1


@dataclass
class Table:
    countries: list
    sections: list  # [(section key, label, [rows])]
    sources: list  # [(number, study, [locators])]
    hidden_rows: int = 0

    @property
    def span(self):
        return len(self.countries) + 1

    @property
    def rows(self):
        return [row for _key, _label, rows in self.sections for row in rows]


def _dimension_sort_key(dimension):
    return (SECTION_KEYS.index(dimension.section), dimension.sort_order, dimension.name.casefold())


def comparison_table(countries, section_keys, only_differences=False):
    """The dimensions of ``section_keys`` as rows and ``countries`` as columns.

    Two queries whatever the number of countries or dimensions. A dimension no chosen country
    has a fact for is left out; with ``only_differences`` so is every row whose values agree.
    Only published studies get a source number; a draft source shows as "niet openbaar".
    """
    dimensions = sorted(Dimension.objects.filter(section__in=section_keys), key=_dimension_sort_key)
    facts = {}
    if dimensions and countries:
        for fact in CountryFact.objects.filter(
            page_id__in=[country.pk for country in countries], dimension__section__in=section_keys
        ).select_related("source_study"):
            facts[(fact.page_id, fact.dimension_id)] = fact

    numbers = {}
    sources = []
    sections = []
    hidden = 0
    for dimension in dimensions:
        cells = [Cell(country, facts.get((country.pk, dimension.pk))) for country in countries]
        if not any(cell.fact for cell in cells):
            continue
        row = Row(dimension, cells)
        if only_differences and not row.differs:
            hidden += 1
            continue
        for cell in cells:
            study = cell.fact.public_source if cell.fact else None
            if study is None:
                continue
            if study.pk not in numbers:
                numbers[study.pk] = len(sources) + 1
                sources.append((numbers[study.pk], study, []))
            cell.source_number = numbers[study.pk]
            locators = sources[cell.source_number - 1][2]
            if cell.fact.source_locator and cell.fact.source_locator not in locators:
                locators.append(cell.fact.source_locator)
        if sections and sections[-1][0] == dimension.section:
            sections[-1][2].append(row)
        else:
            sections.append((dimension.section, SECTION_LABELS[dimension.section], [row]))
    return Table(countries=countries, sections=sections, sources=sources, hidden_rows=hidden)


def _source_text(fact):
    if fact is None or fact.source_study_id is None:
        return ""
    study = fact.public_source
    text = study.title if study else str(NOT_PUBLIC)
    return f"{text}, {fact.source_locator}" if fact.source_locator else text


def _edition(country, current):
    """The edition of a profile a comparison shows (``kit.editions``): its number and the
    date it was published; the date of the last publication for a profile without one."""
    edition = current.get(country.pk)
    if edition is None:
        published = getattr(country, "last_published_at", None)
        return timezone.localdate(published) if published else ""
    return _t("editie %(number)s van %(date)s") % {
        "number": edition.number,
        "date": timezone.localdate(edition.published_at).isoformat(),
    }


def comparison_sheet(table, permanent_url):
    """The table as a download: section and dimension, then per country its short value,
    explanation, source reference, profile edition and a link to the fact on the profile;
    every row ends with the licence and the comparison's permanent URL so that a row copied
    elsewhere still says where it came from."""
    licence = f"{settings.CONTENT_LICENCE_NAME} ({settings.CONTENT_LICENCE_URL})"
    current = latest_editions(table.countries)
    header = [_t("Sectie"), _t("Dimensie")]
    for country in table.countries:
        name = {"name": country.title}
        header += [
            country.title,
            _t("%(name)s - toelichting") % name,
            _t("%(name)s - bron") % name,
            _t("%(name)s - editie") % name,
            _t("%(name)s - link") % name,
        ]
    header += [_t("Licentie"), _t("Permanente link")]
    lines = []
    for _key, label, rows in table.sections:
        for row in rows:
            line = [str(label), row.dimension.name]
            for cell in row.cells:
                profile = getattr(cell.country, "profile_url", "") or cell.country.url or ""
                line += [
                    cell.value if cell.fact else str(NOT_DESCRIBED),
                    cell.fact.detail if cell.fact else "",
                    _source_text(cell.fact),
                    _edition(cell.country, current),
                    Link(f"{profile}#feit-{row.dimension.slug}" if cell.fact and profile else profile),
                ]
            line += [licence, Link(permanent_url)]
            lines.append(line)
    about = [
        (_t("Titel"), _t("Vergelijking: %(names)s") % {"names": ", ".join(c.title for c in table.countries)}),
        (_t("Permanente link"), Link(permanent_url)),
        (_t("Licentie"), settings.CONTENT_LICENCE_NAME),
        (_t("Licentietekst"), Link(settings.CONTENT_LICENCE_URL)),
        (_t("Gedownload op"), datetime.date.today()),
    ]
    for country in table.countries:
        about.append((_t("Versie van %(name)s") % {"name": country.title}, _edition(country, current)))
    return Sheet(name=_t("Vergelijking"), header=header, rows=lines, about=about)


def comparison_csv(table, permanent_url=""):
    """The table as comma-separated CSV text (see ``comparison_sheet``)."""
    return csv_text(comparison_sheet(table, permanent_url))


# One section across countries ----------------------------------------------------------------


def section_texts(countries, section_key):
    """Each country's text for one profile section, read from the raw StreamField data, with
    the cited studies fetched in one query (published ones only).

    Returns [{"country", "blocks": [{"text", "rich", "sources": [(study or None, locator)]}]}].
    """
    entries = []
    study_ids = set()
    for country in countries:
        blocks = list(cited_blocks(getattr(country, section_key)))
        study_ids.update(
            study_id for _text, _rich, sources in blocks for study_id, _loc in sources if study_id
        )
        entries.append((country, blocks))
    studies = Study.objects.published().in_bulk([pk for pk in study_ids if isinstance(pk, int)])
    return [
        {
            "country": country,
            "blocks": [
                {
                    "text": text,
                    "rich": rich,
                    "sources": [(studies.get(study_id), locator) for study_id, locator in sources],
                }
                for text, rich, sources in blocks
            ],
        }
        for country, blocks in entries
    ]


def section_choices():
    """[(slug, label)] for the section menu, in profile order."""
    return [
        (SECTION_SLUGS[key], f"{group}: {label}" if group else str(label)) for key, label, group in SECTIONS
    ]
