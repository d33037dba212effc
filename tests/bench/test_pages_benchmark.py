"""The pure helpers of bench/pages_benchmark.py (the benchmark itself never runs in the tests)."""

import importlib.util
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "bench" / "pages_benchmark.py"
spec = importlib.util.spec_from_file_location("pages_benchmark", PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_merge_report_keeps_the_hand_written_part():
    existing = (
        "# Title\n\nIntro by hand.\n\n"
        f"{bench.START}\nold numbers\n{bench.END}\n\n## Analysis\n\nWhy it is slow.\n"
    )
    merged = bench.merge_report(existing, "new numbers\n")
    assert merged == (
        "# Title\n\nIntro by hand.\n\n"
        f"{bench.START}\nnew numbers\n{bench.END}\n\n## Analysis\n\nWhy it is slow.\n"
    )
    assert bench.merge_report(merged, "new numbers") == merged


def test_merge_report_without_markers():
    assert (
        bench.merge_report("", "numbers")
        == f"# Public pages benchmark\n\n{bench.START}\nnumbers\n{bench.END}\n"
    )
    merged = bench.merge_report("# Notes\n\nBy hand.\n", "numbers")
    assert merged == f"# Notes\n\nBy hand.\n\n{bench.START}\nnumbers\n{bench.END}\n"


def test_percentile_and_database_name():
    samples = [0.1 * n for n in range(1, 21)]
    assert bench.percentile(samples, 0.5) == samples[10]
    assert bench.percentile(samples, 0.95) == samples[18]
    assert bench.percentile([3.0], 0.95) == 3.0
    assert bench.database_name("postgres://postgres@127.0.0.1:5432/kp_bench_x") == "kp_bench_x"
