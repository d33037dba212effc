"""The search index: what is in it, how it is written and how it is read.

One ``SearchDocument`` per public record or page (a study, a finding, a country profile, a
framework with its elements, ...) and its tokens in ``SearchTerm``, each with a BM25F weight
(title over summary over body, each field normalised by its length; a part of a compound
counts half). Only ``update`` writes
them, from the public querysets, so a draft is never in the index; ``signals.py`` calls it
(through a Celery task, eager locally) when something is published, unpublished, changed live
or deleted, and ``rebuild_search_index`` rebuilds everything.

A search (``match``) reads ``SearchTerm`` only, with the ORM, so SQLite and PostgreSQL run
the same query and rank the same way: the documents that hold, for every word of the query,
one of its tokens, scored by the sum of idf x weight, best first. docs/search.md has the
design and how to move the index to OpenSearch.
"""

import difflib
import math
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils.html import strip_tags

from countries.sections import SECTIONS
from knowledgebase import selectors
from knowledgebase.content_cache import cached
from knowledgebase.models import Framework, ResearchQuestion, Study

from . import analysis
from . import documents as pdf
from .kinds import ContentKind
from .models import SearchDocument, SearchTerm, SearchToken

# BM25's parameters (the usual values) and the weight of each field of a document.
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 5.0, "summary": 2.0, "body": 1.0}
# The length of a typical field in tokens, against which BM25F normalises. Fixed rather than
# the index's averages, so that a document's weights do not depend on what was indexed before
# it (a rebuild, an update) and every kind is measured alike.
TYPICAL_LENGTHS = {"title": 12, "summary": 40, "body": 150}
PART_WEIGHT = 0.5
# What a token that only a synonym brought into a query counts for.
SYNONYM_WEIGHT = 0.5
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
    facets: str | None = None
    # What a result shows besides the title, URL and summary (``SearchDocument.display``).
    display: dict | None = None


def _text(*parts):
    return " ".join(strip_tags(str(part)) for part in parts if part)


def _streamfield_text(page, name):
    value = getattr(page, name)
    if not value:
        return ""
    return " ".join(page._meta.get_field(name).get_searchable_content(value))


def _study(study, pdf_pages=None):
    """A study, with the statements of its live findings and the text of its PDF."""
    findings = [finding.statement for finding in study.findings.all() if finding.live]
    return Document(
        ContentKind.STUDIES,
        study.pk,
        study.get_absolute_url(),
        study.title,
        study.summary,
        _text(
            *(author.name for author in study.authors.all()), study.publisher, *findings, *(pdf_pages or [])
        ),
        language=study.language if study.language in analysis.LANGUAGES else "nl",
        year=study.year,
        display={
            "authors": "; ".join(author.name for author in study.authors.all()),
            "publisher": study.publisher,
            "type": study.study_type,
            "strength": study.strength,
            "language": study.language,
            "document": study.document_id,
        },
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
        display={
            "title": str(finding),
            "study": finding.study.title,
            "locator": finding.locator,
            "strength": finding.strength,
        },
    )


def _country(page):
    sections = {key: _streamfield_text(page, key) for key, _label, _group in SECTIONS}
    return Document(
        ContentKind.COUNTRIES,
        page.pk,
        page.url,
        page.title,
        page.summary,
        _text(*sections.values()),
        display={"sections": {key: text for key, text in sections.items() if text}},
    )


def _model(page):
    body = _text(
        page.definition,
        _streamfield_text(page, "strengths"),
        _streamfield_text(page, "points_of_attention"),
        *(_text(example.title, example.description) for example in page.examples.all()),
    )
    return Document(ContentKind.MODELS, page.pk, page.url, page.title, page.summary, body, display={})


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
        display={},
    )


def _question(question):
    return Document(
        ContentKind.QUESTIONS,
        question.pk,
        question.get_absolute_url(),
        question.question,
        question.explanation,
        display={
            "title": str(question),
            "status": question.status,
            # An organisation's change rewrites the questions it raised (``signals.py``).
            "raised_by": question.public_raised_by.name if question.public_raised_by else "",
        },
    )


