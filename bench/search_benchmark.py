"""Benchmark of /zoeken/ at 100,000 synthetic studies against a hand-written PostgreSQL query.

Usage (``make bench-search`` runs exactly this against a database of its own):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench \\
        .venv/bin/python bench/search_benchmark.py --studies 100000 --report docs/benchmarks/search-100k.md

It migrates the database, creates the synthetic studies that are missing
(``generate_synthetic_data``) and warms the cache as production does after every change, then,
for a fixed set of queries from rare to very common terms, without facet filters, with one theme
(a theme page's search box) and with a theme, a country and a study type, measures:

- the search page as served, with ``DEBUG`` off: a GET through Django's test client (URL
  routing, the middleware, the view, all queries and template rendering), three times over:
  - a *first search*: what this search matched and its page are removed from the cache before
    each run, so every kind is searched and counted (the facet options, the facet ids, the
    vocabulary and the counts per theme, country and model stay cached, as they do between two
    different searches on a site whose content did not change),
  - *outcome cached*: only the rendered page is removed, as for the search's next page,
    another kind or its download: the records shown are loaded and the template rendered, and
  - a *repeat*: the same URL again, sent as rendered from the cache after one query that checks
    its records are still public; and
- a hand-written baseline: one PostgreSQL full-text query over a GIN-indexed tsvector of title
  and summary, the same terms and filters, the top 20 by ``ts_rank``.

and writes p50/p95 of each to a Markdown report. It then measures the other pages a policymaker
opens on the same data (a country profile, a model page, the theme list, a theme page, the gap
map, the lists) on a first visit after a content change (a new content version before each
run: nothing cached) and on a repeat visit.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
# As served: no query log, no debug templates.
os.environ.setdefault("DEBUG", "false")

P95_TARGET_MS = 150
RATIO_TARGET = 1.5

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

# The other pages: (label, path); "{theme}" is the slug of the theme the filtered rows use,
# "{country}" and "{model}" the paths of the first country profile and model page.
PAGES = [
    ("landenprofiel", "{country}"),
    ("kennisinfrastructuurmodel", "{model}"),
    ("thema's", "/themas/"),
    ("themapagina", "/themas/{theme}/"),
    ("kaart van het bewijs, landen", "/themas/kaart/"),
    ("kaart van het bewijs, modellen", "/themas/kaart/?as=modellen"),
    ("onderzoek", "/onderzoek/"),
    ("onderzoek op titel", "/onderzoek/?sort=title"),
    ("onderzoek over een thema", "/onderzoek/?theme={theme}"),
    ("bevindingen", "/bevindingen/"),
    ("nieuw onderzoek (Atom-feed)", "/onderzoek/feed.atom"),
    ("nieuw onderzoek over een thema (Atom-feed)", "/onderzoek/feed.atom?theme={theme}"),
    ("sitemap-index", "/sitemap.xml"),
    ("sitemap onderzoek, eerste 10.000", "/sitemap-onderzoek.xml"),
    ("API: onderzoek, 100 per pagina", "/api/v1/onderzoek/?limit=100"),
    ("API: onderzoek over een thema", "/api/v1/onderzoek/?theme={theme}"),
    ("API: bevindingen", "/api/v1/bevindingen/"),
]
# Runs of the cache warm-up after a change (each computes everything the pages above cache).
WARM_UP_RUNS = 5


class PageRow(NamedTuple):
    label: str
    path: str
    first_p50: float
    first_p95: float
    repeat_p50: float
    repeat_p95: float


class Row(NamedTuple):
    label: str
    words: str
    matches: int
    filters: str
    first_p50: float
    first_p95: float
    outcome_p50: float
    outcome_p95: float
    repeat_p50: float
    repeat_p95: float
    base_p50: float
    base_p95: float
    queries: int
    sql_ms: float

    @property
    def page_p95s(self):
        return (self.first_p95, self.outcome_p95, self.repeat_p95)

    def meets_p95(self, p95):
        return p95 <= P95_TARGET_MS

    def meets_ratio(self, p95):
        return p95 <= RATIO_TARGET * self.base_p95


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, runs, before=None):
    """p50 and p95 in ms of ``function``, after two warm-up runs; ``before`` runs untimed
    before each call."""
    samples = []
    for number in range(runs + 2):
        if before:
            before()
        start = time.perf_counter()
        function()
        if number >= 2:
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def sql_profile(function, before):
    """The number of SQL statements one call runs and the time they take (median of five)."""
    from django.db import connection

    totals = []
    for _ in range(5):
        before()
        log = []

        def wrapper(execute, sql, params, many, context, log=log):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append((time.perf_counter() - start) * 1000)

        with connection.execute_wrapper(wrapper):
            function()
        totals.append((len(log), sum(log)))
    return totals[0][0], statistics.median(total for _count, total in totals)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--report", default=str(ROOT / "docs" / "benchmarks" / "search-100k.md"))
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from countries.models import CountryPage
    from knowledgebase import content_cache
    from knowledgebase.models import Study, Theme
    from models_infra.models import InfrastructureModelPage
    from search import engine as search
    from search import warmup
    from search.views import page_name

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("setup_site", verbosity=0)
    existing = Study.objects.filter(slug__startswith="synthetisch-").count()
    if existing < args.studies:
        print(f"Generating {args.studies - existing} synthetic studies ...", flush=True)
        call_command("generate_synthetic_data", studies=args.studies - existing)
    total = Study.objects.count()

    config = "dutch"
    with connection.cursor() as cursor:
        print("Building the baseline GIN index ...", flush=True)
        cursor.execute("DROP TABLE IF EXISTS bench_study_fts")
        cursor.execute(
            """CREATE TABLE bench_study_fts AS
               SELECT id, setweight(to_tsvector(%s::regconfig, title), 'A')
                          || setweight(to_tsvector(%s::regconfig, summary), 'D') AS document
               FROM knowledgebase_study""",
            [config, config],
        )
        cursor.execute("CREATE INDEX bench_study_fts_gin ON bench_study_fts USING gin (document)")
        cursor.execute("ALTER TABLE bench_study_fts ADD PRIMARY KEY (id)")
        # What autovacuum does on a production database after a bulk load: fresh planner
        # statistics and visibility maps (without them the planner misjudges how common a term
        # is and index-only scans visit the heap).
        print("VACUUM ANALYZE ...", flush=True)
        cursor.execute("VACUUM ANALYZE")

    theme = Theme.objects.order_by("pk").first()
    country = CountryPage.objects.live().order_by("pk").first()
    model = InfrastructureModelPage.objects.live().order_by("pk").first()
    if not (theme and country and model):
        sys.exit("The benchmark needs a theme, a live country page and a live model page.")
    on_theme = """AND EXISTS (SELECT 1 FROM knowledgebase_study_themes t
                                  WHERE t.study_id = s.id AND t.theme_id = %s)"""
    # (label, parameters, SQL for the baseline, its parameters). A theme alone is what the
    # search box of a theme page asks; three facets narrow it down to a few hundred studies.
    filters = [
        ("geen", {}, "", []),
        (f"thema ({theme.slug})", {"theme": theme.slug}, on_theme, [theme.pk]),
        (
            f"thema + land + soort ({theme.slug}, {country.code}, report)",
            {"theme": theme.slug, "country": country.code, "type": "report"},
            on_theme
            + """ AND EXISTS (SELECT 1 FROM knowledgebase_study_countries c
                               WHERE c.study_id = s.id AND c.countrypage_id = %s)
                   AND s.study_type = 'report'""",
            [theme.pk, country.pk],
        ),
    ]

    # As in production, where the warm-up runs seconds after every change to content: the
    # counts per theme, country and model are cached (docs/search.md).
    print("Warming the cache ...", flush=True)
    warmup.warm_content_cache()

    client = Client()
    rows = []
    for label, words, _share in QUERIES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM bench_study_fts WHERE document @@ plainto_tsquery(%s::regconfig, %s)",
                [config, words],
            )
            matches = cursor.fetchone()[0]
        for filter_label, params, filter_sql, filter_params in filters:

            def page(words=words, params=params):
                response = client.get("/zoeken/", {"q": words, **params})
                assert response.status_code == 200, response.status_code

            def forget_page(words=words, params=params):
                query = {name: [value] for name, value in {"q": words, **params}.items()}
                cache.delete(content_cache.cache_key(page_name(settings.LANGUAGE_CODE, query, "1")))

            def forget(words=words, params=params):
                search_params = search.SearchParams(q=words, facets=params)
                names = [search.outcome_name(search_params), search.facet_counts_name(search_params)]
                cache.delete_many([content_cache.cache_key(name) for name in names])
                forget_page()

            def baseline(words=words, filter_sql=filter_sql, filter_params=filter_params):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"""SELECT s.id FROM bench_study_fts b JOIN knowledgebase_study s ON s.id = b.id,
                                   plainto_tsquery(%s::regconfig, %s) q
                            WHERE b.document @@ q AND s.live {filter_sql}
                            ORDER BY ts_rank(b.document, q) DESC, s.id DESC LIMIT 20""",
                        [config, words, *filter_params],
                    )
                    cursor.fetchall()

            pages = (
                *timed(page, args.runs, before=forget),
                *timed(page, args.runs, before=forget_page),
                *timed(page, args.runs),
            )
            base_p50, base_p95 = timed(baseline, args.runs)
            queries, sql_ms = sql_profile(page, before=forget)
            row = Row(label, words, matches, filter_label, *pages, base_p50, base_p95, queries, sql_ms)
            rows.append(row)
            timing = (
                f"first p95 {row.first_p95:7.1f} ms  outcome cached p95 {row.outcome_p95:6.1f} ms  "
                f"repeat p95 {row.repeat_p95:6.1f} ms  baseline p95 {base_p95:6.1f} ms"
            )
            print(f"{words!r:35} {filter_label[:20]:20} {timing}", flush=True)

    page_rows = []
    for label, template in PAGES:
        path = template.format(theme=theme.slug, country=country.url, model=model.url)

        def visit(path=path):
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        first = timed(visit, args.runs, before=content_cache.content_changed)
        page_row = PageRow(label, path, *first, *timed(visit, args.runs))
        page_rows.append(page_row)
        print(f"{path:45} first p95 {page_row.first_p95:7.1f} ms  repeat p95 {page_row.repeat_p95:6.1f} ms")

    warm_up = timed(warmup.warm_content_cache, WARM_UP_RUNS, before=content_cache.content_changed)
    print(f"warm-up after a change: p50 {warm_up[0] / 1000:.1f} s  p95 {warm_up[1] / 1000:.1f} s")

    write_report(args, rows, page_rows, total, warm_up)


def write_report(args, rows, page_rows, total, warm_up):
    import platform

    from django.db import connection

    from knowledgebase import warmup

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]

    def yes(value):
        return "ja" if value else "nee"

    lines = [
        "# Search benchmark: /zoeken/ at 100,000 synthetic studies",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} by `bench/search_benchmark.py` (`make bench-search`): "
        f"{total} studies in the database, PostgreSQL {version}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other work, `DEBUG` off, "
        f"{args.runs} timed runs per row after two warm-up runs.",
        "",
        "- **First search**: `GET /zoeken/?q=...` through Django's test client, the outcome of this "
        "search removed from the cache before each run: every kind searched, kind and facet counts, the "
        "first results of each kind with excerpts, the template rendered. The facet options, the facet "
        "ids and the vocabulary stay cached, as between any two searches while the content does not "
        "change, and so do the counts per theme, country and model that the warm-up computes after "
        "every change (run once before the first row).",
        "- **Outcome cached**: the same search with its rendered page removed from the cache before "
        "each run, as for its next page, another kind or a download: what it matched and its facet "
        "counts come from the cache of the current content version; the records shown are loaded "
        "and the template rendered.",
        "- **Repeat**: the same URL again (reload, back, a shared link, a popular search): the page "
        "as rendered comes from the cache, after one query that checks its records are still public.",
        "- **Baseline**: one hand-written query over a GIN-indexed `tsvector` of title and summary, same "
        "terms (`plainto_tsquery('dutch', ...)`) and filters, `ORDER BY ts_rank(...) DESC LIMIT 20`.",
        f"- **Targets**: page p95 at most {P95_TARGET_MS} ms, and at most {RATIO_TARGET}x the baseline p95.",
        "- **SQL columns**: the statements a first search runs and the time spent in them (median of "
        "five requests, timed around each statement); the rest of its time is Python: the view, "
        "excerpts and the template.",
        "",
        "| terms | query | studies matching | filters | first p50 | first p95 | outcome cached p50 "
        "| outcome cached p95 | repeat p50 | repeat p95 | baseline p50 | baseline p95 "
        "| first / baseline | outcome cached / baseline | repeat / baseline "
        f"| first p95 <= {P95_TARGET_MS} ms | first <= {RATIO_TARGET}x | outcome cached <= {RATIO_TARGET}x "
        f"| repeat <= {RATIO_TARGET}x | first: SQL statements | first: SQL time (median) |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|---:|",
    ]
    for row in rows:
        ratios = [p95 / row.base_p95 if row.base_p95 else float("inf") for p95 in row.page_p95s]
        lines.append(
            f"| {row.label} | `{row.words}` | {row.matches} | {row.filters} "
            f"| {row.first_p50:.1f} ms | {row.first_p95:.1f} ms "
            f"| {row.outcome_p50:.1f} ms | {row.outcome_p95:.1f} ms "
            f"| {row.repeat_p50:.1f} ms | {row.repeat_p95:.1f} ms "
            f"| {row.base_p50:.1f} ms | {row.base_p95:.1f} ms | "
            + " | ".join(f"{ratio:.2f}" for ratio in ratios)
            + f" | {yes(row.meets_p95(row.first_p95))} | "
            + " | ".join(yes(row.meets_ratio(p95)) for p95 in row.page_p95s)
            + f" | {row.queries} | {row.sql_ms:.1f} ms |"
        )
    lines += ["", "## Where it stands", ""]
    for position, name in enumerate(("First search", "Outcome cached", "Repeat")):
        within = sum(1 for row in rows if row.meets_p95(row.page_p95s[position]))
        ratio = sum(1 for row in rows if row.meets_ratio(row.page_p95s[position]))
        lines.append(
            f"- {name}: p95 at most {P95_TARGET_MS} ms on {within} of {len(rows)} rows, "
            f"at most {RATIO_TARGET}x the baseline p95 on {ratio} of {len(rows)} rows."
        )
    lines += [
        "",
        "See docs/search.md for the design (per-kind partial GIN indexes, filter-first for facets, "
        "capped candidate sets, outcomes and pages cached per content version).",
        "",
        "## The other pages at the same size",
        "",
        "- **First visit**: the first request after a content change: a new content version before "
        "each run, so nothing is cached (counts, ids, facet options).",
        "- **Repeat**: the same URL again while the content does not change: counts and ids come from "
        'the cache, the records and the template per request (docs/search.md, "Theme pages, the gap '
        'map and the lists").',
        "",
        "| page | path | first visit p50 | first visit p95 | repeat p50 | repeat p95 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {row.label} | `{row.path}` | {row.first_p50:.1f} ms | {row.first_p95:.1f} ms "
        f"| {row.repeat_p50:.1f} ms | {row.repeat_p95:.1f} ms |"
        for row in page_rows
    ]
    lines += [
        "",
        f"**Warm-up after a change** (`search/warmup.py`, the Celery task queued "
        f"{warmup.WARM_DELAY} s after each change to content): it computes what every page above "
        f"caches, for all themes, countries and models, in {warm_up[0] / 1000:.1f} s at p50 and "
        f"{warm_up[1] / 1000:.1f} s at p95 "
        f"({WARM_UP_RUNS} runs, a new content version before each). Once it has run, a first visit "
        "costs what a repeat visit does.",
        "",
    ]
    Path(args.report).write_text("\n".join(lines))
    print(f"Report written to {args.report}")


if __name__ == "__main__":
    main()
