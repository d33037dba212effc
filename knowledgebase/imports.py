"""Bulk import of studies from a reference manager: a RIS or BibTeX file becomes draft
studies, each with its authors, year, abstract, DOI, link and publisher.

An upload is checked for what can be checked at once (size, type, UTF-8) and stored as an
``ImportJob``; a Celery task (``tasks.import_studies``, eager without Redis) then reads the
file, checks every reference and imports them in one transaction: one refused reference
refuses the whole file, with a message per problem naming the reference, so an import never
leaves half its references behind. References already in the knowledge base (same DOI, or same
title and year) and repeats within the file are skipped; the job keeps a line per reference.

Imported studies are drafts with the weakest strength of evidence until an editor has read
them; the evidence scale is an editorial judgement no reference manager makes.

Writing is done in bulk, batch by batch (``import_records``): the studies, their authors,
their first revisions and log entries, and one search-index update per study, instead of
saving each study twice (once itself, once for its revision) with an index update each time.
What a save would otherwise do and bulk writes do not: Wagtail's reference index (an imported
study refers to nothing: no document, no cited source) and the new content version, started
once when the import commits.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from itertools import batched

import bibtexparser
import rispy
from bibtexparser.middlewares import SeparateCoAuthors
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backends
from pylatexenc.latex2text import LatexNodes2Text
from wagtail.models import ModelLogEntry, Revision

from kit.downloads import clean_text
from kit.outbound import validate_public_url

from . import warmup
from .models import ImportJob, Study, StudyAuthor
from .models.base import EvidenceStrength
from .models.studies import MAX_YEAR, MIN_YEAR, Language, StudyType, doi_validator
from .names import parse_bibtex_name, parse_ris_name

logger = logging.getLogger(__name__)

# What ``bench/import_benchmark.py`` shows an import finishes well within two minutes
# (docs/benchmarks/import.md); a larger library is imported in several files.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_RECORDS = 5000
# Studies written per round of bulk statements.
BATCH_SIZE = 500
# A job still "running" this long after it started was interrupted (its transaction rolled
# back, nothing written): the task may run it again.
STALE_AFTER = timedelta(minutes=15)

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
YEAR = re.compile(r"\d{4}")
# LaTeX markup worth decoding; text without any of it is taken as it is. pylatexenc parses the
# whole text and was most of an import's time, so the markup reference managers write most,
# escaped specials (\& \% \_ ...) and braces that protect capitals, is decoded by hand; anything
# else goes to pylatexenc.
LATEX_MARKUP = re.compile(r"[\\{}$~]|--|``|''")
SIMPLE_MARKUP = re.compile(r"\\([&%$#_{}])|[{}]")
OTHER_MARKUP = re.compile(r"\\(?![&%$#_{}])|(?<!\\)\$|~|--|``|''")
_latex = LatexNodes2Text()


class ImportRefused(Exception):
    """The file cannot be imported; ``messages`` say why, for the editor."""

    def __init__(self, messages):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Outcome:
    created: list = field(default_factory=list)  # the new studies
    skipped: list = field(default_factory=list)  # titles of references not imported
    # One [number, title, outcome, study id or None] per reference, in the order of the file.
    report: list = field(default_factory=list)


def _text(value):
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_text(str(value or ""))


def _latex_text(value):
    """``value`` (a BibTeX field) as plain text: ``{\\'e}`` becomes é, braces go."""
    value = _text(value)
    if not LATEX_MARKUP.search(value):
        return value
    if not OTHER_MARKUP.search(value) and _balanced(value):
        return clean_text(SIMPLE_MARKUP.sub(lambda match: match.group(1) or "", value))
    return clean_text(_latex.latex_to_text(value))


def _balanced(value):
    """Whether the unescaped braces of ``value`` pair up."""
    depth = 0
    for match in re.finditer(r"\\[{}]|[{}]", value):
        if len(match.group()) == 1:
            depth += 1 if match.group() == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def check_upload(name, data):
    """What can be checked of an upload at once: its size, its type and that it is UTF-8 text.
    Returns the text; raises ``ImportRefused``."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            [_("Het bestand is groter dan %(size)s MB; splits het in kleinere bestanden.")
             % {"size": MAX_FILE_BYTES // (1024 * 1024)}]
        )  # fmt: skip
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"ris", "bib"}:
        raise ImportRefused([_("Kies een RIS-bestand (.ris) of een BibTeX-bestand (.bib).")])
    if not data.strip():
        raise ImportRefused([_("Het bestand is leeg.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [_("Het bestand is geen tekst in UTF-8; sla het als UTF-8 op en probeer opnieuw.")]
        ) from error


def _ris_year(entry):
    """RIS years come as ``2019`` or ``2019/05/01/``: the part before the first slash."""
    return _text(entry.get("year") or entry.get("publication_year")).split("/", 1)[0].strip()


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
            "authors": [
                parse_ris_name(clean_text(a))
                for a in entry.get("authors", []) + entry.get("first_authors", [])
            ],
            "year": _ris_year(entry),
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
    # Authors are split before any LaTeX is decoded: a corporate author in braces
    # ("{Organisation and Partners}") is one author, which decoding first would lose.
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
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
                "title": _latex_text(fields.get("title")),
                "authors": [
                    parse_bibtex_name(a, decode=_latex_text)
                    for a in (authors if isinstance(authors, list) else [authors])
                ],
                "year": _text(fields.get("year")),
                "summary": _latex_text(fields.get("abstract")),
                "doi": _text(fields.get("doi")),
                "url": _latex_text(fields.get("url")),
                "publisher": _latex_text(
                    fields.get("publisher") or fields.get("institution") or fields.get("organization")
                ),
                "language": _text(fields.get("language")),
                "type": entry.entry_type.lower(),
            }
        )
    return records


def read(name, data):
    """The references of an uploaded file (``name`` decides RIS or BibTeX), checked.

    Raises ``ImportRefused`` with a message per problem, each naming its reference.
    """
    text = check_upload(name, data)
    records = _ris_records(text) if name.lower().endswith(".ris") else _bibtex_records(text)
    if not records:
        raise ImportRefused([_("Het bestand bevat geen enkele referentie.")])
    if len(records) > MAX_RECORDS:
        raise ImportRefused(
            [_("Het bestand bevat %(count)s referenties; importeer er hoogstens %(limit)s tegelijk.")
             % {"count": len(records), "limit": MAX_RECORDS}]
        )  # fmt: skip
    problems = []
    for number, record in enumerate(records, start=1):
        problems += [_row_message(number, record, problem) for problem in _problems(record)]
    if problems:
        raise ImportRefused(problems)
    return records


def _row_message(number, record, problem):
    return _("Referentie %(number)s (%(title)s): %(problem)s") % {
        "number": number,
        "title": Truncator(record["title"] or "-").chars(60),
        "problem": problem,
    }


def _problems(record):
    """What makes ``record`` unusable (after cleaning up what can be cleaned up)."""
    problems = []
    if not record["title"]:
        problems.append(_("de titel ontbreekt."))
    elif len(record["title"]) > Study._meta.get_field("title").max_length:
        problems.append(_("de titel is langer dan 300 tekens."))
    year = record["year"]
    if year and not (YEAR.fullmatch(year) and MIN_YEAR <= int(year) <= MAX_YEAR):
        problems.append(_("het jaar '%(year)s' is geen jaar tussen 1900 en 2100.") % {"year": year[:20]})
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
    longest = StudyAuthor._meta.get_field("organisation").max_length
    if any(
        len(part) > longest
        for author in record["authors"]
        for part in (author.family_name, author.given_names, author.organisation)
    ):
        problems.append(_("een auteursnaam is langer dan 200 tekens."))
    return problems


def _title_key(record):
    return (record["title"].casefold(), int(record["year"]) if record["year"] else None)


def _present(records):
    """The DOIs (lower case) and (title, year) keys of ``records`` that studies in the
    knowledge base already have: a few queries per thousand references."""
    dois, titles = set(), set()
    for chunk in batched(records, 1000):
        wanted = {record["doi"] for record in chunk if record["doi"]}
        if wanted:
            lowered = {doi.lower() for doi in wanted}
            found = (
                Study.objects.order_by()
                .annotate(doi_lower=Lower("doi"))
                .filter(Q(doi_lower__in=lowered) | Q(doi__in=wanted))
                .values_list("doi", flat=True)
            )
            dois |= {doi.lower() for doi in found}
        wanted = {record["title"] for record in chunk if not record["doi"]}
        if wanted:
            # Both forms: SQLite lower-cases ASCII letters only.
            lowered = {title.lower() for title in wanted}
            found = (
                Study.objects.order_by()
                .annotate(title_lower=Lower("title"))
                .filter(Q(title_lower__in=lowered) | Q(title__in=wanted))
                .values_list("title", "year")
            )
            titles |= {(title.casefold(), year) for title, year in found}
    return dois, titles


def _unique_slugs(titles):
    """A slug per title, unique in the knowledge base and among themselves."""
    bases = [slugify(title)[:100].strip("-") or "onderzoek" for title in titles]
    taken = set()
    for chunk in batched(set(bases), 1000):
        taken |= set(Study.objects.order_by().filter(slug__in=chunk).values_list("slug", flat=True))
    # Numbered slugs only matter for a base that is taken; read those per base.
    for base in {base for base in bases if base in taken}:
        numbered = Study.objects.order_by().filter(slug__startswith=f"{base}-")
        taken |= set(numbered.values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _study(record, slug):
    study = Study(
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
        has_unpublished_changes=True,
        authors=[
            StudyAuthor.from_parsed(name, sort_order=order)
            for order, name in enumerate(record["authors"])
            if name.family_name or name.organisation
        ],
    )
    # A new study has no links and no published findings: set here, its revision and search
    # index entry are written without asking the database for each study.
    for name in ("themes", "methods", "countries", "infrastructure_models"):
        setattr(study, name, [])
    study.published_findings_for_index = []
    return study


def import_records(records, *, user):
    """Save ``records`` (from ``read``) as draft studies, each with a first revision by
    ``user``, all or none. References already present, or repeated in the file, are
    skipped; the outcome has a report line per reference."""
    outcome = Outcome()
    present_dois, present_titles = _present(records)
    report, seen, new = {}, set(), []
    for number, record in enumerate(records, start=1):
        key = record["doi"].lower() or _title_key(record)
        if key in seen:
            skipped = ImportJob.Outcome.REPEATED
        elif key in present_dois or key in present_titles:
            skipped = ImportJob.Outcome.IN_KNOWLEDGE_BASE
        else:
            seen.add(key)
            new.append((number, record))
            continue
        seen.add(key)
        outcome.skipped.append(record["title"])
        report[number] = [number, record["title"], skipped, None]

    studies, problems = [], []
    slugs = _unique_slugs([record["title"] for _number, record in new])
    for (number, record), slug in zip(new, slugs, strict=True):
        study = _study(record, slug)
        try:
            # What ``read`` does not check: the model's own field rules (uniqueness is
            # settled above, the year range in ``read``).
            study.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.append(_row_message(number, record, " ".join(error.messages)))
        studies.append((number, study))
    if problems:
        raise ImportRefused(problems)

    with transaction.atomic():
        for batch in batched(studies, BATCH_SIZE):
            _save([study for _number, study in batch], user)
        # One bulk update of the search index: the database backend recomputes its title
        # norms over the whole index after each one.
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Study, [study for _number, study in studies])
        if studies:  # Nothing imported (every reference was present): nothing changed.
            transaction.on_commit(partial(warmup.content_changed, ("study",)))
    for number, study in studies:
        report[number] = [number, study.title, ImportJob.Outcome.CREATED, study.pk]
    outcome.created = [study for _number, study in studies]
    outcome.report = [report[number] for number in sorted(report)]
    return outcome


def _save(studies, user):
    """Write ``studies`` (new, unsaved) with their authors, a first revision and a log entry
    each: a fixed number of statements for the whole batch."""
    Study.objects.bulk_create(studies)
    StudyAuthor.objects.bulk_create([author for study in studies for author in study.authors.all()])
    content_type = ContentType.objects.get_for_model(Study)
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(study.pk),
                user=user,
                created_at=now,
                content=study.serializable_data(),
                object_str=str(study),
            )
            for study in studies
        ]
    )
    for study, revision in zip(studies, revisions, strict=True):
        study.latest_revision = revision
    Study.objects.bulk_update(studies, ["latest_revision"])
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(study.pk),
                label=str(study),
                action="wagtail.create",
                timestamp=now,
                user=user,
                revision=revision,
                content_changed=True,
            )
            for study, revision in zip(studies, revisions, strict=True)
        ]
    )


def import_job_create(*, user, name, data):
    """Store an upload as a queued ``ImportJob`` (the caller queues ``tasks.import_studies``
    once it is committed).

    Raises ``ImportRefused`` when the file cannot be an import at all (``check_upload``).
    """
    check_upload(name, data)
    return ImportJob.objects.create(user=user, file_name=name[:255], data=data)


def import_job_run(*, job_id):
    """Import the file of job ``job_id`` and record the outcome on the job.

    Safe to run twice: a job is taken only while queued (or when a run was interrupted long
    ago, its transaction rolled back), so a second delivery of the task does nothing.
    """
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ImportJob.Status.QUEUED)
            | Q(status=ImportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(status=ImportJob.Status.RUNNING, started_at=now)
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        records = read(job.file_name, bytes(job.data))
        job.references = len(records)
        outcome = import_records(records, user=job.user)
    except ImportRefused as refused:
        job.status, job.messages = ImportJob.Status.REFUSED, refused.messages
    except Exception:
        # Nothing was written (the import is one transaction); the editor hears so, the log
        # says why.
        logger.exception("Import %s failed", job_id)
        job.status = ImportJob.Status.REFUSED
        job.messages = [
            _("Het importeren is mislukt door een fout in het portaal; er is niets geïmporteerd.")
        ]
    else:
        job.status = ImportJob.Status.DONE
        job.created_count, job.skipped_count = len(outcome.created), len(outcome.skipped)
        job.report = outcome.report
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "messages",
            "references",
            "created_count",
            "skipped_count",
            "report",
            "finished_at",
        ]
    )