def _organisation(organisation):
    return Document(
        ContentKind.ORGANISATIONS,
        organisation.pk,
        organisation.get_absolute_url(),
        organisation.name,
        _text(organisation.full_name, organisation.description),
        display={
            "kind": organisation.kind,
            "country": organisation.country_code,
            "text": organisation.description or organisation.full_name,
        },
    )


def _theme(theme):
    return Document(
        ContentKind.THEMES, theme.pk, theme.get_absolute_url(), theme.name, theme.description, display={}
    )


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
        ContentKind.QUESTIONS: (queryset.select_related("raised_by"), _question),
        ContentKind.ORGANISATIONS: (queryset, _organisation),
        ContentKind.THEMES: (queryset, _theme),
    }[kind]


# Writing --------------------------------------------------------------------------------------


def _field_counts(document):
    """{field: ({token: count}, length)}: each field's tokens, a compound's part counting half."""
    fields = {}
    for name in FIELD_WEIGHTS:
        counts = {}
        found = analysis.tokens(getattr(document, name), document.language)
        for token in found:
            counts[token.text] = counts.get(token.text, 0) + (PART_WEIGHT if token.part else 1)
        fields[name] = (counts, len(found))
    return fields


def _rows(documents, kind):
    """The rows of ``documents``: each token's weight is BM25F's, without the idf: the counts
    per field, weighted and normalised by the field's length, then saturated."""
    analysed = [(document, _field_counts(document)) for document in documents]
    rows, terms = [], []
    for document, fields in analysed:
        weighted = {}
        for name, (counts, length) in fields.items():
            norm = FIELD_WEIGHTS[name] / (1 - B + B * length / TYPICAL_LENGTHS[name])
            for token, count in counts.items():
                weighted[token] = weighted.get(token, 0) + count * norm
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
                facets=document.facets,
                display=document.display,
                **{f"{name}_length": fields[name][1] for name in FIELD_WEIGHTS},
            )
        )
        terms.extend(
            (str(kind), document.object_id, token[:100], round(value * (K1 + 1) / (value + K1), 6))
            for token, value in weighted.items()
        )
    return rows, terms


def _insert_terms(terms):
    """Write ``terms`` ((kind, object id, token, weight) rows) into ``SearchTerm``: with
    PostgreSQL's COPY, elsewhere one prepared INSERT for all. Tens of thousands of rows per
    batch as model instances through ``bulk_create`` took over half of a rebuild."""
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    columns = "(kind, object_id, token, weight)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in terms:
                    copy.write_row(row)
        else:
            # Only the table's name is interpolated; the rows are parameters.
            cursor.executemany(f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s)", terms)  # noqa: S608


def title_key(title):
    return " ".join(analysis.fold(word) for word in analysis.words(title))[:255]


# The facets a document keeps (``SearchDocument.facets``), per kind: "links" {facet: the
# record's many-to-many field, whose link table is read}, "fields" {facet: a field of the record,
# or of its study (a dotted path)}. A finding counts its own themes, countries and strength, and
# its study's type and language.
FACETED = {
    ContentKind.STUDIES: {
        "links": {
            "theme": "themes",
            "country": "countries",
            "model": "infrastructure_models",
            "method": "methods",
        },
        "fields": {"type": "study_type", "strength": "strength", "language": "language"},
    },
    ContentKind.FINDINGS: {
        "links": {"theme": "themes", "country": "countries"},
        "fields": {"strength": "strength", "type": "study.study_type", "language": "study.language"},
    },
}


