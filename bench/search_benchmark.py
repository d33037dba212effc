"""Benchmark of /zoeken/ on the project's search index against Wagtail's stock database backend,
at 100,000 synthetic studies on PostgreSQL and 10,000 on SQLite.

Usage (``make bench-search`` runs exactly this):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench \\
        .venv/bin/python bench/search_benchmark.py --studies 100000 --sqlite-studies 10000 \\
        --report docs/benchmarks/search-100k.md

The PostgreSQL database is the one ``--database-url`` names, else ``BENCH_DATABASE_URL``, else
``DATABASE_URL``, else kp_bench on 127.0.0.1 (created when missing). Each database is measured
in a process of its own (this script with ``--measure``, the development settings, ``DEBUG``
off, a local-memory cache); the SQLite ones are files in ``bench/.data/`` that are kept between
runs. In each, the script:

1. migrates, runs ``setup_site`` and tops the synthetic studies up to the size asked for with
   ``generate_synthetic_data`` (which writes them into the search index as it goes);
2. fills Wagtail's own index (``IndexEntry``) for the studies when it holds fewer entries than
   there are live studies, through the backend's public API (``add_bulk`` in chunks of
   ``Study.get_indexed_objects()``), and times that;
3. times ``search.index.rebuild([studies, findings])``: the whole index of the two large kinds
   written again (documents per second; target at 100,000 studies: at most 10 minutes);
4. runs ``VACUUM ANALYZE`` (PostgreSQL, as autovacuum would after a bulk load) or ``ANALYZE``
   (SQLite), and warms the cache once as production does seconds after every change;
5. for a fixed set of queries from rare to very common terms, without facet filters, with one
   theme (a theme page's search box) and with a theme, a country and a study type, measures:

   - **first search**: ``GET /zoeken/`` through Django's test client with what this search
     matched and its page removed from the cache before each run: every kind matched, kind
     and facet counts, the page rendered (the facet options, the vocabulary and the counts
     per theme, country and model stay cached, as between any two searches);
   - **outcome cached** and **repeat**: the same search with only its rendered page removed,
     and the same URL again (the page from the cache);
   - **index probe**: what the first search asks of the index for the studies alone:
     ``index.read_query`` and ``engine.candidates`` (``index.match`` among the records the
     facets allow, up to 1,000 ids);
   - **stock backend**: ``list(get_search_backend().search(words, Study.objects.filter(live=True)
     [, facets])[:20])``, Wagtail's database backend on its own index. Themes and countries
     are not filter fields of ``Study`` (only its columns are), so a row whose facets the
     backend cannot filter on is measured on the term alone, and the report says so;

   p50 and p95 in ms over ``--runs`` runs after two warm-up runs, and for the first search the
   number of SQL statements and their time (median of five).

Targets (issue 20), per row: first-search p95 at most 150 ms and at most 0.2x the stock
backend's p95 on PostgreSQL at 100,000 studies; rebuilding 100,000 studies (and their findings)
in at most 10 minutes. SQLite at 10,000 studies has a section of its own and a comparison per
row with PostgreSQL.

The report is rewritten only between its ``results`` markers; the hand-written analysis
around them is kept. The public pages at the same size are ``make bench-pages``'s.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from pages_benchmark import database_name, ensure_database, merge_report  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kp_bench"
SQLITE_DIR = BENCH / ".data"
TITLE = "# Search benchmark: /zoeken/ on the search index against Wagtail's stock backend"

P95_TARGET_MS = 150
STOCK_RATIO_TARGET = 0.2
INDEXING_TARGET_S = 600
INDEXING_TARGET_STUDIES = 100_000
STOCK_LIMIT = 20
# The stock backend's runs per row stop after this many seconds (at least MIN_RUNS runs).
STOCK_BUDGET_S = 20
MIN_RUNS = 3
WAGTAIL_CHUNK = 1000

# (label, query words, share of studies the generator puts the term in)
QUERIES = [
    ("zeer zeldzaam", "zeevaartbegeleiding", 0.0001),
    ("zeldzaam", "vergunningen loopbaanadviseurs", 0.001),
    ("zeldzaam", "mentoraat", 0.005),
    ("ongewoon", "professionalisering adviseurs", 0.02),
    ("middel", "leerbudgetten", 0.05),
    ("gewoon", "volwassenen", 0.15),
    ("gewoon", "kwaliteit dienstverlening", 0.3),
    ("zeer gewoon", "onderzoek", 0.6),
    ("zeer gewoon", "loopbaanbegeleiding", 0.9),
]


# --- Pure helpers -----------------------------------------------------------------------------


def percentile(values, share):
    """The value at ``share`` (0..1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def yes(value):
    return "ja" if value else "**nee**"


def ms(value):
    return f"{value:.1f} ms"


def search_commit():
    """The last commit that changed the search code (what a run measures), "+" if it has
    uncommitted changes."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("log", "-1", "--format=%h", "--", "search", "knowledgebase", "portal")
    return commit + ("+" if git("status", "--porcelain", "--", "search") else "")


def row_key(row):
    return (row["words"], row["filter_key"])


# --- Measuring (in a process of its own, with Django set up) ----------------------------------


def timed(function, runs, before=None, budget_s=None):
    """p50 and p95 in ms of ``function`` after two warm-up runs; ``before`` runs untimed
    before each call. With ``budget_s``: one warm-up run, and the runs stop once they have
    taken that long and at least ``MIN_RUNS`` are timed (a stock search for a common term on
    SQLite takes seconds); ``timed.samples`` tells how many were."""
    samples, started = [], time.perf_counter()
    warm_ups = 2 if budget_s is None else 1
    for number in range(runs + warm_ups):
        if before:
            before()
        start = time.perf_counter()
        function()
        if number >= warm_ups:
            samples.append((time.perf_counter() - start) * 1000)
            spent = time.perf_counter() - started
            if budget_s is not None and len(samples) >= MIN_RUNS and spent > budget_s:
                break
    timed.samples = len(samples)
    return statistics.median(samples), percentile(samples, 0.95)


def sql_profile(function, before):
    """Statements one call runs, their time (median of five calls) and the slowest statement
    of the last call (SQL, parameters, ms), for ``EXPLAIN ANALYZE`` afterwards."""
    from django.db import connection

    totals, slowest = [], None
    for _ in range(5):
        before()
        log = []

        def wrapper(execute, sql, params, many, context, log=log):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append(((time.perf_counter() - start) * 1000, sql, params))

        with connection.execute_wrapper(wrapper):
            function()
        totals.append((len(log), sum(entry[0] for entry in log)))
        slowest = max(log, key=lambda entry: entry[0]) if log else None
    statements = totals[0][0]
    detail = None
    if slowest:
        detail = {"ms": slowest[0], "sql": slowest[1], "params": [str(p) for p in slowest[2] or ()]}
    return statements, statistics.median(total for _count, total in totals), detail


def fill_wagtail_index(studies_live):
    """Wagtail's index of the studies, filled through the backend's API when it holds fewer
    entries than there are live studies: (entries before, entries after, seconds or None)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from knowledgebase.models import Study

    content_type = ContentType.objects.get_for_model(Study)
    before = IndexEntry.objects.filter(content_type=content_type).count()
    if before >= studies_live:
        return before, before, None
    print(f"Filling Wagtail's index: {before} entries for {studies_live} live studies ...", flush=True)
    backend = get_search_backend()
    pks = list(Study.get_indexed_objects().order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for offset in range(0, len(pks), WAGTAIL_CHUNK):
        chunk = (
            Study.get_indexed_objects()
            .prefetch_related("authors")
            .filter(pk__in=pks[offset : offset + WAGTAIL_CHUNK])
        )
        backend.add_bulk(Study, list(chunk))
        if (offset // WAGTAIL_CHUNK) % 10 == 9:
            print(
                f"  {offset + WAGTAIL_CHUNK}/{len(pks)} ({time.perf_counter() - started:.0f} s)", flush=True
            )
    seconds = time.perf_counter() - started
    after = IndexEntry.objects.filter(content_type=content_type).count()
    return before, after, seconds


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from modelsearch.backends.base import FilterFieldError
    from wagtail.search.backends import get_search_backend

    from countries.models import CountryPage
    from knowledgebase import content_cache
    from knowledgebase.models import Finding, Study, Theme
    from search import engine, index, warmup
    from search.kinds import ContentKind
    from search.models import SearchDocument, SearchTerm
    from search.synonyms import synonym_tokens
    from search.views import page_name

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("setup_site", verbosity=0)
    existing = Study.objects.filter(slug__startswith="synthetisch-").count()
    generated = None
    if existing < args.studies:
        print(f"Generating {args.studies - existing} synthetic studies ...", flush=True)
        started = time.perf_counter()
        call_command("generate_synthetic_data", studies=args.studies - existing)
        generated = {"studies": args.studies - existing, "seconds": time.perf_counter() - started}
    studies = Study.objects.count()
    studies_live = Study.objects.filter(live=True).count()
    findings_live = Finding.objects.filter(live=True).count()

    wagtail_before, wagtail_after, wagtail_seconds = fill_wagtail_index(studies_live)

    indexing = None
    if not args.skip_rebuild:
        print("Rebuilding the search index of studies and findings ...", flush=True)
        started = time.perf_counter()
        index.rebuild([ContentKind.STUDIES, ContentKind.FINDINGS])
        seconds = time.perf_counter() - started
        documents = SearchDocument.objects.filter(
            kind__in=[ContentKind.STUDIES, ContentKind.FINDINGS]
        ).count()
        indexing = {
            "seconds": seconds,
            "documents": documents,
            "studies": SearchDocument.objects.filter(kind=ContentKind.STUDIES).count(),
            "findings": SearchDocument.objects.filter(kind=ContentKind.FINDINGS).count(),
            "terms": SearchTerm.objects.count(),
        }
        print(f"  {documents} documents in {seconds:.0f} s ({documents / seconds:.0f}/s)", flush=True)

    print("ANALYZE ...", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]

    theme = Theme.objects.order_by("pk").first()
    country = CountryPage.objects.live().order_by("pk").first()
    if not (theme and country):
        sys.exit("The benchmark needs a theme and a live country page.")
    # (key, label, facets of the search page, the same facets as stock-backend filters)
    filters = [
        ("none", "geen", {}, {}),
        ("theme", f"thema ({theme.slug})", {"theme": theme.slug}, {"themes": theme.pk}),
        (
            "theme-country-type",
            f"thema + land + soort ({theme.slug}, {country.code}, report)",
            {"theme": theme.slug, "country": country.code, "type": "report"},
            {"themes": theme.pk, "countries": country.pk, "study_type": "report"},
        ),
    ]

    print("Warming the cache ...", flush=True)
    warmup.warm_content_cache()

    backend = get_search_backend()
    live = Study.objects.filter(live=True)
    client = Client()
    rows, stock_unfiltered = [], {}
    for label, words, share in QUERIES:
        query = index.read_query(words, engine.MAX_TERMS, synonym_tokens(), index.vocabulary())
        # Studies that hold a token of every word (sets of ids: a benchmark may take its time).
        holders = [
            set(
                SearchTerm.objects.filter(kind=ContentKind.STUDIES, token__in=sorted(group)).values_list(
                    "object_id", flat=True
                )
            )
            for group in query.groups
        ]
        matches = len(set.intersection(*holders)) if holders else 0
        for filter_key, filter_label, facets, stock_filters in filters:
            params = engine.SearchParams(q=words, facets=facets)

            def page(words=words, facets=facets):
                response = client.get("/zoeken/", {"q": words, **facets})
                assert response.status_code == 200, response.status_code

            def forget_page(words=words, facets=facets):
                query = {name: [value] for name, value in {"q": words, **facets}.items()}
                cache.delete(content_cache.cache_key(page_name(settings.LANGUAGE_CODE, query, "1")))

            def forget(params=params):
                names = [engine.outcome_name(params), engine.facet_counts_name(params)]
                cache.delete_many([content_cache.cache_key(name) for name in names])
                forget_page()

            def probe(words=words, params=params):
                query = index.read_query(words, engine.MAX_TERMS, synonym_tokens(), index.vocabulary())
                engine.candidates(ContentKind.STUDIES, params, query)

            stock_queryset, stock_filtered = live, True
            if stock_filters:
                try:
                    stock_queryset = live.filter(**stock_filters)
                    list(backend.search(words, stock_queryset)[:1])
                except FilterFieldError:
                    stock_queryset, stock_filtered = live, False

            def stock(words=words, queryset=stock_queryset):
                list(backend.search(words, queryset)[:STOCK_LIMIT])

            first = timed(page, args.runs, before=forget)
            outcome = timed(page, args.runs, before=forget_page)
            repeat = timed(page, args.runs)
            probe_times = timed(probe, args.runs)
            # A row the backend cannot filter is the term alone: the row without filters' timing.
            if stock_filtered or words not in stock_unfiltered:
                stock_times = (*timed(stock, args.runs, budget_s=STOCK_BUDGET_S), timed.samples)
            else:
                stock_times = stock_unfiltered[words]
            if not stock_filters:
                stock_unfiltered[words] = stock_times
            statements, sql_ms, slowest = sql_profile(page, before=forget)
            row = {
                "label": label,
                "words": words,
                "share": share,
                "matches": matches,
                "filter_key": filter_key,
                "filters": filter_label,
                "first": first,
                "outcome": outcome,
                "repeat": repeat,
                "probe": probe_times,
                "stock": stock_times,
                "stock_filtered": stock_filtered,
                "statements": statements,
                "sql_ms": sql_ms,
                "slowest": slowest,
            }
            rows.append(row)
            print(
                f"{words!r:33} {filter_key:18} first p95 {first[1]:7.1f} ms  "
                f"probe p95 {probe_times[1]:6.1f} ms  "
                f"stock p95 {stock_times[1]:7.1f} ms{'' if stock_filtered else ' (term only)'}",
                flush=True,
            )

    result = {
        "commit": search_commit(),
        "date": time.strftime("%Y-%m-%d"),
        "vendor": connection.vendor,
        "version": version,
        "database": settings.DATABASES["default"]["NAME"],
        "studies": studies,
        "studies_live": studies_live,
        "findings_live": findings_live,
        "runs": args.runs,
        "generated": generated,
        "wagtail_index": {"before": wagtail_before, "after": wagtail_after, "seconds": wagtail_seconds},
        "indexing": indexing,
        "rows": rows,
    }
    Path(args.measure).write_text(json.dumps(result, indent=1))


# --- The report -------------------------------------------------------------------------------


def row_table(result):
    stock_note = False
    lines = [
        "| terms | query | studies matching the term | filters | first p50 | first p95 | outcome cached p95 "
        "| repeat p95 | index probe p95 | stock p50 | stock p95 | first / stock "
        f"| first p95 <= {P95_TARGET_MS} ms | first <= {STOCK_RATIO_TARGET}x stock "
        "| first: SQL statements | first: SQL time |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for row in result["rows"]:
        ratio = row["first"][1] / row["stock"][1] if row["stock"][1] else float("inf")
        mark = "" if row["stock_filtered"] else " ¹"
        if len(row["stock"]) > 2 and row["stock"][2] < result["runs"]:
            mark += f" ({row['stock'][2]} runs)"
        stock_note = stock_note or not row["stock_filtered"]
        lines.append(
            f"| {row['label']} | `{row['words']}` | {row['matches']} | {row['filters']} "
            f"| {ms(row['first'][0])} | {ms(row['first'][1])} | {ms(row['outcome'][1])} "
            f"| {ms(row['repeat'][1])} | {ms(row['probe'][1])} "
            f"| {ms(row['stock'][0])}{mark} | {ms(row['stock'][1])}{mark} | {ratio:.2f} "
            f"| {yes(row['first'][1] <= P95_TARGET_MS)} | {yes(ratio <= STOCK_RATIO_TARGET)} "
            f"| {row['statements']} | {ms(row['sql_ms'])} |"
        )
    if any(len(row["stock"]) > 2 and row["stock"][2] < result["runs"] for row in result["rows"]):
        lines += [
            "",
            f"The stock backend's runs of a row stop after {STOCK_BUDGET_S} s once {MIN_RUNS} are timed "
            "(one warm-up run); with so few, its p95 is the slowest run.",
        ]
    if stock_note:
        lines += [
            "",
            "¹ The stock backend cannot filter on themes or countries (they are not filter fields "
            "of `Study`; a `FilterFieldError` is raised), so these rows show the term alone among "
            "the live studies: the timing of the row without filters.",
        ]
    return lines


def standing(result):
    rows = result["rows"]
    within = sum(1 for row in rows if row["first"][1] <= P95_TARGET_MS)
    ratio = sum(1 for row in rows if row["first"][1] <= STOCK_RATIO_TARGET * row["stock"][1])
    both = sum(
        1
        for row in rows
        if row["first"][1] <= P95_TARGET_MS and row["first"][1] <= STOCK_RATIO_TARGET * row["stock"][1]
    )
    return [
        f"- First search p95 at most {P95_TARGET_MS} ms on {within} of {len(rows)} rows; at most "
        f"{STOCK_RATIO_TARGET}x the stock backend's p95 on {ratio} of {len(rows)} rows; both on "
        f"{both} of {len(rows)} rows.",
    ]


def setup_lines(result):
    lines = []
    generated = result.get("generated")
    if generated:
        lines.append(
            f"- Generated {generated['studies']} synthetic studies with `generate_synthetic_data` "
            f"(which writes them into the search index in batches) in {generated['seconds']:.0f} s."
        )
    wagtail = result["wagtail_index"]
    if wagtail["seconds"] is None:
        lines.append(
            f"- Wagtail's index held {wagtail['before']} entries for studies (at least one per live "
            "study): not filled again."
        )
    else:
        lines.append(
            f"- Wagtail's index held {wagtail['before']} entries for studies; filling it through "
            f"`backend.add_bulk(Study, ...)` in chunks of {WAGTAIL_CHUNK} (`Study.get_indexed_objects()` "
            f"with the authors prefetched) took {wagtail['seconds']:.0f} s "
            f"({wagtail['after']} entries after)."
        )
    indexing = result.get("indexing")
    if indexing:
        rate = indexing["documents"] / indexing["seconds"]
        line = (
            f"- **Indexing**: `search.index.rebuild([studies, findings])` wrote {indexing['studies']} "
            f"studies and {indexing['findings']} findings ({indexing['documents']} documents; "
            f"{indexing['terms']} term rows in the whole index) in {indexing['seconds']:.0f} s: "
            f"{rate:.0f} documents/s"
        )
        if result["studies"] >= INDEXING_TARGET_STUDIES:
            line += (
                f"; target at most {INDEXING_TARGET_S // 60} minutes for {INDEXING_TARGET_STUDIES:,} "
                f"studies and their findings: {yes(indexing['seconds'] <= INDEXING_TARGET_S)}."
            )
        else:
            projected = indexing["seconds"] * INDEXING_TARGET_STUDIES / max(indexing["studies"], 1)
            line += (
                f" (about {projected / 60:.1f} minutes for {INDEXING_TARGET_STUDIES:,} studies at this rate)."
            )
        lines.append(line)
    return lines


def scaling_table(results):
    """First-search and stock p95 per row for every database measured, side by side."""
    columns = [f"{r['vendor']} {r['studies']:,}" for r in results]
    by_key = [{row_key(row): row for row in r["rows"]} for r in results]
    header = "| query | filters | " + " | ".join(
        f"first p95 {c} | probe p95 {c} | stock p95 {c}" for c in columns
    )
    lines = [header + " |", "|---|---|" + "---:|---:|---:|" * len(columns)]
    for row in results[0]["rows"]:
        cells = []
        for rows in by_key:
            other = rows.get(row_key(row))
            if other:
                cells += [ms(other["first"][1]), ms(other["probe"][1]), ms(other["stock"][1])]
            else:
                cells += ["", "", ""]
        lines.append(f"| `{row['words']}` | {row['filter_key']} | " + " | ".join(cells) + " |")
    return lines


def render(results, meta):
    postgres = [r for r in results if r["vendor"] == "postgresql"]
    sqlite = [r for r in results if r["vendor"] == "sqlite"]
    lines = [
        f"Measured on {meta['date']} (search code at {meta['commit']}) by `bench/search_benchmark.py` "
        "(`make bench-search`): "
        f"Python {platform.python_version()}, {os.cpu_count()} cores shared with other work, `DEBUG` off, "
        "a local-memory cache, each database in a process of its own.",
        "",
        "- **First search**: `GET /zoeken/?q=...` through Django's test client, what this search matched "
        "and its page removed from the cache before each run: every kind matched in the index, kind and "
        "facet counts, the first results of each kind with excerpts, the template rendered. The facet "
        "options, the vocabulary and the counts per theme, country and model stay cached (the warm-up "
        "runs once before the first row, as production runs it after every change).",
        "- **Outcome cached** / **repeat**: the same search with only its rendered page removed (its next "
        "page, another kind, a download) / the same URL again (the page from the cache).",
        "- **Index probe**: what a first search asks of the index for the studies alone: "
        "`index.read_query` and `engine.candidates` (`index.match` among the records the facets allow, "
        "at most 1,000 ids, best first).",
        f"- **Stock**: Wagtail's database backend on its own index, `list(get_search_backend().search(words, "
        f"Study.objects.filter(live=True)[.filter(facets)])[:{STOCK_LIMIT}])`, the same terms.",
        "- **Targets** (issue 20, PostgreSQL at 100,000 studies): first-search p95 at most "
        f"{P95_TARGET_MS} ms "
        f"and at most {STOCK_RATIO_TARGET}x the stock backend's p95, per row; rebuilding the index of "
        f"{INDEXING_TARGET_STUDIES:,} studies and their findings in at most "
        f"{INDEXING_TARGET_S // 60} minutes.",
        "- **SQL columns**: the statements a first search runs and their time (median of five requests, "
        "timed around each statement); the rest is Python: the view, excerpts, the template.",
    ]
    for result in postgres + sqlite:
        name = "PostgreSQL" if result["vendor"] == "postgresql" else "SQLite"
        lines += [
            "",
            f"## {name} at {result['studies']:,} studies",
            "",
            f"{result['version']}; {result['studies']} studies ({result['studies_live']} live, "
            f"{result['findings_live']} live findings), {result['runs']} timed runs per row after two "
            "warm-up runs.",
            "",
            *setup_lines(result),
            "",
            *row_table(result),
            "",
            *standing(result),
        ]
    if len(results) > 1:
        lines += [
            "",
            "## How it scales",
            "",
            "p95 per row on each database measured (first search, index probe for the studies, "
            "stock backend).",
            "",
            *scaling_table(postgres + sqlite),
        ]
        base = postgres[0] if postgres else None
        for other in sqlite if base else []:
            pairs = [
                (row["first"][1], {row_key(r): r for r in other["rows"]}[row_key(row)]["first"][1])
                for row in base["rows"]
                if row_key(row) in {row_key(r) for r in other["rows"]}
            ]
            if pairs:
                ratios = sorted(small / large for large, small in pairs)
                lines += [
                    "",
                    f"- First-search p95 on SQLite at {other['studies']:,} studies is "
                    f"{ratios[0]:.2f}x to {ratios[-1]:.2f}x (median {statistics.median(ratios):.2f}x) "
                    f"that on PostgreSQL at {base['studies']:,}.",
                ]
    return "\n".join(lines)


# --- Orchestration ----------------------------------------------------------------------------


def run_measure(database_url, studies, runs, output, skip_rebuild=False):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        str(output),
        "--studies",
        str(studies),
        "--runs",
        str(runs),
    ]
    if skip_rebuild:
        command.append("--skip-rebuild")
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return json.loads(Path(output).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--sqlite-studies",
        type=int,
        nargs="*",
        default=[10_000],
        help="Sizes to measure on SQLite as well (files in bench/.data/); none to skip.",
    )
    parser.add_argument(
        "--sqlite-runs", type=int, default=None, help="Runs per row on SQLite (default: --runs)."
    )
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: BENCH_DATABASE_URL).")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="Measure SQLite only (keeps no PostgreSQL row)."
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Render the report from the measurements saved in bench/.data/ instead of measuring.",
    )
    parser.add_argument("--skip-rebuild", action="store_true", help="Do not time a rebuild of the index.")
    parser.add_argument("--report", default=str(ROOT / "docs" / "benchmarks" / "search-100k.md"))
    parser.add_argument("--results", default=None, help="Also keep the raw results (JSON) here.")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
        measure(args)
        return

    url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    url = url or DEFAULT_DATABASE_URL
    SQLITE_DIR.mkdir(exist_ok=True)
    results = []
    if not args.skip_postgres:
        if not url.startswith("postgres"):
            sys.exit(f"BENCH_DATABASE_URL must name a PostgreSQL database, not {url}")
        saved = SQLITE_DIR / "postgresql.json"
        if args.reuse:
            results.append(json.loads(saved.read_text()))
        else:
            ensure_database(url)
            print(f"== PostgreSQL ({database_name(url)}), {args.studies} studies", flush=True)
            results.append(run_measure(url, args.studies, args.runs, saved, args.skip_rebuild))
    for size in args.sqlite_studies or []:
        path = SQLITE_DIR / f"search-{size}.sqlite3"
        if args.reuse:
            results.append(json.loads((SQLITE_DIR / f"sqlite-{size}.json").read_text()))
            continue
        print(f"== SQLite ({path}), {size} studies", flush=True)
        results.append(
            run_measure(
                f"sqlite:///{path}",
                size,
                args.sqlite_runs or args.runs,
                SQLITE_DIR / f"sqlite-{size}.json",
                args.skip_rebuild,
            )
        )
    if args.results:
        Path(args.results).write_text(json.dumps(results, indent=1))

    commits = sorted({result.get("commit") or "?" for result in results})
    dates = sorted({result.get("date") or time.strftime("%Y-%m-%d") for result in results})
    meta = {"date": " to ".join(dict.fromkeys([dates[0], dates[-1]])), "commit": ", ".join(commits)}
    report = Path(args.report)
    existing = report.read_text() if report.exists() else ""
    report.write_text(merge_report(existing, render(results, meta), title=TITLE))
    print(f"Report written to {report}")


if __name__ == "__main__":
    main()
