"""The site-wide search behind ``/zoeken/``: one query over every kind of public content.

Matching and ranking go through the project's own index of public documents (``index.py``,
tokens from ``analysis.py``); the facets narrow it through the public querysets, and each kind
keeps at most ``CANDIDATE_CAP`` candidates, best first. Only the candidates are counted per
facet and paginated. Counts at the cap are shown as "1000+". docs/search.md explains the design.

What a search matched and its facet counts are cached per *content version*
(``content_cache``), which ``signals.py`` renews whenever content changes.
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Count, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from countries.models import CountryPage
from countries.sections import SECTIONS
from knowledgebase import selectors
from knowledgebase.content_cache import cached
from knowledgebase.filters import YearRangeForm
from knowledgebase.models import (
    EvidenceStrength,
    Finding,
    Framework,
    Method,
    Organisation,
    ResearchQuestion,
    Study,
    Theme,
)
from knowledgebase.models.studies import MAX_YEAR, MIN_YEAR, Language, StudyType
from models_infra.models import InfrastructureModelPage

from . import documents as documents_module
from . import index
from .analysis import fold
from .kinds import ContentKind
from .models import SearchDocument
from .synonyms import synonym_tokens

__all__ = ["ContentKind", "fold"]

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# As many as a download of a filtered list holds.
CANDIDATE_CAP = selectors.EXPORT_LIMIT

PER_PAGE = 20
PREVIEW_PER_KIND = 3
BEST_LIMIT = 3
EXCERPT_LENGTH = 220

WORD = re.compile(r"[^\W_]+")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def query_terms(text):
    """The words of a query, without operators or punctuation, at most ``MAX_TERMS``."""
    return WORD.findall(text or "")[:MAX_TERMS]


# Kinds of content ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: ContentKind
    label: str
    model: type
    # Facets a record of this kind can be filtered by; any other active facet excludes it.
    facets: frozenset = frozenset()


STUDY_FACETS = frozenset(
    {"theme", "country", "model", "year_min", "year_max", "type", "method", "strength", "language"}
)
KINDS = [
    Kind(ContentKind.STUDIES, _("Onderzoek"), Study, STUDY_FACETS),
    Kind(ContentKind.FINDINGS, _("Bevindingen"), Finding, STUDY_FACETS),
    Kind(ContentKind.COUNTRIES, _("Landenprofielen"), CountryPage, frozenset({"country", "model"})),
    Kind(
        ContentKind.MODELS, _("Kennisinfrastructuurmodellen"), InfrastructureModelPage, frozenset({"model"})
    ),
    Kind(ContentKind.FRAMEWORKS, _("Kaders"), Framework),
    Kind(ContentKind.QUESTIONS, _("Onderzoeksvragen"), ResearchQuestion, frozenset({"theme", "country"})),
    Kind(ContentKind.ORGANISATIONS, _("Organisaties"), Organisation, frozenset({"country"})),
    Kind(ContentKind.THEMES, _("Thema's"), Theme, frozenset({"theme"})),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
SORTS = [("relevantie", _("Relevantie")), ("nieuwste", _("Nieuwste eerst"))]


# The request ---------------------------------------------------------------------------------


def _reject_unusable(value):
    if "\x00" in value:
        raise ValidationError(_("De zoekopdracht bevat ongeldige tekens."), code="invalid")


class OptionField(forms.CharField):
    """A facet value that must be one of the options loaded for this request."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 120)
        super().__init__(*args, **kwargs)
        self.options = {}

    def validate(self, value):
        super().validate(value)
        if value and (value not in self.options):
            raise ValidationError(
                _("'%(value)s' is geen bekende waarde voor dit filter."),
                code="invalid_choice",
                params={"value": value if "\x00" not in value else "…"},
            )


