"""Bulk import of studies from a reference manager: a RIS or BibTeX file becomes draft
studies, each with its authors, year, abstract, DOI, link and publisher.

The file is read and every record checked before anything is written; one unreadable record
refuses the whole file with a message per record, so an import never leaves half its records
behind. Records already in the knowledge base (same DOI, or same title and year) and repeats
within the file are skipped. Imported studies are drafts with the weakest strength of evidence
until an editor has read them; the evidence scale is an editorial judgement no reference
manager makes.
"""

import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from portal.downloads import clean_text
from portal.outbound import validate_public_url

from .models import Study, StudyAuthor
from .models.base import EvidenceStrength
from .models.studies import MAX_YEAR, MIN_YEAR, Language, StudyType, doi_validator

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_RECORDS = 500

# Reference types (RIS, then BibTeX) that are not a report; everything else, RIS's RPRT (what
# the portal exports most studies as) and BibTeX's techreport included, imports as a report.
STUDY_TYPES = {
    "SLIDE": StudyType.PRESENTATION,
    "GOVDOC": StudyType.POLICY,
    "GEN": StudyType.OTHER,
    "misc": StudyType.OTHER,
    "unpublished": StudyType.OTHER,
}
LANGUAGES = {"nl": Language.DUTCH, "dut": Language.DUTCH, "nld": Language.DUTCH, "dutch": Language.DUTCH,
             "nederlands": Language.DUTCH, "en": Language.ENGLISH, "eng": Language.ENGLISH,
             "english": Language.ENGLISH, "engels": Language.ENGLISH}  # fmt: skip
PLACEHOLDER_SUMMARY = "Geïmporteerd zonder samenvatting; vul die aan voor publicatie."
RATIONALE = "Geïmporteerd uit een literatuurbestand; de bewijskracht is nog niet beoordeeld."
DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


class ImportRefused(Exception):
    """The file cannot be imported; ``messages`` say why, for the editor."""

    def __init__(self, messages):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Outcome:
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # titles of records already present


def _text(value):
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_text(str(value or ""))


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [_("Het bestand is geen tekst in UTF-8; sla het als UTF-8 op en probeer opnieuw.")]
        ) from error


def _ris_records(text):
    try:
        entries = rispy.loads(text)
    except Exception as error:  # rispy raises several kinds on malformed input
        raise ImportRefused(
            [_("Het RIS-bestand kan niet worden gelezen: %(error)s") % {"error": error}]
        ) from error
    return [
        {
            "title": _text(entry.get("title") or entry.get("primary_title")),
            "authors": [clean_text(a) for a in entry.get("authors", []) + entry.get("first_authors", [])],
            "year": _text(entry.get("year") or entry.get("publication_year"))[:4],
            "summary": _text(entry.get("abstract")),
            "doi": _text(entry.get("doi")),
            "url": _text(entry.get("urls") or entry.get("url")),
            "publisher": _text(entry.get("publisher")),
            "language": _text(entry.get("language")),
            "type": _text(entry.get("type_of_reference")),
        }
        for entry in entries
    ]


def _bibtex_records(text):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()]
    )
    if library.failed_blocks:
        lines = ", ".join(str(block.start_line + 1) for block in library.failed_blocks)
        raise ImportRefused(
            [_("Het BibTeX-bestand bevat onleesbare regels (vanaf regel %(lines)s).") % {"lines": lines}]
        )
    records = []
    for entry in library.entries:
        fields = {key.lower(): value.value for key, value in entry.fields_dict.items()}
        authors = fields.get("author") or []
        records.append(
            {
                "title": _text(fields.get("title")),
                "authors": [clean_text(a) for a in (authors if isinstance(authors, list) else [authors])],
                "year": _text(fields.get("year"))[:4],
                "summary": _text(fields.get("abstract")),
                "doi": _text(fields.get("doi")),
                "url": _text(fields.get("url")),
                "publisher": _text(
                    fields.get("publisher") or fields.get("institution") or fields.get("organization")
                ),
                "language": _text(fields.get("language")),
                "type": entry.entry_type.lower(),
            }
        )
    return records


