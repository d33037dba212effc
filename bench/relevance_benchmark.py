"""The relevance test set on SQLite and on PostgreSQL: recall@5, nDCG@10 and whether the two
backends give the same top 5.

Usage (``make bench-relevance`` runs exactly this):

    .venv/bin/python bench/relevance_benchmark.py --report docs/benchmarks/relevance.md

For each backend a fresh process (``manage.py``, the development settings, no Redis) gets
``DATABASE_URL`` pointing at its database, which is migrated and given the site tree and the
starter content (``setup_site --starter-content``); then a ``manage.py shell`` rebuilds the
search index and runs every query of ``tests/search/relevance_set.yaml`` through
``search.relevance``, printing the first ten addresses per query as JSON. SQLite uses a new
database in a temporary folder; PostgreSQL the database ``BENCH_DATABASE_URL`` names (default
below), created when missing.

Targets (issue 20): recall@5 of at least 0.9 on each backend, and the same top 5 on both for
at least 90% of the queries. The script exits with status 1 when one is missed, after writing
the report.

The report is written anew except for the hand-written part between ``<!-- analysis -->``
and ``<!-- /analysis -->``, which is carried over from the existing file.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

# The database helpers of the pages benchmark, next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages_benchmark import ensure_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kp_bench_relevance"
ANALYSIS_START = "<!-- analysis -->"
ANALYSIS_END = "<!-- /analysis -->"
RECALL_TARGET = 0.9
SAME_TOP_TARGET = 0.9
TOP = 5

# Runs in ``manage.py shell``: the index rebuilt, the set run, one JSON line printed.
EVALUATE_CODE = """
import json
from django.db import connection
from search import index, relevance
index.rebuild()
report = relevance.evaluate()
print(json.dumps({
    "vendor": connection.vendor,
    "rows": [
        {"query": row.query.query, "language": row.query.language, "top": row.top,
         "recall": row.recall, "ndcg": row.ndcg}
        for row in report.rows
    ],
}))
"""


# --- Pure helpers -----------------------------------------------------------------------------


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def summary(rows, language=None):
    chosen = [row for row in rows if language in (None, row["language"])]
    return mean(row["recall"] for row in chosen), mean(row["ndcg"] for row in chosen)


def same_top(rows_a, rows_b, k=TOP):
    """Per query (in the set's order): whether both backends gave the same first ``k``."""
    by_query = {row["query"]: row["top"][:k] for row in rows_b}
    return {row["query"]: row["top"][:k] == by_query.get(row["query"]) for row in rows_a}


def analysis_block(existing):
    """The hand-written analysis of the existing report, markers included, or a placeholder."""
    if existing and ANALYSIS_START in existing and ANALYSIS_END in existing:
        inside = existing.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0]
        return f"{ANALYSIS_START}{inside}{ANALYSIS_END}"
    return f"{ANALYSIS_START}\n## Analysis\n\n(Not written yet.)\n{ANALYSIS_END}"


def yes(value):
    return "pass" if value else "**FAIL**"


def cell(urls):
    return "<br>".join(f"`{url}`" for url in urls) or "(nothing)"


def render(results, existing, meta):
    """The whole report: results per backend, the per-query table, the analysis kept."""
    names = list(results)
    lines = [
        "# Relevance benchmark",
        "",
        "The relevance test set (`tests/search/relevance_set.yaml`) run through `search.index.top` "
        "on each backend over the starter content; written by `make bench-relevance` "
        "(`bench/relevance_benchmark.py`). recall@5: share of a query's expected pages in its "
        "first five results, averaged over the queries; nDCG@10: graded, discounted gain of the "
        "first ten results against the ideal order.",
        "",
        f"Run {meta['date']} on commit `{meta['commit']}`, {meta['queries']} queries "
        f"({meta['nl']} Dutch, {meta['en']} English).",
        "",
        analysis_block(existing),
        "",
        "## Results",
        "",
        "| backend | recall@5 | nDCG@10 | recall@5 nl | recall@5 en | target recall@5 ≥ 0.9 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in names:
        rows = results[name]
        recall, ndcg = summary(rows)
        lines.append(
            f"| {name} | {recall:.3f} | {ndcg:.3f} | {summary(rows, 'nl')[0]:.3f} | "
            f"{summary(rows, 'en')[0]:.3f} | {yes(recall >= RECALL_TARGET)} |"
        )
    if len(names) == 2:
        same = same_top(results[names[0]], results[names[1]])
        share = mean(same.values())
        lines += [
            "",
            f"Same top 5 on both backends: {sum(same.values())} of {len(same)} queries "
            f"({share:.0%}; target at least {SAME_TOP_TARGET:.0%}: {yes(share >= SAME_TOP_TARGET)}).",
        ]
    else:
        same = {}
    lines += ["", "## Per query", ""]
    columns = ["query", "lang", *(f"recall@5 {name}" for name in names)]
    columns += ["same top 5"] if same else []
    columns += [f"top 5 {name}" for name in names]
    lines += ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    others = {name: {row["query"]: row for row in results[name]} for name in names}
    for row in results[names[0]]:
        query = row["query"]
        parts = [query.replace("|", "\\|"), row["language"]]
        parts += [f"{others[name][query]['recall']:.2f}" for name in names]
        if same:
            parts.append("yes" if same[query] else "**no**")
        parts += [cell(others[name][query]["top"][:TOP]) for name in names]
        lines.append("| " + " | ".join(parts) + " |")
    return "\n".join(lines) + "\n"


# --- The runs ---------------------------------------------------------------------------------


def manage(*args, env, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


def run_backend(name, database_url):
    """Set up the database at ``database_url`` and run the set there, in processes of their own."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}},
        "DATABASE_URL": database_url,
    }
    print(f"{name}: migrating, site tree and starter content ...", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("setup_site", "--starter-content", env=env, capture=True)
    print(f"{name}: rebuilding the index and running the set ...", flush=True)
    output = manage("shell", "-c", EVALUATE_CODE, env=env, capture=True)
    found = json.loads(output.strip().splitlines()[-1])
    recall, ndcg = summary(found["rows"])
    print(f"{name} ({found['vendor']}): recall@5 {recall:.3f}, nDCG@10 {ndcg:.3f}", flush=True)
    return found["rows"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks" / "relevance.md")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    if "postgresql" in backends and not postgres_url.startswith("postgres"):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database.")

    results = {}
    with tempfile.TemporaryDirectory(prefix="kp-relevance-") as workdir:
        for name in backends:
            if name == "sqlite":
                url = f"sqlite:///{Path(workdir) / 'relevance.sqlite3'}"
            elif name == "postgresql":
                ensure_database(postgres_url)
                url = postgres_url
            else:
                raise SystemExit(f"Unknown backend {name!r} (sqlite or postgresql).")
            results[name] = run_backend(name, url)

    sys.path.insert(0, str(ROOT))
    # The set's module imports the project's models: Django is set up first (no query runs).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from search.relevance import load_set

    queries = load_set()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "queries": len(queries),
        "nl": sum(1 for query in queries if query.language == "nl"),
        "en": sum(1 for query in queries if query.language == "en"),
    }
    existing = args.report.read_text(encoding="utf-8") if args.report.exists() else ""
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(render(results, existing, meta), encoding="utf-8")
    print(f"Report written to {args.report}", flush=True)

    missed = [name for name, rows in results.items() if summary(rows)[0] < RECALL_TARGET]
    if len(results) == 2:
        first, second = results.values()
        if mean(same_top(first, second).values()) < SAME_TOP_TARGET:
            missed.append("same top 5")
    if missed:
        print(f"Targets missed: {', '.join(missed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