class SearchForm(YearRangeForm):
    """The query, the facets and the sort order, all from the query string."""

    q = forms.CharField(
        label=_("Zoekterm"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[_reject_unusable],
        error_messages={
            "max_length": _("Uw zoekopdracht is te lang: gebruik hoogstens %(limit_value)d tekens.")
        },
    )
    kind = OptionField(label=_("Soort inhoud"))
    theme = OptionField(label=_("Thema"))
    country = OptionField(label=_("Land of regio"))
    model = OptionField(label=_("Kennisinfrastructuurmodel"))
    type = OptionField(label=_("Soort onderzoek"))
    method = OptionField(label=_("Methode"))
    strength = OptionField(label=_("Bewijskracht"))
    language = OptionField(label=_("Taal"))
    year_min = forms.IntegerField(
        label=_("Vanaf jaar"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    year_max = forms.IntegerField(
        label=_("Tot en met jaar"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    sort = OptionField(label=_("Sorteren"))

    def __init__(self, data, options):
        super().__init__(data)
        for name, choices in options.items():
            self.fields[name].options = dict(choices)

    def clean_q(self):
        return CONTROL_CHARS.sub(" ", self.cleaned_data["q"]).strip()


# Cache names ------------------------------------------------------------------------------------
# Everything the search caches is kept per content version (``content_cache``).


def outcome_name(params):
    """The cache name of what a search matched (``cache_key`` adds the version): the query,
    facets and sort, not the kind shown or the page."""
    signature = json.dumps([params.q, params.sort, sorted(params.facets.items())])
    return "outcome:" + hashlib.sha256(signature.encode()).hexdigest()


def facet_counts_name(params):
    """The cache name of a search's facet counts for the kind it shows (studies by default)."""
    return f"{outcome_name(params)}:facets:{params.kind or 'onderzoek'}"


def _linked_facets():
    """(value, label, primary key) per facet that links to other records, in display order:
    four small queries, cached per content version."""
    return cached(
        "linked-facets",
        lambda: {
            "theme": list(selectors.public_themes().order_by("name").values_list("slug", "name", "pk")),
            "country": list(
                selectors.public_countries().order_by("title").values_list("code", "title", "pk")
            ),
            "model": list(selectors.public_models().order_by("title").values_list("slug", "title", "pk")),
            "method": list(Method.objects.order_by("name").values_list("slug", "name", "pk")),
        },
    )


def facet_options():
    """(value, label) per facet, in display order."""
    linked = {name: [(value, label) for value, label, _pk in rows] for name, rows in _linked_facets().items()}
    return {
        "kind": [(kind.key, kind.label) for kind in KINDS],
        **linked,
        "type": list(StudyType.choices),
        "strength": list(EvidenceStrength.choices),
        "language": list(Language.choices),
        "sort": SORTS,
    }


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    sort: str = "relevantie"
    facets: dict = field(default_factory=dict)

    @property
    def terms(self):
        return query_terms(self.q)

    @property
    def is_empty(self):
        return not self.terms and not self.facets


FACET_NAMES = ["theme", "country", "model", "type", "method", "strength", "language", "year_min", "year_max"]


def params_from_form(form):
    """The usable part of a (possibly invalid) form: invalid fields are left out."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    facets = {name: data[name] for name in FACET_NAMES if data.get(name) not in (None, "")}
    return SearchParams(
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        sort=data.get("sort") or "relevantie",
        facets=facets,
    )


# Filtering -----------------------------------------------------------------------------------


public_queryset = index.public_queryset


STUDY_LOOKUPS = {
    "theme": "themes",
    "country": "countries",
    "model": "infrastructure_models",
    "type": "study_type",
    "method": "methods",
    "strength": "strength",
    "language": "language",
    "year_min": "year__gte",
    "year_max": "year__lte",
}
# Facets on a study's own columns; the others link to themes, countries, models and methods.
STUDY_FIELD_FACETS = {"type", "strength", "language", "year_min", "year_max"}
# A finding has its own themes, countries and strength; the other facets are its study's.
FINDING_OWN_FACETS = {"theme", "country", "strength"}


def _facet_ids():
    """{facet: {slug or code: primary key}} for the facets that link to other records.
    Filtering on the link tables' ids spares the planner the joins to the themes, pages and
    methods."""
    return {name: {value: pk for value, _label, pk in rows} for name, rows in _linked_facets().items()}


def _study_filters(facets, for_findings=False):
    filters, ids = {}, None
    for name, value in facets.items():
        prefix = "study__" if for_findings and name not in FINDING_OWN_FACETS else ""
        if name not in STUDY_FIELD_FACETS:
            ids = ids or _facet_ids()
            value = ids[name].get(value, 0)  # 0: a value that is no longer there matches nothing
        filters[prefix + STUDY_LOOKUPS[name]] = value
    return filters


def filtered_queryset(kind, facets):
    """The public records of ``kind`` that satisfy every facet, or ``None`` when a facet does
    not apply to the kind (the kind then has no results)."""
    if set(facets) - KINDS_BY_KEY[kind].facets:
        return None
    queryset = public_queryset(kind)
    if not facets:
        return queryset
    if kind == ContentKind.STUDIES:
        return queryset.filter(**_study_filters(facets))
    if kind == ContentKind.FINDINGS:
        return queryset.filter(**_study_filters(facets, for_findings=True))
    if kind == ContentKind.COUNTRIES:
        lookups = {"country": "code", "model": "infrastructure_model__slug"}
    elif kind == ContentKind.MODELS:
        lookups = {"model": "slug"}
    elif kind == ContentKind.QUESTIONS:
        lookups = {"theme": "themes__slug", "country": "countries__code"}
    elif kind == ContentKind.ORGANISATIONS:
        lookups = {"country": "country_code"}
    else:
        lookups = {"theme": "slug"}
    return queryset.filter(**{lookups[name]: value for name, value in facets.items()})


# Matching --------------------------------------------------------------------------------------


def candidates(kind, params, query, stats=None):
    """Up to ``CANDIDATE_CAP`` (primary key, score) pairs of ``kind`` for the request, in
    result order: the index's matches (``index.match``) among the records the facets let
    through, or without a query the newest records that pass the facets (score 0)."""
    return all_candidates([kind], params, query, stats)[kind]


def all_candidates(kinds, params, query, stats=None):
    """``candidates`` of every kind in ``kinds``: {kind: pairs}. The index is asked for all of
    them at once (``index.match_kinds``), which needs fewer statements than kind by kind."""
    found, allowed = {}, {}
    for kind in kinds:
        if query.groups and not params.facets:
            # The index holds only public documents: without facets no records are asked.
            allowed[kind] = None
            continue
        queryset = filtered_queryset(kind, params.facets)
        if queryset is None:
            found[kind] = []
        elif not query.groups:
            pks = queryset.order_by(*default_order(kind)).values_list("pk", flat=True).distinct()
            found[kind] = [(pk, 0) for pk in pks[:CANDIDATE_CAP]]
        else:
            allowed[kind] = _records_allowed(kind, params.facets, queryset)
    if allowed:
        for kind, pairs in index.match_kinds(query, allowed, CANDIDATE_CAP, stats).items():
            found[kind] = _in_sort_order(kind, params, pairs)
    return {kind: found[kind] for kind in kinds}


def _records_allowed(kind, facets, queryset):
    """The ids of the records of ``kind`` that ``facets`` let through, for the index (which
    holds only public documents, so whether a record is public need not be asked again). When
    every facet is a link of the record itself (its themes, countries, models, methods), its
    link tables alone answer: a theme of a fifth of the studies is then one index scan of its
    link table, not a join of the records, their links and their study."""
    links = ONE_STATEMENT_FACETS[kind].links if kind in ONE_STATEMENT_FACETS else {}
    if not set(facets) <= set(links):
        return queryset.values_list("pk", flat=True)
    values, ids = _facet_ids(), None
    for name, value in facets.items():
        through, record_field, value_field = links[name]
        record = through._meta.get_field(record_field).attname
        target = through._meta.get_field(value_field).attname
        linked = through.objects.filter(**{target: values[name].get(value, 0)})
        if ids is not None:
            linked = linked.filter(**{f"{record}__in": ids})
        ids = linked.values_list(record, flat=True)
    return ids


def _in_sort_order(kind, params, pairs):
    if params.sort == "nieuwste" and kind in {ContentKind.STUDIES, ContentKind.FINDINGS} and pairs:
        years = dict(
            SearchDocument.objects.filter(kind=kind, object_id__in=[pk for pk, _score in pairs]).values_list(
                "object_id", "year"
            )
        )
        pairs.sort(key=lambda pair: -(years.get(pair[0]) or 0))
    return pairs


def default_order(kind):
    return {
        ContentKind.STUDIES: ["-year", "title", "pk"],
        ContentKind.FINDINGS: ["-study__year", "pk"],
        ContentKind.COUNTRIES: ["title", "pk"],
        ContentKind.MODELS: ["title", "pk"],
        ContentKind.FRAMEWORKS: ["name", "pk"],
        ContentKind.QUESTIONS: ["-pk"],
        ContentKind.ORGANISATIONS: ["name", "pk"],
        ContentKind.THEMES: ["name", "pk"],
    }[kind]


# Spelling: accents and "bedoelde u" ------------------------------------------------------------

vocabulary = index.vocabulary


def suggestion(terms, words):
    """A corrected query if some terms are unknown and close to a known word, else ``None``."""
    corrected, changed = [], False
    keys = list(words)
    for term in terms:
        folded = fold(term)
        if folded in words or len(folded) < 4 or folded.isdigit():
            corrected.append(term)
            continue
        match = difflib.get_close_matches(folded, keys, n=1, cutoff=0.75)
        if match:
            corrected.append(sorted(words[match[0]])[0])
            changed = True
        else:
            corrected.append(term)
    return " ".join(corrected) if changed else None


# Excerpts --------------------------------------------------------------------------------------


def _term_pattern(terms):
    # A word matches a term when it starts with the term's first letters, so "begeleiders"
    # highlights "begeleiding" as the stemmer finds it; a term of five letters or more also
    # matches as the part of a compound ("cheque" in "loopbaancheques").
    stems = {}
    for term in terms:
        if term:
            stems[fold(term)[: max(4, len(term) - 3)]] = len(term) >= 5
    if not stems:
        return None
    ordered = sorted(stems, key=len, reverse=True)
    alternatives = "|".join((r"\w*" if stems[stem] else r"\b") + re.escape(stem) for stem in ordered)
    return re.compile(r"(" + alternatives + r")\w*", re.IGNORECASE)


def highlight(text, terms, length=EXCERPT_LENGTH):
    """An escaped excerpt of ``text`` around the first match, with matches in ``<mark>``."""
    text = " ".join((text or "").split())
    pattern = _term_pattern(terms)
    if not text:
        return ""
    folded = fold(text)
    if len(folded) != len(text):
        # Folding changed the length (ligatures): highlight nothing rather than misplace marks.
        pattern = None
    start = 0
    matches = list(pattern.finditer(folded)) if pattern else []
    if matches and matches[0].start() > length // 3:
        start = text.rfind(" ", 0, matches[0].start() - length // 4) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start:
            continue
        if match.end() > end:
            break
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (every piece is escaped)


# Results ---------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: Kind
    title: str
    url: str
    excerpt: str
    meta: list
    pk: int
    lang: str = ""
    title_html: str = ""
    strength: str = ""
    year: int | None = None

    @property
    def strength_label(self):
        return _label(Study, "strength", self.strength)


_LABELS = {}


def _label(model, name, value):
    """The display label of a choice field's ``value`` (translated when shown)."""
    key = (model, name)
    if key not in _LABELS:
        _LABELS[key] = dict(model._meta.get_field(name).flatchoices)
    return _LABELS[key].get(value, value)


def _section_texts(page):
    """{section key: its text} of the filled sections of a country profile, in order. Reading
    the text out of a section's blocks takes about a millisecond, so it is cached per version
    of the countries."""

    def compute():
        texts = {}
        for key, _label, _group in SECTIONS:
            value = getattr(page, key)
            if value:
                texts[key] = " ".join(page._meta.get_field(key).get_searchable_content(value))
        return texts

    return cached(f"country-sections:{page.pk}", compute, kinds=("country",))


def _country_section(texts, summary, terms):
    """The first section of a country profile (``texts``: {section key: text}) that mentions a
    term: (anchor, label, text); without one, the profile's ``summary``."""
    pattern = _term_pattern(terms)
    for key, label, _group in SECTIONS:
        text = texts.get(key)
        if text and (pattern is None or pattern.search(fold(text))):
            return key.replace("_", "-"), label, text
    return None, None, summary


def load_results(kind, pks, terms):
    """The results for ``pks`` of ``kind`` (``load_kinds``), in the order of ``pks``."""
    return load_kinds({kind: pks}, terms).get(kind, [])


def load_kinds(wanted, terms):
    """{kind: ``Result`` rows} for ``wanted`` ({kind: primary keys}), each in the order given.

    A result is made from its document in the index (title, URL, summary and ``display``): one
    read for every kind, where loading each kind's records took a query or three per kind.
    One more statement asks which of them are public now, so a record unpublished by a bulk
    update (no signal, so still in the index) is not shown. A document written before the index
    kept ``display`` is shown from its record."""
    wanted = {kind: list(pks) for kind, pks in wanted.items() if pks}
    if not wanted:
        return {}
    rows = SearchDocument.objects.filter(
        Q(*[Q(kind=kind, object_id__in=pks) for kind, pks in wanted.items()], _connector=Q.OR)
    ).values_list("kind", "object_id", "title", "url", "summary", "year", "display")
    documents = {(row[0], row[1]): row for row in rows}
    public = _public_keys(wanted)
    results = {}
    for kind, pks in wanted.items():
        shown = [documents[kind, pk] for pk in pks if (kind, pk) in documents and (kind, pk) in public]
        if any(row[6] is None for row in shown):
            results[kind] = _load_records(kind, pks, terms)
            continue
        results[kind] = [_from_document(KINDS_BY_KEY[kind], row, terms) for row in shown]
    _add_pdf_excerpts(results.get(ContentKind.STUDIES, []), documents, terms)
    return results


def _from_document(kind, row, terms):
    _kind, pk, title, url, summary, year, display = row
    if kind.key == ContentKind.STUDIES:
        meta = [
            m
            for m in [
                display["authors"] or display["publisher"],
                year,
                _label(Study, "study_type", display["type"]),
            ]
            if m
        ]
        result = Result(
            kind,
            title,
            url,
            highlight(summary, terms),
            meta,
            pk,
            display["language"],
            strength=display["strength"],
            year=year,
        )
    elif kind.key == ContentKind.FINDINGS:
        meta = [display["study"], display["locator"]]
        result = Result(
            kind,
            display["title"],
            url,
            highlight(title, terms),
            meta,
            pk,
            strength=display["strength"],
            year=year,
        )
    elif kind.key == ContentKind.COUNTRIES:
        anchor, label, text = _country_section(display["sections"], summary, terms)
        result = Result(
            kind,
            f"{title}: {label}" if label else title,
            url + (f"#{anchor}" if anchor else ""),
            highlight(text, terms),
            [],
            pk,
        )
    elif kind.key == ContentKind.QUESTIONS:
        meta = [_label(ResearchQuestion, "status", display["status"])] + (
            [display["raised_by"]] if display["raised_by"] else []
        )
        result = Result(kind, display["title"], url, highlight(summary or title, terms), meta, pk)
    elif kind.key == ContentKind.ORGANISATIONS:
        meta = [_label(Organisation, "kind", display["kind"])] + (
            [_label(Organisation, "country_code", display["country"])] if display["country"] else []
        )
        result = Result(kind, title, url, highlight(display["text"], terms), meta, pk)
    else:
        # Models, frameworks and themes: the title and the summary (a description).
        result = Result(kind, title, url, highlight(summary, terms), [], pk)
    result.title_html = highlight(result.title, terms, length=400)
    return result


def _add_pdf_excerpts(results, documents, terms):
    """A study whose summary does not mention a term shows the first page of its PDF that
    does, if it has one."""
    unmarked = {}
    for result in results:
        display = documents.get((ContentKind.STUDIES, result.pk), (None,) * 7)[6]
        if "<mark>" not in result.excerpt and display and display.get("document"):
            unmarked[result.pk] = display["document"]
    if not unmarked:
        return
    pages = documents_module.page_texts(sorted(set(unmarked.values())))
    for result in results:
        if result.pk in unmarked:
            result.excerpt = _pdf_excerpt(pages.get(unmarked[result.pk]), terms) or result.excerpt


def _load_records(kind, pks, terms):
    """``Result`` rows made from the records themselves, through the public queryset: for
    documents written before the index kept what a result shows."""
    kind_obj = KINDS_BY_KEY[kind]
    queryset = public_queryset(kind)
    pdf_pages = {}
    if kind == ContentKind.STUDIES:
        queryset = queryset.prefetch_related("authors")
        pdf_pages = documents_module.page_texts(
            queryset.filter(pk__in=pks).values_list("document_id", flat=True)
        )
    elif kind == ContentKind.FINDINGS:
        queryset = queryset.select_related("study")
    elif kind == ContentKind.QUESTIONS:
        queryset = queryset.select_related("raised_by")
    results = []
    for obj in selectors.in_order(queryset, pks):
        if pdf_pages:
            obj.pdf_pages = pdf_pages.get(obj.document_id)
        result = _result(kind_obj, obj, terms)
        result.title_html = highlight(result.title, terms, length=400)
        results.append(result)
    return results


def _public_union(shown):
    """One query listing (primary key, kind) of the records in ``shown`` ({kind: primary keys})
    that are public now."""
    parts = [
        _with_ids(public_queryset(kind), KINDS_BY_KEY[kind].model._meta.pk.column, pks)
        .order_by()
        .annotate(search_kind=Value(str(kind), output_field=CharField()))
        .values_list("pk", "search_kind")
        for kind, pks in shown.items()
    ]
    first, *rest = parts
    return (first.union(*rest, all=True) if rest else first).order_by()


# The statement of ``_public_union`` per shape of ``shown``, with where its ids go.
_PUBLIC_STATEMENTS = {}


def _public_sql(shown):
    """(sql, params) of ``_public_union(shown)``, compiled once per shape (the kinds and, where
    each id is a parameter of its own, how many) and filled with ``shown``'s ids: compiling the
    union of several public querysets took longer than running it. The querysets' other
    parameters (``live``, the language) do not change while the process runs."""
    per_id = connection.vendor != "postgresql"
    shape = (connection.vendor, tuple((str(kind), len(pks) if per_id else 0) for kind, pks in shown.items()))
    if shape not in _PUBLIC_STATEMENTS:
        # Negative ids stand in for the real ones: no parameter of the querysets is one.
        stand_ins = {
            kind: [-(1_000_000 * (number + 1) + position) for position in range(max(len(pks), 1))]
            for number, (kind, pks) in enumerate(shown.items())
        }
        sql, params = _public_union(stand_ins).query.sql_with_params()
        slots = {}
        for kind, ids in stand_ins.items():
            slots[index.id_array(ids)] = _IdSlot(kind, None)
            slots.update({pk: _IdSlot(kind, position) for position, pk in enumerate(ids)})
        template = [slots.get(param, param) if isinstance(param, (int, str)) else param for param in params]
        _PUBLIC_STATEMENTS[shape] = (sql, template)
    sql, template = _PUBLIC_STATEMENTS[shape]
    params = [
        (index.id_array(shown[p.kind]) if p.position is None else shown[p.kind][p.position])
        if isinstance(p, _IdSlot)
        else p
        for p in template
    ]
    return sql, params


@dataclass(frozen=True)
class _IdSlot:
    """Where ``_public_sql`` puts the ids of ``kind``: all as one array (``position`` None) or
    one of them."""

    kind: str
    position: int | None


def _public_keys(shown):
    """{(kind, primary key)} of the records in ``shown`` that are public now: one statement."""
    sql, params = _public_sql(shown)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(kind, pk) for pk, kind in cursor.fetchall()}


def public_check(shown):
    """A query that lists which of the records in ``shown`` (primary keys per kind) are still
    public, compiled once: (sql, params, how many it must list), or None when nothing is shown.

    A cached search page is stored with it and served again only if all its records are still
    listed, so a record unpublished without the signals that start a new content version (a
    bulk update) does not show from the cache.
    """
    if not shown:
        return None
    sql, params = _public_sql(shown)
    return sql, params, sum(len(pks) for pks in shown.values())


def still_public(check):
    """Whether every record of a ``public_check`` is still public: one query."""
    if check is None:
        return True
    sql, params, expected = check
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall()) == expected


def _pdf_excerpt(pages, terms):
    """An excerpt of the first page of a study's PDF that mentions a term, with its number."""
    pattern = _term_pattern(terms)
    if not pages or pattern is None:
        return None
    for number, text in enumerate(pages, start=1):
        if pattern.search(fold(text)):
            label = escape(_("pdf, p. %(page)s:") % {"page": number})
            return mark_safe(f"{label} {highlight(text, terms)}")  # noqa: S308 (both parts escaped)
    return None


def _result(kind, obj, terms):
    if kind.key == ContentKind.STUDIES:
        authors = "; ".join(a.name for a in obj.authors.all())
        meta = [m for m in [authors or obj.publisher, obj.year, obj.get_study_type_display()] if m]
        excerpt = highlight(obj.summary, terms)
        if "<mark>" not in excerpt:
            excerpt = _pdf_excerpt(getattr(obj, "pdf_pages", None), terms) or excerpt
        return Result(
            kind,
            obj.title,
            obj.get_absolute_url(),
            excerpt,
            meta,
            obj.pk,
            obj.language,
            strength=obj.strength,
            year=obj.year,
        )
    if kind.key == ContentKind.FINDINGS:
        meta = [obj.study.title, obj.locator]
        return Result(
            kind,
            str(obj),
            obj.get_absolute_url(),
            highlight(obj.statement, terms),
            meta,
            obj.pk,
            strength=obj.strength,
            year=obj.study.year,
        )
    if kind.key == ContentKind.COUNTRIES:
        anchor, label, text = _country_section(_section_texts(obj), obj.summary, terms)
        url = obj.url + (f"#{anchor}" if anchor else "")
        title = f"{obj.title}: {label}" if label else obj.title
        return Result(kind, title, url, highlight(text, terms), [], obj.pk)
    if kind.key == ContentKind.MODELS:
        return Result(kind, obj.title, obj.url, highlight(obj.summary, terms), [], obj.pk)
    if kind.key == ContentKind.FRAMEWORKS:
        return Result(kind, obj.name, obj.get_absolute_url(), highlight(obj.description, terms), [], obj.pk)
    if kind.key == ContentKind.QUESTIONS:
        meta = [obj.get_status_display()] + ([obj.public_raised_by.name] if obj.public_raised_by else [])
        text = obj.explanation or obj.question
        return Result(kind, str(obj), obj.get_absolute_url(), highlight(text, terms), meta, obj.pk)
    if kind.key == ContentKind.ORGANISATIONS:
        meta = [obj.get_kind_display()] + ([obj.get_country_code_display()] if obj.country_code else [])
        text = obj.description or obj.full_name
        return Result(kind, obj.name, obj.get_absolute_url(), highlight(text, terms), meta, obj.pk)
    return Result(kind, obj.name, obj.get_absolute_url(), highlight(obj.description, terms), [], obj.pk)


# Facet counts ---------------------------------------------------------------------------------


def _with_ids(queryset, column, pks):
    """``queryset`` narrowed to rows whose ``column`` is one of ``pks``.

    On PostgreSQL the ids are one array parameter (``= ANY(%s)``): a list of 1,000 ``IN``
    parameters costs more to send and parse than the query takes to run.
    """
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        where = f'"{table}"."{column}" = ANY(%s::bigint[])'
        return queryset.extra(where=[where], params=[index.id_array(pks)])  # noqa: S610
    return queryset.filter(**{f"{column}__in": pks})


def _tally(rows, position, weights=None):
    tally = {}
    for row in rows:
        tally[row[position]] = tally.get(row[position], 0) + (weights.get(row[0], 0) if weights else 1)
    return tally


def facet_counts(kind, pks, active=None):
    """{facet: {value: count}} over the candidates of a study or finding search.

    ``active``: the facets the candidates passed. On PostgreSQL one that is a link of the
    record itself is not counted: every candidate has its value, and the page shows no other
    value of an active facet, so its link table is not read."""
    if kind not in {ContentKind.STUDIES, ContentKind.FINDINGS} or not pks:
        return {}
    kept = _kept_facets(kind, pks)
    if kept is not None:
        return kept
    # Documents written before the index kept their facets: count through the link tables.
    if connection.vendor == "postgresql":
        facets = ONE_STATEMENT_FACETS[kind]
        known = {name: value for name, value in (active or {}).items() if name in facets.links}
        counts = _facet_counts_in_one_statement(facets, pks, skip=known)
        counts.update({name: {value: len(pks)} for name, value in known.items()})
        return counts
    if kind == ContentKind.FINDINGS:
        rows = list(_with_ids(Finding.objects.all(), "id", pks).values_list("pk", "study_id", "strength"))
        counts = {
            "theme": _m2m_counts(Finding.themes.through, "finding_id", pks, "theme__slug"),
            "country": _m2m_counts(Finding.countries.through, "finding_id", pks, "countrypage__code"),
            "strength": _tally(rows, 2),
        }
        # Study facets count findings through their study.
        per_study = {}
        for _pk, study_id, _strength in rows:
            per_study[study_id] = per_study.get(study_id, 0) + 1
        study_rows = list(
            _with_ids(Study.objects.all(), "id", list(per_study)).values_list("pk", "study_type", "language")
        )
        counts["type"] = _tally(study_rows, 1, per_study)
        counts["language"] = _tally(study_rows, 2, per_study)
        return counts
    rows = list(
        _with_ids(Study.objects.all(), "id", pks).values_list("pk", "study_type", "strength", "language")
    )
    return {
        "theme": _m2m_counts(Study.themes.through, "study_id", pks, "theme__slug"),
        "country": _m2m_counts(Study.countries.through, "study_id", pks, "countrypage__code"),
        "model": _m2m_counts(
            Study.infrastructure_models.through, "study_id", pks, "infrastructuremodelpage__slug"
        ),
        "method": _m2m_counts(Study.methods.through, "study_id", pks, "method__slug"),
        "type": _tally(rows, 1),
        "strength": _tally(rows, 2),
        "language": _tally(rows, 3),
    }


def _values_by_id():
    """{facet: {link id as text: the value in the URL}} for the facets that link to records; ids
    the facets do not offer (a draft profile) are not in it, so their counts drop out."""
    return {
        name: {str(pk): value for value, _label, pk in options} for name, options in _linked_facets().items()
    }


def _kept_facets(kind, pks):
    """``facet_counts`` from the facet values the index keeps with each document
    (``SearchDocument.facets``): one read of the candidates' rows, counted here. None when a
    document has none kept (written before the index kept them)."""
    names = [*ONE_STATEMENT_FACETS[kind].links, *ONE_STATEMENT_FACETS[kind].columns]
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    if connection.vendor == "postgresql":
        where, params = "object_id = ANY(%s::bigint[])", [index.id_array(pks)]
    else:
        where, params = f"object_id IN ({', '.join(['%s'] * len(pks))})", list(pks)
    # Only the table's name and placeholders are interpolated; the kind and ids are parameters.
    sql = f"SELECT facets FROM {table} WHERE kind = %s AND {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, *params])
        rows = cursor.fetchall()
    tally = {}
    for (text,) in rows:
        if text is None:
            return None
        for item in text.split():
            tally[item] = tally.get(item, 0) + 1
    linked = _values_by_id()
    counts = {name: {} for name in names}
    for item, count in tally.items():
        name, _, value = item.partition(":")
        if name not in counts:
            continue
        if name in linked:
            value = linked[name].get(value)
            if value is None:
                continue
        counts[name][value] = count
    return counts


@dataclass(frozen=True)
class CountedFacets:
    """What ``_facet_counts_in_one_statement`` counts for a kind: ``links`` {facet: (link model,
    its field to the record counted, its field to the value)}; ``rows`` the SQL that joins the
    records to ``ids`` (and to whatever holds the ``columns``); ``columns`` {facet: SQL column}."""

    links: dict
    rows: str
    columns: dict


def _column(model, field_name, alias):
    return f'{alias}."{model._meta.get_field(field_name).column}"'


def _counted_facets():
    study, finding = Study._meta, Finding._meta
    return {
        ContentKind.STUDIES: CountedFacets(
            links={
                "theme": (Study.themes.through, "study", "theme"),
                "country": (Study.countries.through, "study", "countrypage"),
                "model": (Study.infrastructure_models.through, "study", "infrastructuremodelpage"),
                "method": (Study.methods.through, "study", "method"),
            },
            rows=f'"{study.db_table}" s JOIN ids ON s."{study.pk.column}" = ids.id',
            columns={
                "type": _column(Study, "study_type", "s"),
                "strength": _column(Study, "strength", "s"),
                "language": _column(Study, "language", "s"),
            },
        ),
        # A finding has its own themes, countries and strength; type and language are its
        # study's, so those count findings through their study.
        ContentKind.FINDINGS: CountedFacets(
            links={
                "theme": (Finding.themes.through, "finding", "theme"),
                "country": (Finding.countries.through, "finding", "countrypage"),
            },
            rows=(
                f'"{finding.db_table}" f JOIN ids ON f."{finding.pk.column}" = ids.id '
                f'JOIN "{study.db_table}" s ON s."{study.pk.column}" = {_column(Finding, "study", "f")}'
            ),
            columns={
                "strength": _column(Finding, "strength", "f"),
                "type": _column(Study, "study_type", "s"),
                "language": _column(Study, "language", "s"),
            },
        ),
    }


ONE_STATEMENT_FACETS = _counted_facets()


def _facet_counts_in_one_statement(facets, pks, skip=()):
    """``facet_counts`` on PostgreSQL in one statement instead of five: the ids are sent once,
    each link table is read through its ``(record, value)`` index without a join to the linked
    records (their ids become slugs and codes through the cached facet ids), and the columns
    are counted in one pass with grouping sets. At 1,000 candidates this takes about half the
    time of the five statements. The link facets in ``skip`` are left out."""
    parts = []
    for name, (through, record_field, value_field) in facets.links.items():
        if name in skip:
            continue
        record_column = _column(through, record_field, "l")
        value_column = _column(through, value_field, "l")
        parts.append(
            f"SELECT '{name}', {value_column}::text, count(*) FROM \"{through._meta.db_table}\" l "  # noqa: S608
            f"JOIN ids ON {record_column} = ids.id GROUP BY 2"
        )
    which = " ".join(f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in facets.columns.items())
    value = " ".join(f"WHEN GROUPING({column}) = 0 THEN {column}" for column in facets.columns.values())
    sets = ", ".join(f"({column})" for column in facets.columns.values())
    parts.append(
        f"SELECT CASE {which} END, CASE {value} END, count(*) FROM {facets.rows} "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    # Only names from the models' metadata are interpolated; the ids are a parameter.
    sql = "WITH ids AS MATERIALIZED (SELECT unnest(%s::integer[]) AS id) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [index.id_array(pks)])
        rows = cursor.fetchall()
    values = _values_by_id()
    counts = {name: {} for name in [*facets.links, *facets.columns]}
    for name, key, count in rows:
        if name in facets.links:
            key = values[name].get(key)
            if key is None:
                continue
        counts[name][key] = count
    return counts


def _m2m_counts(through, column, pks, value_path):
    return dict(
        _with_ids(through.objects.all(), column, pks)
        .values_list(value_path)
        .annotate(n=Count("pk"))
        .order_by()
    )


# The search ----------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    params: SearchParams
    kind_counts: list = field(default_factory=list)
    kind_pks: dict = field(default_factory=dict)
    suggestion: str | None = None
    facet_counts: dict = field(default_factory=dict)
    # (kind, primary key) of the best matches over every kind, best first.
    best: list = field(default_factory=list)


def run(params):
    """Search every kind for ``params``: candidates per kind, kind counts, facet counts and
    a spelling suggestion when nothing matched.

    What a search matched (ids per kind, the suggestion) and its facet counts per kind shown
    are cached per content version, so the next page of a result list, another kind of the same
    search, the same search shared by link and its downloads do not search again. The records
    themselves are loaded per request through the public querysets, so a cached outcome can
    never show what is no longer public.
    """
    outcome = SearchOutcome(params=params)
    if params.is_empty:
        return outcome
    matched = _matched(params)
    facet_kind = params.kind or ContentKind.STUDIES
    outcome.kind_pks = matched["kind_pks"]
    outcome.kind_counts = [(kind, len(outcome.kind_pks[kind.key])) for kind in KINDS]
    outcome.suggestion = matched["suggestion"]
    outcome.best = [tuple(key) for key in matched.get("best", [])]
    outcome.facet_counts = cached(
        facet_counts_name(params),
        lambda: facet_counts(facet_kind, outcome.kind_pks[facet_kind], params.facets),
    )
    return outcome


def _matched(params):
    """Candidate ids per kind and the spelling suggestion of a search, cached."""
    return cached(outcome_name(params), lambda: _match(params))


def _match(params):
    terms = params.terms
    # The vocabulary is read (and, after a change, built) only for a word in no document.
    words = vocabulary if terms else {}
    query = index.read_query(params.q, MAX_TERMS, synonym_tokens() if terms else {}, words)
    stats = index.statistics(query) if query.groups else None
    matches = all_candidates([kind.key for kind in KINDS], params, query, stats)
    kind_pks = {kind: [pk for pk, _score in pairs] for kind, pairs in matches.items()}
    no_matches = not any(kind_pks.values())
    # Without facets, the best matches of any kind (with facets a kind's list is the answer).
    best = (
        []
        if params.facets or no_matches or not query.groups
        else [list(key) for key in index.best(matches, BEST_LIMIT)]
    )
    # A word in no document was read as the closest known word: the page says which.
    hint = query.corrected or (suggestion(terms, vocabulary()) if terms and no_matches else None)
    return {"kind_pks": kind_pks, "suggestion": hint, "best": best}


def _pks_for_export(kind, params, limit):
    if params.is_empty:
        # Without a query or a facet the page lists nothing, but a download gets the newest.
        return [pk for pk, _score in candidates(kind, params, index.read_query("", MAX_TERMS))[:limit]]
    return _matched(params)["kind_pks"][kind][:limit]


def study_pks_for_export(params, limit=CANDIDATE_CAP):
    """The studies a search with ``params`` lists, in result order, for an export."""
    return _pks_for_export("onderzoek", params, limit)


def finding_pks_for_export(params, limit=CANDIDATE_CAP):
    return _pks_for_export("bevindingen", params, limit)