def read(name, data):
    """The records of an uploaded file (``name`` decides RIS or BibTeX), checked.

    Raises ``ImportRefused`` with a message per problem.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused([_("Het bestand is groter dan 2 MB; splits het in kleinere bestanden.")])
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"ris", "bib"}:
        raise ImportRefused([_("Kies een RIS-bestand (.ris) of een BibTeX-bestand (.bib).")])
    text = _decode(data)
    records = _ris_records(text) if extension == "ris" else _bibtex_records(text)
    if not records:
        raise ImportRefused([_("Het bestand bevat geen enkele referentie.")])
    if len(records) > MAX_RECORDS:
        raise ImportRefused(
            [_("Het bestand bevat %(count)s referenties; importeer er hoogstens %(limit)s tegelijk.")
             % {"count": len(records), "limit": MAX_RECORDS}]
        )  # fmt: skip
    problems = []
    for number, record in enumerate(records, start=1):
        problems += [
            _("Referentie %(number)s (%(title)s): %(problem)s")
            % {"number": number, "title": Truncator(record["title"] or "-").chars(60), "problem": problem}
            for problem in _problems(record)
        ]
    if problems:
        raise ImportRefused(problems)
    return records


def _problems(record):
    """What makes ``record`` unusable (after cleaning up what can be cleaned up)."""
    problems = []
    if not record["title"]:
        problems.append(_("de titel ontbreekt."))
    elif len(record["title"]) > Study._meta.get_field("title").max_length:
        problems.append(_("de titel is langer dan 300 tekens."))
    if record["year"] and not (record["year"].isdigit() and MIN_YEAR <= int(record["year"]) <= MAX_YEAR):
        problems.append(_("het jaar '%(year)s' is geen jaar tussen 1900 en 2100.") % {"year": record["year"]})
    record["doi"] = DOI_PREFIX.sub("", record["doi"])
    if record["doi"]:
        try:
            doi_validator(record["doi"])
        except ValidationError:
            problems.append(
                _("de DOI '%(doi)s' heeft niet de vorm 10.1234/abcd.") % {"doi": record["doi"][:80]}
            )
    if len(record["url"]) > Study._meta.get_field("url").max_length:
        problems.append(_("de link is langer dan 500 tekens."))
    elif record["url"]:
        try:
            URLValidator(schemes=["http", "https"])(record["url"])
        except ValidationError:
            problems.append(_("de link is geen http- of https-adres."))
        else:
            try:
                validate_public_url(record["url"])
            except ValidationError as error:
                problems.append(_("de link: %(message)s") % {"message": error.messages[0]})
    if any(len(author) > StudyAuthor._meta.get_field("name").max_length for author in record["authors"]):
        problems.append(_("een auteursnaam is langer dan 200 tekens."))
    return problems


def _unique_slug(title, taken):
    base = slugify(title)[:100].strip("-") or "onderzoek"
    slug, number = base, 1
    while slug in taken or Study.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _already_present(record, seen):
    key = record["doi"].lower() or f"{record['title'].lower()}|{record['year']}"
    if key in seen:
        return True
    seen.add(key)
    if record["doi"]:
        return Study.objects.filter(doi__iexact=record["doi"]).exists()
    return Study.objects.filter(title__iexact=record["title"], year=record["year"] or None).exists()


def _study(record, slug):
    return Study(
        title=record["title"],
        slug=slug,
        year=int(record["year"]) if record["year"] else None,
        study_type=STUDY_TYPES.get(record["type"], StudyType.REPORT),
        language=LANGUAGES.get(
            record["language"].lower(), Language.OTHER if record["language"] else Language.DUTCH
        ),
        publisher=Truncator(record["publisher"]).chars(200),
        summary=record["summary"] or PLACEHOLDER_SUMMARY,
        doi=record["doi"],
        url=record["url"],
        strength=EvidenceStrength.INDICATIVE,
        strength_rationale=RATIONALE,
        live=False,
        authors=[
            StudyAuthor(name=name, sort_order=order) for order, name in enumerate(record["authors"]) if name
        ],
    )


def import_records(records, user):
    """Save ``records`` (from ``read``) as draft studies with a first revision by ``user``, all
    or none."""
    outcome, taken, seen = Outcome(), set(), set()
    with transaction.atomic():
        for record in records:
            if _already_present(record, seen):
                outcome.skipped.append(record["title"])
                continue
            study = _study(record, _unique_slug(record["title"], taken))
            try:
                study.full_clean()
            except ValidationError as error:  # what ``read`` does not check; rolls back
                raise ImportRefused([f"{record['title']}: {' '.join(error.messages)}"]) from error
            study.save()
            study.save_revision(user=user, log_action=True)
            outcome.created.append(study)
    return outcome
