"""The search index: what is in it, how it is written and how it is read.

One ``SearchDocument`` per public record or page (a study, a finding, a country profile, a
framework with its elements, ...) and its tokens in ``SearchTerm``, each with a BM25 weight
(title over summary over body; a part of a compound at half weight). Only ``update`` writes
them, from the public querysets, so a draft is never in the index; ``signals.py`` calls it
(through a Celery task, eager locally) when something is published, unpublished, changed live
or deleted, and ``rebuild_search_index`` rebuilds everything.

A search (``match``) reads ``SearchTerm`` only, with the ORM, so SQLite and PostgreSQL run
the same query and rank the same way: the documents that hold, for every word of the query,
one of its tokens, scored by the sum of idf x weight, best first. docs/search.md has the
design and how to move the index to OpenSearch.
"""

import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Round
from django.utils.html import strip_tags

from countries.sections import SECTIONS
from knowledgebase import selectors
from knowledgebase.models import Framework, ResearchQuestion, Study

from . import analysis
from .kinds import ContentKind
from .models import SearchDocument, SearchTerm

# BM25's parameters (the usual values) and the weight of each field of a document.
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "summary": 1.5, "body": 1.0}
PART_WEIGHT = 0.5
BATCH = 500


@dataclass
class Document:
    kind: str
    object_id: int
    url: str
    title: str
    summary: str = ""
    body: str = ""
    language: str = "nl"
    year: int | None = None


def _text(*parts):
    return " ".join(strip_tags(str(part)) for part in parts if part)


def _streamfield_text(page, name):
    value = getattr(page, name)
    if not value:
        return ""
    return " ".join(page._meta.get_field(name).get_searchable_content(value))


def _study(study):
    findings = [finding.statement for finding in study.findings.all() if finding.live]
    return Document(
        ContentKind.STUDIES,
        study.pk,
        study.get_absolute_url(),
        study.title,
        study.summary,
        _text(*(author.name for author in study.authors.all()), study.publisher, *findings),
        language=study.language if study.language in analysis.LANGUAGES else "nl",
        year=study.year,
    )


def _finding(finding):
    # A finding is found by its own statement; its study's title is context.
    return Document(
        ContentKind.FINDINGS,
        finding.pk,
        finding.get_absolute_url(),
        finding.statement,
        body=_text(finding.study.title, finding.locator),
        year=finding.study.year,
    )


def _country(page):
    sections = [_streamfield_text(page, key) for key, _label, _group in SECTIONS]
    return Document(ContentKind.COUNTRIES, page.pk, page.url, page.title, page.summary, _text(*sections))


def _model(page):
    body = _text(
        page.definition,
        _streamfield_text(page, "strengths"),
        _streamfield_text(page, "points_of_attention"),
        *(_text(example.title, example.description) for example in page.examples.all()),
    )
    return Document(ContentKind.MODELS, page.pk, page.url, page.title, page.summary, body)


def _framework(framework):
    elements = [
        _text(element.code, element.name, element.description) for element in framework.elements.all()
    ]
    return Document(
        ContentKind.FRAMEWORKS,
        framework.pk,
        framework.get_absolute_url(),
        framework.name,
        framework.description,
        _text(*elements),
    )


def _question(question):
    return Document(
        ContentKind.QUESTIONS,
        question.pk,
        question.get_absolute_url(),
        question.question,
        question.explanation,
    )


def _organisation(organisation):
    return Document(
        ContentKind.ORGANISATIONS,
        organisation.pk,
        organisation.get_absolute_url(),
        organisation.name,
        _text(organisation.full_name, organisation.description),
    )


def _theme(theme):
    return Document(ContentKind.THEMES, theme.pk, theme.get_absolute_url(), theme.name, theme.description)


def public_queryset(kind):
    """Everything of ``kind`` the public may see."""
    return {
        ContentKind.STUDIES: lambda: Study.objects.published(),
        ContentKind.FINDINGS: selectors.published_findings,
        ContentKind.COUNTRIES: selectors.public_countries,
        ContentKind.MODELS: selectors.public_models,
        ContentKind.FRAMEWORKS: lambda: Framework.objects.published(),
        ContentKind.QUESTIONS: lambda: ResearchQuestion.objects.published(),
        ContentKind.ORGANISATIONS: selectors.public_organisations,
        ContentKind.THEMES: selectors.public_themes,
    }[kind]()