def _add_facets(kind, records, documents):
    """Fill ``facets`` of the ``documents`` made from ``records``: each link table is read once
    for the batch, as (record, value) id pairs."""
    spec = FACETED[kind]
    model = public_queryset(kind).model
    values = {record.pk: [] for record in records}
    for facet, name in spec["links"].items():
        through = getattr(model, name).through
        own = through._meta.get_field(model._meta.model_name).attname
        other = next(
            field.attname
            for field in through._meta.concrete_fields
            if field.is_relation and field.attname != own
        )
        for pk, value in through.objects.filter(**{f"{own}__in": list(values)}).values_list(own, other):
            values[pk].append(f"{facet}:{value}")
    for record in records:
        for facet, path in spec["fields"].items():
            value = record
            for part in path.split("."):
                value = getattr(value, part)
            if value not in (None, ""):
                values[record.pk].append(f"{facet}:{value}")
    for document in documents:
        document.facets = " ".join(sorted(values.get(document.object_id, [])))


def update(kind, pks):
    """Bring the documents of ``kind`` with these primary keys in step with the content: the
    public ones are (re)written, the others removed."""
    pks = sorted({int(pk) for pk in pks})
    queryset, make = _source(ContentKind(kind))
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        records = list(queryset.filter(pk__in=batch))
        if kind == ContentKind.STUDIES:
            texts = pdf.page_texts([study.document_id for study in records])
            documents = [_study(study, texts.get(study.document_id)) for study in records]
        else:
            documents = [make(obj) for obj in records]
        if kind in FACETED:
            _add_facets(kind, records, documents)
        rows, terms = _rows(documents, kind)
        with transaction.atomic():
            old_terms = SearchTerm.objects.filter(kind=kind, object_id__in=batch)
            change = {
                token: -count
                for token, count in old_terms.values_list("token").annotate(n=Count("pk")).order_by()
            }
            change[""] = len(rows) - SearchDocument.objects.filter(kind=kind, object_id__in=batch).count()
            for _kind, _pk, token, _weight in terms:
                change[token] = change.get(token, 0) + 1
            old_terms.delete()
            SearchDocument.objects.filter(kind=kind, object_id__in=batch).delete()
            SearchDocument.objects.bulk_create(rows)
            _insert_terms(terms)
            _count(kind, change)


COUNT_BATCH = 500


def _count(kind, change):
    """Add ``change`` ({token: documents gained, or lost when negative}) to the kind's
    ``SearchToken`` rows: an upsert that adds to what is there, in token order (two writers
    lock the rows they share in the same order), then drop the tokens no document holds."""
    changed = sorted((token, delta) for token, delta in change.items() if delta)
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    for start in range(0, len(changed), COUNT_BATCH):
        chunk = changed[start : start + COUNT_BATCH]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        # Only the table's name is interpolated; the tokens and counts are parameters.
        sql = (
            f"INSERT INTO {table} (kind, token, documents) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (token, kind) DO UPDATE SET documents = {table}.documents + excluded.documents"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for token, delta in chunk for value in (kind, token, delta)])
    lost = [token for token, delta in changed if delta < 0]
    for start in range(0, len(lost), COUNT_BATCH):
        SearchToken.objects.filter(
            kind=kind, token__in=lost[start : start + COUNT_BATCH], documents__lte=0
        ).delete()


def update_all(kind):
    """Every document of ``kind`` again, and none of what is no longer public."""
    public = list(public_queryset(ContentKind(kind)).order_by().values_list("pk", flat=True))
    indexed = set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))
    gone = sorted(indexed - set(public))
    update(kind, [*public, *gone])


def rebuild(kinds=tuple(ContentKind)):
    """Empty the index of ``kinds`` and write it again."""
    for kind in kinds:
        with transaction.atomic():
            SearchTerm.objects.filter(kind=kind).delete()
            SearchDocument.objects.filter(kind=kind).delete()
            SearchToken.objects.filter(kind=kind).delete()
        update_all(kind)


# Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A query as the index reads it: per word, the tokens that match it (its stems and its
    synonyms'); a document must match every word. ``key`` is the query as a title key;
    ``corrected`` the query with its unknown words corrected, if any were; ``split`` the same
    query with its compounds split into their parts (``kwaliteitsdomeinen``: ``kwaliteit`` and
    ``domeinen``), a second reading whose matches join the first's."""

    groups: tuple
    key: str = ""
    corrected: str | None = None
    split: "Query | None" = None
    # Tokens that only a synonym brought in: they count for less than the words typed.
    borrowed: frozenset = frozenset()

    @property
    def tokens(self):
        return sorted({token for group in self.groups for token in group})


