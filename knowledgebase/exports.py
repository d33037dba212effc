"""Citation formats for a study: RIS, BibTeX and CSL-JSON.

Authors are people (family name, particle, given names) or organisations
(``StudyAuthor``); each format gets the structure its specification has for either kind:
RIS "Family, Given" and an organisation without a comma, BibTeX "von Last, First" and an
organisation in braces, CSL-JSON ``family``/``given``/``non-dropping-particle`` and
``literal``. Every format carries the study's own language.

Every value is written so that a program reading the file cannot take part of it for
structure: RIS and BibTeX values are one line each (a RIS tag or a BibTeX ``@`` only counts
at the start of a line), and BibTeX braces always balance.
"""

import json
import re

import bibtexparser
import rispy
from bibtexparser import model as bibtex_model

from kit.downloads import CSV_CONTENT_TYPE, Link, Sheet, clean_text, csv_text, latex_escape, single_line

from .models.studies import Language, StudyType

RIS_TYPES = {
    StudyType.REVIEW: "RPRT",
    StudyType.REPORT: "RPRT",
    StudyType.MAPPING: "RPRT",
    StudyType.EXPLORATION: "RPRT",
    StudyType.EVALUATION: "RPRT",
    StudyType.PRESENTATION: "SLIDE",
    StudyType.POLICY: "GOVDOC",
    StudyType.OTHER: "GEN",
}
CSL_TYPES = {
    StudyType.PRESENTATION: "speech",
    StudyType.OTHER: "document",
}
# The work's language: a BCP 47 tag (RIS ``LA``, CSL ``language``) and biblatex's name. A work
# in another language gets none: no tag is better than a wrong one.
LANGUAGE_TAGS = {Language.DUTCH: "nl", Language.ENGLISH: "en"}
BIBTEX_LANGUAGES = {Language.DUTCH: "dutch", Language.ENGLISH: "english"}
BIBTEX_REPORT_TYPES = {
    StudyType.REVIEW,
    StudyType.REPORT,
    StudyType.MAPPING,
    StudyType.EXPLORATION,
    StudyType.EVALUATION,
    StudyType.POLICY,
}


def _authors(study):
    """The study's authors as CSL name variables, text cleaned, empty ones left out."""
    authors = []
    for author in study.authors.all():
        name = {key: clean_text(value) for key, value in author.to_csl().items()}
        if name.get("family") or name.get("literal"):
            authors.append({key: value for key, value in name.items() if value})
    return authors


def _family(name):
    return " ".join(part for part in (name.get("non-dropping-particle"), name["family"]) if part)


def _ris_author(name):
    if "literal" in name:
        # A RIS reader takes a name without a comma as one field: an organisation's.
        return name["literal"].replace(",", "")
    return f"{_family(name)}, {name['given']}" if name.get("given") else f"{_family(name)},"


class _RisWriter(rispy.RisWriter):
    """RIS without the record number rispy writes before each ``TY`` line: the RIS
    specification has no such line, and some readers take it for a stray value."""

    def set_header(self, count):
        return ""


def _author_line(study):
    """The authors on one line for a list or a feed: "Hooley, T.; OECD"."""
    return "; ".join(
        name["literal"] if "literal" in name else _ris_author(name).rstrip(",") for name in _authors(study)
    )


def _ris_value(value):
    if isinstance(value, list):
        return [line for line in (single_line(item) for item in value) if line]
    return single_line(value)


def filename(study, extension):
    return f"{study.slug}.{extension}"


def study_to_ris(study):
    """One RIS record for ``study``."""
    record = {
        "type_of_reference": RIS_TYPES.get(study.study_type, "GEN"),
        "title": clean_text(study.title),
        "authors": [_ris_author(name) for name in _authors(study)],
        "abstract": clean_text(study.summary),
    }
    if study.language in LANGUAGE_TAGS:
        record["language"] = LANGUAGE_TAGS[study.language]
    if study.year:
        record["year"] = str(study.year)
    if study.publisher:
        record["publisher"] = clean_text(study.publisher)
    if study.doi:
        record["doi"] = study.doi
    if study.url:
        record["urls"] = [study.url]
    # A line break in a value would let the text after it be read as a tag of its own, an
    # ``ER`` ending the record among them.
    return rispy.dumps([{key: _ris_value(value) for key, value in record.items()}], implementation=_RisWriter)


def _bibtex_author(name):
    if "literal" in name:
        # Braces keep an organisation's name from being split into name parts.
        return "{" + latex_escape(name["literal"]) + "}"
    # "von Last, First": BibTeX reads the lower-case words before the family name as its
    # particle ("van Bochove, P.J." has von "van", last "Bochove").
    family = latex_escape(_family(name))
    return f"{family}, {latex_escape(name['given'])}" if name.get("given") else family


def bibtex_key(study):
    return re.sub(r"[^A-Za-z0-9]+", "_", study.slug).strip("_") or f"study_{study.pk}"