def _source(kind):
    """(queryset to read the documents from, function making a ``Document`` of a record)."""
    queryset = public_queryset(kind)
    return {
        ContentKind.STUDIES: (queryset.prefetch_related("authors", "findings"), _study),
        ContentKind.FINDINGS: (queryset.select_related("study"), _finding),
        ContentKind.COUNTRIES: (queryset, _country),
        ContentKind.MODELS: (queryset.prefetch_related("examples"), _model),
        ContentKind.FRAMEWORKS: (queryset.prefetch_related("elements"), _framework),
        ContentKind.QUESTIONS: (queryset, _question),
        ContentKind.ORGANISATIONS: (queryset, _organisation),
        ContentKind.THEMES: (queryset, _theme),
    }[kind]


# Writing --------------------------------------------------------------------------------------


def _weighted_counts(document):
    """{token: weighted count} over the document's fields, and the document's length."""
    counts = {}
    for name, weight in FIELD_WEIGHTS.items():
        for token in analysis.tokens(getattr(document, name), document.language):
            counts[token.text] = counts.get(token.text, 0) + weight * (PART_WEIGHT if token.part else 1)
    return counts, sum(counts.values())


def _average_length(kind, fallback):
    existing = SearchDocument.objects.filter(kind=kind).values_list("length", flat=True)
    lengths = [length for length in existing if length]
    return sum(lengths) / len(lengths) if lengths else fallback


def _rows(documents, kind):
    analysed = [(document, *_weighted_counts(document)) for document in documents]
    fallback = sum(length for _d, _c, length in analysed) / len(analysed) if analysed else 1
    average = _average_length(kind, fallback) or 1
    rows, terms = [], []
    for document, counts, length in analysed:
        norm = K1 * (1 - B + B * length / average)
        rows.append(
            SearchDocument(
                kind=kind,
                object_id=document.object_id,
                language=document.language,
                url=document.url[:500],
                title=document.title,
                summary=document.summary,
                body=document.body,
                title_key=title_key(document.title),
                year=document.year,
                length=length,
            )
        )
        terms.extend(
            SearchTerm(
                kind=kind,
                object_id=document.object_id,
                token=token[:100],
                weight=round(count * (K1 + 1) / (count + norm), 6),
            )
            for token, count in counts.items()
        )
    return rows, terms


def title_key(title):
    return " ".join(analysis.fold(word) for word in analysis.words(title))[:255]


def update(kind, pks):
    """Bring the documents of ``kind`` with these primary keys in step with the content: the
    public ones are (re)written, the others removed."""
    pks = sorted({int(pk) for pk in pks})
    queryset, make = _source(ContentKind(kind))
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        documents = [make(obj) for obj in queryset.filter(pk__in=batch)]
        rows, terms = _rows(documents, kind)
        with transaction.atomic():
            SearchTerm.objects.filter(kind=kind, object_id__in=batch).delete()
            SearchDocument.objects.filter(kind=kind, object_id__in=batch).delete()
            SearchDocument.objects.bulk_create(rows)
            SearchTerm.objects.bulk_create(terms, batch_size=5000)


def update_all(kind):
    """Every document of ``kind`` again, and none of what is no longer public."""
    public = list(public_queryset(ContentKind(kind)).order_by().values_list("pk", flat=True))
    indexed = set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))
    gone = sorted(indexed - set(public))
    update(kind, [*public, *gone])


def rebuild(kinds=tuple(ContentKind)):
    """Empty the index of ``kinds`` and write it again."""
    for kind in kinds:
        SearchTerm.objects.filter(kind=kind).delete()
        SearchDocument.objects.filter(kind=kind).delete()
        update_all(kind)


# Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A query as the index reads it: per word, the tokens that match it (its stems and its
    synonyms'); a document must match every word. ``key`` is the query as a title key."""

    groups: tuple
    key: str

    @property
    def tokens(self):
        return sorted({token for group in self.groups for token in group})