def read_query(text, limit, synonyms=None, words=None):
    """The ``Query`` of a query text. ``synonyms``: {folded word: tokens of its synonyms};
    ``words``: the vocabulary a word that is in no document is corrected to ({folded word: its
    spellings}, or a function that gives it, called only when a word needs correcting), or None
    to correct nothing."""
    found = analysis.query_words(text, limit)
    own = {token for word in found for token in analysis.query_tokens(word)}
    groups = [
        set(analysis.query_tokens(word)) | set((synonyms or {}).get(analysis.fold(word), ()))
        for word in found
    ]
    # Whether the index knows a token: one probe each (a DISTINCT over a common token's rows
    # would read them all). Only a word none of whose tokens is known is corrected.
    known = set()
    if words is not None:
        for group in groups:
            for token in sorted(group):
                if SearchTerm.objects.filter(token=token).exists():
                    known.add(token)
                    break
    corrected = list(found)
    for position, word in enumerate(found):
        if groups[position] & known or words is None:
            continue
        if callable(words):
            words = words()
        close = _closest(analysis.fold(word), words)
        if close:
            corrected[position] = close
            groups[position] |= set(analysis.query_tokens(close))
    split_groups, was_split = [], False
    for word, group in zip(corrected, groups, strict=True):
        parts = analysis.split_compound(word) if len(word) >= analysis.MIN_COMPOUND else ()
        if parts:
            split_groups.extend(set(analysis.query_tokens(part)) for part in parts)
            was_split = True
        else:
            split_groups.append(group)
    query = Query(
        _unique(groups),
        title_key(" ".join(found)),
        " ".join(corrected) if corrected != found else None,
        Query(_unique(split_groups)) if was_split else None,
        frozenset({token for group in groups for token in group} - own),
    )
    return query


def _unique(groups):
    result = []
    for group in groups:
        if group and frozenset(group) not in result:
            result.append(frozenset(group))
    return tuple(result)


def _closest(word, words):
    """The known word closest to ``word`` that differs by a typing slip (difflib, cut-off
    0.75, at most two letters longer or shorter), or None: ``walrusbegeleiding`` is not read
    as ``begeleiding``."""
    if len(word) < 4 or word.isdigit():
        return None
    for match in difflib.get_close_matches(word, list(words), n=5, cutoff=0.75):
        if abs(len(match) - len(word)) <= MAX_LENGTH_DIFFERENCE:
            return sorted(words[match])[0]
    return None


MAX_LENGTH_DIFFERENCE = 2
VOCABULARY_SAMPLE = 5000


def vocabulary():
    """The words of the documents' titles (and the summaries of all but the large kinds):
    {folded word: its spellings}, for "bedoelde u" and the correction of a word that is in no
    document. Cached per content version; large collections are sampled."""
    return cached("vocabulary", _build_vocabulary, timeout=3600)


def _build_vocabulary():
    words = {}
    titles = SearchDocument.objects.order_by("-pk").values_list("title", flat=True)[:VOCABULARY_SAMPLE]
    # The small kinds by name, so that the database reads them through the (kind, object)
    # index rather than every document.
    small = [kind for kind in ContentKind if kind not in (ContentKind.STUDIES, ContentKind.FINDINGS)]
    summaries = SearchDocument.objects.filter(kind__in=small).values_list("summary", flat=True)
    for text in [*titles, *summaries]:
        for word in analysis.WORD.findall(text):
            if len(word) > 2 and not word.isdigit():
                words.setdefault(analysis.fold(word), set()).add(word.lower())
    return words


