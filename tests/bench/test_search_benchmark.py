"""The pure helpers of bench/search_benchmark.py (the benchmark itself never runs in the tests)."""

import importlib.util
import sys
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "bench" / "search_benchmark.py"
spec = importlib.util.spec_from_file_location("search_benchmark", PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
pages = sys.modules["pages_benchmark"]


def _row(words, filter_key, first_p95, stock_p95, filtered=True, stock_runs=20):
    return {
        "label": "zeldzaam",
        "words": words,
        "share": 0.001,
        "matches": 12,
        "filter_key": filter_key,
        "filters": filter_key,
        "first": [first_p95 / 2, first_p95],
        "outcome": [5.0, 6.0],
        "repeat": [1.0, 1.5],
        "probe": [3.0, 4.0],
        "stock": [stock_p95 / 2, stock_p95, stock_runs],
        "stock_filtered": filtered,
        "statements": 40,
        "sql_ms": 30.0,
        "slowest": None,
    }


def _result(vendor, studies, rows):
    return {
        "commit": "abc1234",
        "date": "2026-12-04",
        "vendor": vendor,
        "version": vendor,
        "studies": studies,
        "studies_live": studies,
        "findings_live": studies,
        "runs": 20,
        "generated": None,
        "wagtail_index": {"before": 0, "after": studies, "seconds": 12.0},
        "indexing": {
            "seconds": 300.0,
            "documents": 2 * studies,
            "studies": studies,
            "findings": studies,
            "terms": 1,
        },
        "rows": rows,
    }


def test_render_judges_each_row_against_both_targets():
    rows = [
        _row("mentoraat", "none", 100.0, 600.0),  # 150 ms: yes, 0.2x: yes
        _row("mentoraat", "theme", 140.0, 600.0, filtered=False),  # 150 ms: yes, 0.2x: no
        _row("onderzoek", "none", 200.0, 2000.0, stock_runs=3),  # 150 ms: no, 0.2x: yes
    ]
    text = bench.render([_result("postgresql", 100_000, rows)], {"date": "2026-12-04", "commit": "abc1234"})
    assert "on 2 of 3 rows; at most 0.2x the stock backend's p95 on 2 of 3 rows; both on 1 of 3 rows" in text
    assert "ja | ja |" in text and "ja | **nee** |" in text and "**nee** | ja |" in text
    assert "¹" in text  # the row the stock backend could not filter
    assert "(3 runs)" in text
    assert "in 300 s: 667 documents/s; target at most 10 minutes for 100,000 studies" in text


def test_render_compares_sqlite_with_postgresql():
    postgres = _result("postgresql", 100_000, [_row("mentoraat", "none", 200.0, 600.0)])
    sqlite = _result("sqlite", 10_000, [_row("mentoraat", "none", 50.0, 20.0)])
    text = bench.render([postgres, sqlite], {"date": "2026-12-04", "commit": "abc1234"})
    assert "## SQLite at 10,000 studies" in text
    assert "## How it scales" in text
    assert "is 0.25x to 0.25x (median 0.25x) that on PostgreSQL at 100,000" in text
    assert "about 50.0 minutes for 100,000 studies at this rate" in text


def test_a_regenerated_report_keeps_its_analysis():
    existing = f"# Search\n\n{pages.START}\nold\n{pages.END}\n\n## Analysis\n\nBy hand.\n"
    merged = pages.merge_report(existing, "new", title=bench.TITLE)
    assert merged.endswith("## Analysis\n\nBy hand.\n") and "\nnew\n" in merged and "old" not in merged