def read_query(text, limit, synonyms=None):
    """The ``Query`` of a query text. ``synonyms``: {folded word: tokens of its synonyms}."""
    words = analysis.query_words(text, limit)
    groups = []
    for word in words:
        group = set(analysis.query_tokens(word))
        group.update((synonyms or {}).get(analysis.fold(word), ()))
        if group not in groups:
            groups.append(group)
    return Query(tuple(frozenset(group) for group in groups), title_key(" ".join(words)))


def _idf(tokens):
    """{token: BM25 idf} over every document in the index."""
    total = SearchDocument.objects.count()
    frequencies = dict(
        SearchTerm.objects.filter(token__in=tokens).values_list("token").annotate(n=Count("*")).order_by()
    )
    return {token: math.log(1 + (total - n + 0.5) / (n + 0.5)) for token, n in frequencies.items()}


def _scored(query, terms):
    """``terms`` grouped per document, with the document's score, for documents that match
    every group of ``query``."""
    idf = _idf(query.tokens)
    if len(idf) == 0:
        return None
    score = Sum(
        F("weight")
        * Case(*[When(token=token, then=Value(value)) for token, value in idf.items()], default=Value(0.0)),
        output_field=FloatField(),
    )
    # Which word of the query a token answers; a document must answer every word.
    matched = Count(
        Case(
            *[
                When(token__in=sorted(group), then=Value(position))
                for position, group in enumerate(query.groups)
            ]
        ),
        distinct=True,
    )
    return (
        terms.filter(token__in=list(idf))
        .values("kind", "object_id")
        .annotate(score=Round(score, 6), matched=matched)
        .filter(matched=len(query.groups))
    )


def match(query, kind, allowed=None, limit=1000):
    """Primary keys of the documents of ``kind`` that match ``query``, best first: an exact
    title match, then by score. ``allowed``: a queryset of the records the facets let through."""
    if not query.groups:
        return []
    terms = SearchTerm.objects.filter(kind=kind)
    documents = SearchDocument.objects.filter(kind=kind)
    if allowed is not None:
        ids = allowed.order_by().values("pk")
        terms, documents = terms.filter(object_id__in=ids), documents.filter(object_id__in=ids)
    scored = _scored(query, terms)
    if scored is None:
        return []
    ranked = [row["object_id"] for row in scored.order_by("-score", "object_id")[:limit]]
    exact = _exact(query, documents, "object_id")
    return [*exact, *(pk for pk in ranked if pk not in exact)][:limit]


def _exact(query, documents, *fields):
    """The documents whose title is the query (folded), in a fixed order."""
    if not query.key:
        return []
    return list(
        documents.filter(title_key=query.key)
        .order_by("kind", "object_id")
        .values_list(*fields, flat=len(fields) == 1)
    )


def top(text, limit=10, synonyms=None):
    """The best ``limit`` documents for a query over every kind, best first (an exact title
    match first): the "beste resultaten" of the search page and the relevance report."""
    from .synonyms import synonym_tokens

    query = read_query(text, 8, synonym_tokens() if synonyms is None else synonyms)
    scored = _scored(query, SearchTerm.objects.all()) if query.groups else None
    if scored is None:
        return []
    rows = list(scored.order_by("-score", "kind", "object_id")[: limit * 3])
    keys = [(row["kind"], row["object_id"]) for row in rows]
    documents = (
        {
            (document.kind, document.object_id): document
            for document in SearchDocument.objects.filter(
                Q(*[Q(kind=kind, object_id=pk) for kind, pk in keys], _connector=Q.OR)
            )
        }
        if keys
        else {}
    )
    exact = (
        list(SearchDocument.objects.filter(title_key=query.key).order_by("kind", "object_id"))
        if query.key
        else []
    )
    ordered = [documents[key] for key in keys if key in documents]
    seen = {(document.kind, document.object_id) for document in exact}
    return [*exact, *(document for document in ordered if (document.kind, document.object_id) not in seen)][
        :limit
    ]