# A document must hold a token of every word of a query. The candidates are the documents of
# the query's rarest word, at most this many, those where it weighs most first; only they are
# scored. Exact for a word in fewer documents, the best of them for a more common one.
SEED_LIMIT = 2_000
# A compound is also read as its parts when its own reading finds fewer than this many.
SPLIT_BELOW = 20
# The score of a document whose title is the query: above any other.
EXACT_SCORE = 1e9


@dataclass(frozen=True)
class Statistics:
    """What a search needs to know of the whole index, read once per search: the number of
    documents, and per token how many documents hold it, in all and per kind."""

    total: int
    frequencies: dict
    kinds: dict

    def idf(self, token):
        n = self.frequencies.get(token, 0)
        return math.log(1 + (self.total - n + 0.5) / (n + 0.5)) if n else 0.0

    def absent(self, token, kind):
        """Whether no document of ``kind`` holds ``token``."""
        return not self.kinds.get(token, {}).get(kind)


def statistics(query):
    """The ``Statistics`` for the tokens of ``query`` and of its split reading: one indexed
    read of ``SearchToken``, which ``update`` keeps (the token ``""`` counts the documents)."""
    tokens = set(query.tokens) | set(query.split.tokens if query.split else ())
    kinds = {token: {} for token in sorted(tokens)}
    documents = {}
    rows = SearchToken.objects.filter(token__in=["", *sorted(tokens)], documents__gt=0)
    for token, kind, count in rows.values_list("token", "kind", "documents"):
        (kinds[token] if token else documents)[kind] = count
    frequencies = {token: sum(per_kind.values()) for token, per_kind in kinds.items()}
    return Statistics(sum(documents.values()), frequencies, kinds)


def _match_reading(reading, kind, allowed, limit, stats):
    """(object id, score) of the documents of ``kind`` that hold every word of ``reading``,
    best first, at most ``limit``. ``allowed``: the ids the facets let through (a list, a
    frozenset, or a queryset of ids: see ``_allowed_ids``), or None."""
    groups = [
        frozenset(token for token in group if stats.frequencies.get(token) and not stats.absent(token, kind))
        for group in reading.groups
    ]
    if not groups or not all(groups):
        return []
    tokens = sorted(set().union(*groups))
    factor = {
        token: stats.idf(token) * (SYNONYM_WEIGHT if token in reading.borrowed else 1) for token in tokens
    }
    rarest = min(groups, key=lambda group: (sum(stats.frequencies[token] for token in group), sorted(group)))
    # One word scores from its own postings: ``limit`` of each token is enough. With more
    # words the others must be checked too, so the seed is wider.
    want = limit if len(groups) == 1 else SEED_LIMIT
    # Each token's best postings on their own: read in the order of the index, where the
    # postings of several tokens at once would all be read and sorted.
    seeds = {token: _seed(kind, token, allowed, want) for token in sorted(rarest)}
    postings = [(pk, token, weight) for token in sorted(seeds) for pk, weight in seeds[token]]
    if len(groups) > 1:
        # The best ``want`` by what the rarest word adds to their score.
        postings = sorted(postings, key=lambda posting: (-posting[2] * factor[posting[1]], posting[0]))[:want]
    return _score(kind, postings, seeds, groups, factor, want)[:limit]


def _seed(kind, token, allowed, want):
    """The best ``want`` postings (object id, weight) of ``token`` in ``kind`` among
    ``allowed`` (see ``_match_reading``), the weightiest first. The token is not read back:
    decoding it for each of thousands of rows cost more than reading them."""
    postings = (
        SearchTerm.objects.filter(kind=kind, token=token)
        .order_by("-weight", "object_id")
        .values_list("object_id", "weight")
    )
    if isinstance(allowed, frozenset):
        return _walk(postings, allowed, want)
    return _fetch((postings if allowed is None else _among(postings, allowed))[:want])