def study_to_bibtex(study):
    """One BibTeX entry for ``study``, written with bibtexparser."""
    is_report = study.study_type in BIBTEX_REPORT_TYPES
    fields = [
        # The inner braces keep capitals in the title as they are.
        bibtex_model.Field("title", "{" + latex_escape(study.title) + "}"),
    ]
    authors = _authors(study)
    if authors:
        fields.append(bibtex_model.Field("author", " and ".join(_bibtex_author(name) for name in authors)))
    if study.year:
        fields.append(bibtex_model.Field("year", str(study.year)))
    if study.publisher:
        fields.append(
            bibtex_model.Field("institution" if is_report else "publisher", latex_escape(study.publisher))
        )
    if study.doi:
        fields.append(bibtex_model.Field("doi", latex_escape(study.doi)))
    if study.url:
        # url fields are verbatim in biblatex; only braces and % would break the entry.
        url = single_line(study.url).replace("{", "%7B").replace("}", "%7D")
        fields.append(bibtex_model.Field("url", url))
    if study.language in BIBTEX_LANGUAGES:
        # biblatex's language names (babel's), not the portal's Dutch labels.
        fields.append(bibtex_model.Field("language", BIBTEX_LANGUAGES[study.language]))
    fields.append(bibtex_model.Field("abstract", latex_escape(study.summary)))
    entry = bibtex_model.Entry("techreport" if is_report else "misc", bibtex_key(study), fields)
    library = bibtexparser.Library()
    library.add(entry)
    return bibtexparser.write_string(library)


def study_to_csl(study):
    """``study`` as a CSL-JSON item (a dict)."""
    item = {
        "id": study.slug,
        "type": CSL_TYPES.get(study.study_type, "report"),
        "title": clean_text(study.title),
        "author": _authors(study),
        "abstract": clean_text(study.summary),
    }
    if study.language in LANGUAGE_TAGS:
        item["language"] = LANGUAGE_TAGS[study.language]
    if study.year:
        item["issued"] = {"date-parts": [[study.year]]}
    if study.url:
        item["URL"] = study.url
    if study.doi:
        item["DOI"] = study.doi
    if study.publisher:
        item["publisher"] = clean_text(study.publisher)
    return item


def study_to_csl_json(study):
    """CSL-JSON text: a list with one item."""
    return json.dumps([study_to_csl(study)], ensure_ascii=False, indent=2)


FORMATS = {
    "ris": (study_to_ris, "application/x-research-info-systems; charset=utf-8"),
    "bib": (study_to_bibtex, "application/x-bibtex; charset=utf-8"),
    "json": (study_to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


# Result sets -------------------------------------------------------------------------------


def _names(items, attribute="name"):
    return "; ".join(str(getattr(item, attribute)) for item in items)


def studies_sheet(studies):
    """Studies as a table to download, one row each, with their links as semicolon-separated
    names."""
    header = [
        "titel", "auteurs", "jaar", "soort", "methoden", "taal", "uitgever", "thema's", "landen",
        "bewijskracht", "doi", "link", "portaal",
    ]  # fmt: skip
    rows = [
        [
            study.title,
            _author_line(study),
            study.year or "",
            study.get_study_type_display(),
            _names(study.methods.all()),
            study.get_language_display(),
            study.publisher,
            _names(study.themes.all()),
            _names(study.countries.all(), "title"),
            study.get_strength_display(),
            study.doi,
            Link(study.url),
            Link(study.get_absolute_url()),
        ]
        for study in studies
    ]
    return Sheet(name="onderzoek", header=header, rows=rows)


def studies_to_csv(studies):
    """Studies as CSV text (see ``studies_sheet``)."""
    return csv_text(studies_sheet(studies))


def findings_sheet(findings):
    """Findings as a table to download, with their study, locator, strength, themes and
    countries."""
    header = ["bevinding", "onderzoek", "jaar", "vindplaats", "bewijskracht", "les voor Nederland", "thema's",
              "landen", "portaal"]  # fmt: skip
    rows = [
        [
            finding.statement,
            finding.study.title,
            finding.study.year or "",
            finding.locator,
            finding.get_strength_display(),
            "ja" if finding.lesson_for_nl else "nee",
            _names(finding.themes.all()),
            _names(finding.countries.all(), "title"),
            Link(finding.get_absolute_url()),
        ]
        for finding in findings
    ]
    return Sheet(name="bevindingen", header=header, rows=rows)


def findings_to_csv(findings):
    """Findings as CSV text (see ``findings_sheet``)."""
    return csv_text(findings_sheet(findings))


def studies_to_ris(studies):
    """All ``studies`` in one RIS file."""
    return "".join(study_to_ris(study) for study in studies)


def studies_to_bibtex(studies):
    """All ``studies`` in one BibTeX file; keys are unique within the file."""
    return "\n".join(study_to_bibtex(study) for study in studies)


def studies_to_csl_json(studies):
    """All ``studies`` as one CSL-JSON list."""
    return json.dumps([study_to_csl(study) for study in studies], ensure_ascii=False, indent=2)


SET_FORMATS = {
    "csv": (studies_to_csv, CSV_CONTENT_TYPE),
    "ris": (studies_to_ris, FORMATS["ris"][1]),
    "bib": (studies_to_bibtex, FORMATS["bib"][1]),
    "json": (studies_to_csl_json, FORMATS["json"][1]),
}
EXTENSIONS = {"csv": "csv", "ris": "ris", "bib": "bib", "json": "json"}
