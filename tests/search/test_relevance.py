"""The relevance test set (tests/search/relevance_set.yaml) over the starter content.

Runs on the database the suite runs on: SQLite by default, PostgreSQL when ``DATABASE_URL``
names one (``make test-services``). ``make bench-relevance`` compares the two backends'
top 5 and writes docs/benchmarks/relevance.md.
"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from search import relevance

RECALL_TARGET = 0.9


@pytest.fixture(scope="module")
def starter_index(django_db_setup, django_db_blocker):
    """The starter content loaded and indexed once for this module, rolled back afterwards."""
    from portal.services import editorial_setup_ensure, site_tree_ensure
    from search import index as search_index

    with django_db_blocker.unblock(), transaction.atomic():
        home = site_tree_ensure(hostname="testserver")
        editorial_setup_ensure(home=home)
        call_command("load_starter_content", stdout=io.StringIO())
        search_index.rebuild()
        yield
        transaction.set_rollback(True)


# --- The set itself ---------------------------------------------------------------------------


def test_the_set_has_enough_queries_in_both_languages():
    queries = relevance.load_set()
    languages = Counter(query.language for query in queries)
    assert languages["nl"] >= 40 and languages["en"] >= 10, languages
    assert set(languages) == {"nl", "en"}
    assert len({query.query for query in queries}) == len(queries), "a query is listed twice"
    for query in queries:
        assert query.why.strip(), query.query
        assert 1 <= len(query.expected) <= 3, query.query
        assert all(
            url.startswith(relevance.QUESTION) or (url.startswith("/") and url.endswith("/"))
            for url in query.expected
        ), query.query
        assert all(grade >= 1 for grade in query.expected.values()), query.query


def test_every_expected_address_is_a_public_page(starter_index, client, db):
    urls = sorted({relevance.address(url) for query in relevance.load_set() for url in query.expected})
    broken = {url: status for url in urls if (status := client.get(url).status_code) != 200}
    assert not broken, broken


# --- The search against it --------------------------------------------------------------------


def test_recall_at_5_over_the_set(starter_index, db):
    report = relevance.evaluate()
    assert report.recall >= RECALL_TARGET, (
        f"recall@5 {report.recall:.3f} (nl {report.recall_for('nl'):.3f}, "
        f"en {report.recall_for('en'):.3f}), nDCG@10 {report.ndcg:.3f}; "
        f"{len(report.failures)} of {len(report.rows)} queries missed an expected page:\n"
        + relevance.describe_failures(report)
    )


# --- The measures -----------------------------------------------------------------------------


def test_recall_counts_the_expected_addresses_in_the_first_five():
    top = ["/a/", "/b/", "/c/", "/d/", "/e/", "/f/"]
    assert relevance.recall_at(top, {"/a/": 1, "/e/": 1}) == 1.0
    assert relevance.recall_at(top, {"/a/": 1, "/f/": 1}) == 0.5
    assert relevance.recall_at([], {"/a/": 1}) == 0.0


def test_ndcg_rewards_the_right_order_and_grades():
    expected = {"/a/": 2, "/b/": 1}
    assert relevance.ndcg_at(["/a/", "/b/"], expected) == pytest.approx(1.0)
    swapped = relevance.ndcg_at(["/b/", "/a/"], expected)
    later = relevance.ndcg_at(["/x/", "/a/", "/b/"], expected)
    assert 0 < later < swapped < 1
    # Beyond the tenth result nothing counts; an address listed twice counts once.
    assert relevance.ndcg_at([f"/{n}/" for n in range(10)] + ["/a/"], expected) == 0.0
    assert relevance.ndcg_at(["/a/", "/a/"], expected) == relevance.ndcg_at(["/a/"], expected)


def test_a_grade_is_read_from_the_set(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(
        "- query: q\n  language: nl\n  why: w\n  expected:\n    - {url: /a/, grade: 2}\n    - /b/\n",
        encoding="utf-8",
    )
    (query,) = relevance.load_set(path)
    assert query.expected == {"/a/": 2, "/b/": 1}
    assert list(query.expected) == ["/a/", "/b/"]


# --- The benchmark's report (bench/relevance_benchmark.py; the runs never start in the tests) -


def _bench():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "relevance_benchmark.py"
    spec = importlib.util.spec_from_file_location("relevance_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_report_keeps_its_analysis_and_compares_the_top_5():
    bench = _bench()
    rows = {
        "sqlite": [
            {"query": "a", "language": "nl", "top": ["/x/", "/y/"], "recall": 1.0, "ndcg": 1.0},
            {"query": "b", "language": "en", "top": ["/y/"], "recall": 0.0, "ndcg": 0.0},
        ],
        "postgresql": [
            {"query": "a", "language": "nl", "top": ["/x/", "/y/", "/z/"], "recall": 1.0, "ndcg": 1.0},
            {"query": "b", "language": "en", "top": ["/z/"], "recall": 0.0, "ndcg": 0.0},
        ],
    }
    assert bench.same_top(rows["sqlite"], rows["postgresql"]) == {"a": False, "b": False}
    assert bench.same_top(rows["sqlite"], rows["postgresql"], k=2) == {"a": True, "b": False}
    meta = {"date": "today", "commit": "abc", "queries": 2, "nl": 1, "en": 1}
    first = bench.render(rows, "", meta)
    assert "(Not written yet.)" in first and "| sqlite | 0.500 | 0.500 |" in first
    existing = first.replace("(Not written yet.)", "Written by hand.")
    again = bench.render(rows, existing, {**meta, "date": "tomorrow"})
    assert "Written by hand." in again and "(Not written yet.)" not in again
    assert "Same top 5 on both backends: 0 of 2 queries" in again