def _score(kind, postings, seeds, groups, factor, want):
    """(object id, score) of the documents in ``postings`` (the candidates) that hold a token
    of every word (``groups``), best first: a document's score is the sum of its tokens'
    weights times their ``factor``. What the seed (each of the rarest word's tokens' best
    postings, ``seeds``) says is used as it is; only the other tokens, and a seed token cut at
    ``want`` for the candidates it did not list, are read, for the candidates alone."""
    weights = {pk: {} for pk, _token, _weight in postings}
    holders = {}
    for token, listed in seeds.items():
        holders[token] = set()
        for pk, weight in listed:
            holders[token].add(pk)
            if pk in weights:
                weights[pk][token] = weight
    # A seed token listed whole is known for every candidate; one cut at ``want`` only for
    # those it listed; the other words' tokens for none.
    unknown = [
        token
        for token in sorted(factor)
        if token not in seeds or (len(seeds[token]) >= want and not weights.keys() <= holders[token])
    ]
    ids = sorted(pk for pk in weights if any(pk not in holders.get(token, ()) for token in unknown))
    if ids:
        rows = _among(SearchTerm.objects.filter(kind=kind, token__in=unknown), ids).values_list(
            "object_id", "token", "weight"
        )
        for pk, token, weight in _fetch(rows):
            if pk not in holders.get(token, ()):
                weights[pk][token] = weight
    scored = []
    for pk, held in weights.items():
        if all(held.keys() & group for group in groups):
            scored.append((pk, round(sum(held[token] * factor[token] for token in sorted(held)), 6)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def _walk(postings, allowed, want):
    """The first ``want`` of ``postings`` (object id first) whose object is in ``allowed`` (a
    set), read in growing slices. For a facet that lets many records through (a theme of a
    fifth of the studies), checking each posting against a set here costs far less than the
    database's two index probes per posting through the facet's queryset."""
    found, start, size = [], 0, max(WALK_SLICE, WALK_FACTOR * want)
    while len(found) < want:
        rows = _fetch(postings[start : start + size])
        found.extend(row for row in rows if row[0] in allowed)
        if len(rows) < size:
            break
        start, size = start + size, size * 2
    return found[:want]


def _fetch(queryset):
    """The rows of a ``values_list`` queryset as tuples, read in one go: for thousands of rows
    several times faster than iterating the queryset (which fetches a hundred at a time and
    builds each row in Python). Only for columns that need no conversion (ids, tokens, weights)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def id_array(ids):
    """Integer ids as one PostgreSQL array literal (``{1,2,3}``), for a ``%s::bigint[]`` or
    ``%s::integer[]`` parameter: the driver adapts a list of thousands of ints one by one, which
    took longer than the query that read them."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _among(queryset, ids):
    """``queryset`` narrowed to rows whose ``object_id`` is one of ``ids`` (a list or a
    subquery). On PostgreSQL a list is one array parameter, unnested so that the planner can
    hash it or probe the index per id: thousands of ``IN`` parameters cost more to send and
    plan than the query takes to run, and ``= ANY(array)`` is checked against every element."""
    if isinstance(ids, list) and connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        where = f'"{table}"."object_id" IN (SELECT unnest(%s::bigint[]))'
        return queryset.extra(where=[where], params=[id_array(ids)])  # noqa: S610
    return queryset.filter(object_id__in=ids)


# Up to this many ids the facets allow are read first and passed as a list; up to
# ``ALLOWED_SET_LIMIT`` they are read into a set and the postings are checked against it in
# Python (``_walk``); beyond that most records pass, and the facets stay a subquery.
ALLOWED_LIMIT = 3_000
# When the rarest word of a query is in at most this many documents, its postings are checked
# against the facets' queryset directly, without reading the ids the facets allow.
FEW_POSTINGS = 1_000
ALLOWED_SET_LIMIT = 40_000
# The first slice of postings ``_walk`` reads is ``WALK_FACTOR`` times as long as what it
# looks for (enough when a sixth of the postings pass, as for a theme of a fifth of the
# studies), at least ``WALK_SLICE``; each next one is twice as long.
WALK_SLICE = 4_000
WALK_FACTOR = 6


def match(query, kind, allowed=None, limit=1000, stats=None, exact=None):
    """(primary key, score) of the documents of ``kind`` that match ``query``, best first: a
    document whose title is the query first, then by score. ``allowed``: the ids of the
    records the facets let through, as a queryset of ids (``values_list(..., flat=True)``);
    it may name records that are not public, which the index does not hold. A compound of
    the query is also read as its parts when the query itself finds few documents.
    ``exact``: the documents of ``kind`` whose title is the query, when already known
    (``match_kinds``)."""
    if not query.groups:
        return []
    stats = stats or statistics(query)
    ids = None
    if allowed is not None:
        readings = [query, query.split] if query.split else [query]
        if max(_rarest_count(reading, stats) for reading in readings) <= FEW_POSTINGS:
            # Few postings to walk: checking each through the facets' queryset is cheap.
            ids = allowed.order_by()
        else:
            ids = _allowed_ids(allowed)
    scores = dict(_match_reading(query, kind, ids, limit, stats))
    if query.split and len(scores) < SPLIT_BELOW:
        for pk, score in _match_reading(query.split, kind, ids, limit, stats):
            scores[pk] = max(scores.get(pk, 0), score)
    if exact is None:
        exact = _exact(query, SearchDocument.objects.filter(kind=kind), "object_id")
    if exact and ids is not None and not isinstance(ids, frozenset):
        # Titles found among every document: keep those the facets let through.
        exact = list(
            _among(SearchDocument.objects.filter(kind=kind, object_id__in=exact), ids).values_list(
                "object_id", flat=True
            )
        )
    for pk in exact:
        if not isinstance(ids, frozenset) or pk in ids:
            scores[pk] = EXACT_SCORE
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _rarest_count(reading, stats):
    """How many documents (of every kind) hold the rarest word of ``reading``."""
    return min(sum(stats.frequencies.get(token, 0) for token in group) for group in reading.groups)


def _allowed_ids(allowed):
    """The ids of the records the facets let through (``allowed``, a queryset of ids): a list when
    there are few, a frozenset when there are many, the queryset as a subquery when most
    records pass."""
    ids = [row[0] for row in _fetch(allowed.order_by()[: ALLOWED_SET_LIMIT + 1])]
    if len(ids) <= ALLOWED_LIMIT:
        return ids
    if len(ids) <= ALLOWED_SET_LIMIT:
        return frozenset(ids)
    return allowed.order_by()


# Kinds that may hold tens of thousands of documents: each is searched on its own, from the
# best postings of the query's rarest word (``_match_reading``). The other kinds hold at most
# a few hundred and are scored together, in one statement (``_match_few``).
SEEDED_KINDS = frozenset({ContentKind.STUDIES, ContentKind.FINDINGS})


def match_kinds(query, allowed, limit=1000, stats=None):
    """``match`` for several kinds at once: {kind: (primary key, score) pairs, best first}.
    ``allowed``: {kind: a queryset of the ids the facets let through (as for ``match``), or
    None}. The titles equal to the query are looked up once for every kind, and the small kinds
    without facets are scored in one statement: what ``match`` does kind by kind, in fewer
    statements."""
    if not query.groups:
        return {kind: [] for kind in allowed}
    stats = stats or statistics(query)
    few = [kind for kind, queryset in allowed.items() if queryset is None and kind not in SEEDED_KINDS]
    results = _match_few(query, few, limit, stats) if few else {}
    exact = {}
    for kind, pk in _exact(query, SearchDocument.objects.filter(kind__in=list(allowed)), "kind", "object_id"):
        exact.setdefault(kind, []).append(pk)
    for kind, queryset in allowed.items():
        if kind in results:
            scores = dict(results[kind])
            for pk in exact.get(kind, ()):
                scores[pk] = EXACT_SCORE
            results[kind] = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        else:
            results[kind] = match(query, kind, queryset, limit, stats, exact=exact.get(kind, []))
    return {kind: results[kind] for kind in allowed}


def _match_few(query, kinds, limit, stats):
    """{kind: (object id, score) pairs} for small ``kinds``, both readings of ``query`` (as
    written, and with its compounds split) scored in one statement over all their postings.
    The split reading joins a kind's matches when the first finds fewer than ``SPLIT_BELOW``
    there, as in ``match``. The statement is written out rather than built with the ORM,
    whose annotations took longer to compile than the statement takes to run."""
    readings = [query, query.split] if query.split else [query]
    tokens = sorted(
        {token for reading in readings for token in reading.tokens if stats.frequencies.get(token)}
    )
    results = {kind: [] for kind in kinds}
    if not tokens:
        return results
    columns, params, conditions = [], [], []
    for number, reading in enumerate(readings):
        factor = {
            token: stats.idf(token) * (SYNONYM_WEIGHT if token in reading.borrowed else 1)
            for token in reading.tokens
            if token in tokens
        }
        if not factor:
            continue
        cases = " ".join(["WHEN %s THEN %s"] * len(factor))
        columns.append(f"SUM(weight * CASE token {cases} ELSE 0.0 END)")
        params.extend(value for token, weight in factor.items() for value in (token, weight))
        answers = []
        for group in reading.groups:
            answers.append(f"MAX(CASE WHEN token IN ({', '.join(['%s'] * len(group))}) THEN 1 ELSE 0 END)")
            params.extend(sorted(group))
        columns.extend(answers)
        conditions.append((number, len(answers)))
    if not conditions:
        return results
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    # Only the table's name and placeholders are interpolated; kinds and tokens are parameters.
    sql = (
        f"SELECT kind, object_id, {', '.join(columns)} FROM {table} "  # noqa: S608
        f"WHERE kind IN ({', '.join(['%s'] * len(kinds))}) AND token IN ({', '.join(['%s'] * len(tokens))}) "
        "GROUP BY kind, object_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *kinds, *tokens])
        rows = cursor.fetchall()
    found = {kind: [{}, {}] for kind in kinds}
    for kind, object_id, *values in rows:
        position = 0
        for number, words in conditions:
            score, answers = values[position], values[position + 1 : position + 1 + words]
            position += 1 + words
            if all(answer == 1 for answer in answers):
                found[kind][number][object_id] = round(score, 6)
    for kind, (first, split) in found.items():
        scores = dict(first)
        if len(first) < SPLIT_BELOW:
            for pk, score in split.items():
                scores[pk] = max(scores.get(pk, 0), score)
        results[kind] = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return results


def _exact(query, documents, *fields):
    """The documents whose title is the query (folded), in a fixed order."""
    if not query.key:
        return []
    return list(
        documents.filter(title_key=query.key)
        .order_by("kind", "object_id")
        .values_list(*fields, flat=len(fields) == 1)
    )


def best(matches, limit):
    """(kind, primary key) of the best ``limit`` over every kind: ``matches`` is {kind: the
    (primary key, score) pairs ``match`` returned}. Scores compare across kinds (one idf)."""
    pooled = [(score, kind, pk) for kind, pairs in matches.items() for pk, score in pairs[:limit]]
    pooled.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(kind, pk) for _score, kind, pk in pooled[:limit]]


def top(text, limit=10, synonyms=None):
    """The best ``limit`` documents for a query over every kind (``best`` of each kind's
    ``match``), as ``SearchDocument``s: what the relevance report measures, ranked as the
    search page's "beste resultaten"."""
    from .synonyms import synonym_tokens

    query = read_query(text, 8, synonym_tokens() if synonyms is None else synonyms, vocabulary)
    if not query.groups:
        return []
    stats = statistics(query)
    keys = best(match_kinds(query, dict.fromkeys(ContentKind), limit, stats), limit)
    if not keys:
        return []
    documents = {
        (document.kind, document.object_id): document
        for document in SearchDocument.objects.filter(
            Q(*[Q(kind=kind, object_id=pk) for kind, pk in keys], _connector=Q.OR)
        )
    }
    return [documents[key] for key in keys if key in documents]
