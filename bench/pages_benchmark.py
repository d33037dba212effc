"""Public pages at 100,000 synthetic studies under gunicorn: throughput against a static file,
the first visit after a content change, and the cache warm-up after a change.

Usage (``make bench-pages`` runs exactly this):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench \\
        .venv/bin/python bench/pages_benchmark.py --studies 100000 --report docs/benchmarks/pages-100k.md

The database named in ``BENCH_DATABASE_URL`` (else ``DATABASE_URL``, else the default above)
is created when missing, migrated, given the site tree and the starter content, and topped up
to ``--studies`` synthetic studies with ``manage.py generate_synthetic_data`` (the same data as
``make bench-search``), then ``VACUUM ANALYZE``d as autovacuum would after a bulk load.

The stack is the production web container's: ``portal.settings.production``, gunicorn with
``deploy/gunicorn.conf.py`` (2 processes x 4 threads unless ``WEB_CONCURRENCY`` /
``WEB_THREADS`` say otherwise), whitenoise serving the hashed static files from the same
processes, persistent database connections (``CONN_MAX_AGE``, as the settings set them), a
``redis-server`` of its own on a free port for the cache and the broker, and ``RELEASE`` set.
No Celery worker runs: a warm-up queued by a change stays queued, so a first visit after a
change meets the cache as a visitor does in the ``WARM_DELAY`` seconds before the worker's
warm-up, or whenever the worker is late.

Measured, for every public page type:

1. **Repeat visit**: after one unmeasured request, ``wrk`` (``--connections`` connections,
   ``--seconds`` s) on the page's URL; the static file (``css/portal.css``, hashed) is measured
   the same way (``--static-seconds`` s) before the first page and after each page, and each
   page's requests per second is given as a share of the mean of the two static runs next to
   it, so that a change in the shared machine's load during the run moves both (target: at
   least 0.05).
2. **First visit after a change**: ``--first-runs`` times per page, a separate process (a
   ``manage.py shell`` kept open, production settings) publishes a new revision of a study as
   an editor would (``save_revision().publish()``: the same signals, so a new content version
   and a queued warm-up), then one request to the page is timed (target: p95 at most 250 ms).
   Before these, every page is requested a few times in parallel so that each gunicorn
   process (replaced after ``max_requests``, static requests included) has served it once.
3. **Warm-up**: ``--warm-up-runs`` times, a change as above, then
   ``knowledgebase.warmup.warm_content_cache()`` (what the Celery task runs) timed in that
   process (target: at most 2 s).

The report is rewritten only between its ``results`` markers; the analysis around them is
kept.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kp_bench"
START = "<!-- results:start -->"
END = "<!-- results:end -->"

RATIO_TARGET = 0.05
FIRST_VISIT_P95_TARGET_MS = 250
WARM_UP_TARGET_S = 2.0

# (page type, URL template); the {names} are looked up in the database (LOOKUP_CODE).
PAGES = [
    ("home", "/"),
    ("country profile", "{country}"),
    ("model page", "{model}"),
    ("theme list", "/themas/"),
    ("theme page", "{theme}"),
    ("gap map", "/themas/kaart/"),
    ("study list", "/onderzoek/"),
    ("finding list", "/bevindingen/"),
    ("a study", "{study}"),
    ("a finding", "{finding}"),
    ("agenda", "/kennisagenda/"),
    ("comparison", "/vergelijken/?landen={countries}"),
    ("search", "/zoeken/?q=loopbaanbegeleiding"),
    ("API list", "/api/v1/onderzoek/"),
    ("feed", "/onderzoek/feed.atom"),
]

# Prints one JSON line with the URLs of the records the pages show.
LOOKUP_CODE = """
import json
from countries.models import CountryPage
from knowledgebase.models import Finding, Study, Theme
from models_infra.models import InfrastructureModelPage
from knowledgebase import selectors, warmup
countries = CountryPage.objects.live().public().filter(locale__language_code="nl").order_by("path")
model = (InfrastructureModelPage.objects.live().public().filter(locale__language_code="nl")
         .order_by("path").first())
theme = selectors.public_themes().order_by("pk").first() or Theme.objects.order_by("pk").first()
study = Study.objects.filter(live=True, slug__startswith="synthetisch-").order_by("pk").first()
study = study or Study.objects.filter(live=True).order_by("pk").first()
finding = Finding.objects.filter(live=True, study=study).order_by("pk").first()
finding = finding or Finding.objects.filter(live=True).order_by("pk").first()
print(json.dumps({
    "country": countries[0].url, "model": model.url, "theme": theme.get_absolute_url(),
    "study": study.get_absolute_url(), "finding": finding.get_absolute_url(),
    "countries": ",".join(c.slug for c in countries[:3]), "study_pk": study.pk,
    "studies": Study.objects.count(), "live_studies": Study.objects.filter(live=True).count(),
    "findings": Finding.objects.count(), "warm_delay": warmup.WARM_DELAY,
}))
"""

# A separate process an editor's publish runs in: reads commands on stdin, answers with one
# JSON line each. "change": publish a new revision of the study (the signals start a new
# content version and queue a warm-up); "warm": a change, then the warm-up, timed.
EDITOR_CODE = """
import json, sys, time
from knowledgebase import content_cache, warmup
from knowledgebase.models import Study
STUDY_PK = %(study_pk)d

def change():
    before = content_cache.content_version()
    start = time.perf_counter()
    study = Study.objects.get(pk=STUDY_PK)
    study.save_revision().publish()
    elapsed = time.perf_counter() - start
    after = content_cache.content_version()
    return {"publish_s": elapsed, "version_changed": before != after}

print("READY", flush=True)
for line in sys.stdin:
    command = line.strip()
    if command == "change":
        answer = change()
    elif command == "warm":
        answer = change()
        start = time.perf_counter()
        warmup.warm_content_cache()
        answer["warm_s"] = time.perf_counter() - start
    else:
        break
    print(json.dumps(answer), flush=True)
"""

WRK_SCRIPT = """
wrk.headers["X-Forwarded-Proto"] = "https"
done = function(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "status": %d, "p50": %d, "p95": %d}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95)))
end
"""


# --- Pure helpers (tests/bench/test_pages_benchmark.py) -------------------------------------


def percentile(values, share):
    """The value at ``share`` (0..1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def merge_report(existing, section, title="# Public pages benchmark"):
    """``existing`` with the part between the markers replaced by ``section`` (which carries
    no markers); everything outside them (the hand-written analysis) is kept. Without markers
    the results are appended at the end."""
    block = f"{START}\n{section.strip()}\n{END}"
    if not existing:
        return f"{title}\n\n{block}\n"
    if START not in existing or END not in existing:
        return f"{existing.rstrip()}\n\n{block}\n"
    before, rest = existing.split(START, 1)
    after = rest.split(END, 1)[1]
    return before + block + after


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def yes(value):
    return "pass" if value else "**FAIL**"


# --- The stack --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def ensure_database(url):
    """Create the database named in ``url`` when it does not exist."""
    import psycopg

    name = database_name(url)
    parts = urllib.parse.urlsplit(url)
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name} ...", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def manage(*args, env, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else None


def shell_json(code, env):
    output = manage("shell", "-c", code, env=env, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def wait_for(url, timeout=90):
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a local address)
                return
        except OSError as error:
            if getattr(error, "code", None):
                return
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def get(port, path):
    """One GET on a new connection, as a browser's first request: (status, seconds, bytes)."""
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, elapsed, len(body)


def run_wrk(port, path, *, seconds, connections, script):
    command = [
        "wrk",
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "30s",
        "--script",
        str(script),
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


class Editor:
    """The separate process that publishes changes (EDITOR_CODE)."""

    def __init__(self, env, study_pk):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", EDITOR_CODE % {"study_pk": study_pk}],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        while (line := self.process.stdout.readline()) and line.strip() != "READY":
            pass
        if not line:
            raise SystemExit("The editor process did not start")

    def send(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if not answer["version_changed"]:
            raise SystemExit("Publishing a revision did not start a new content version")
        return answer

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(30)


# --- The report -------------------------------------------------------------------------------


def results_section(*, rows, static, warm, meta):
    static_values = [run["rps"] for run in static]
    lines = [
        f"Run {meta['when']} at `{meta['commit']}` on {meta['machine']}. "
        f"{meta['studies']:,} studies in the database ({meta['live_studies']:,} live), "
        f"{meta['findings']:,} findings; {meta['generation']}. PostgreSQL {meta['pg_version']}, "
        f"Python {platform.python_version()}.",
        "",
        f"Stack: gunicorn `deploy/gunicorn.conf.py`, {meta['workers']} processes x {meta['threads']} threads "
        "(gthread), `portal.settings.production`, `RELEASE` set, whitenoise for static files, "
        "`CONN_MAX_AGE` 600 with health checks, Redis of its own (cache db 1, broker db 0), no Celery "
        f"worker. wrk: {meta['connections']} connections, {meta['seconds']} s per page and "
        f"{meta['static_seconds']} s for the static file before the first page and after each, one "
        f"unmeasured request first. First visit: {meta['first_runs']} changes per page type, each a "
        "new revision of the study below published from a separate process, then one timed request on a new "
        "connection.",
        "",
        f"Static file `{meta['static_path']}`: {min(static_values):.0f} to {max(static_values):.0f} req/s "
        f"over its {len(static_values)} runs (median {percentile(static_values, 0.5):.0f}); each page's "
        "share uses the mean of the two runs next to it.",
        "",
        "| page type | URL | KB | repeat req/s | repeat p50 ms | static req/s next to it "
        f"| share of static | >= {RATIO_TARGET} | first visit p50 ms | first visit p95 ms "
        f"| <= {FIRST_VISIT_P95_TARGET_MS} ms |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for row in rows:
        ratio = row["wrk"]["rps"] / row["static_rps"]
        errors = row["wrk"]["errors"] + row["wrk"]["status"]
        note = f" ({errors} errors)" if errors else ""
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['bytes'] / 1024:.0f} | {row['wrk']['rps']:.1f}{note} "
            f"| {row['wrk']['p50'] / 1000:.0f} | {row['static_rps']:.0f} "
            f"| {ratio:.4f} | {yes(ratio >= RATIO_TARGET)} | {row['first_p50'] * 1000:.0f} "
            f"| {row['first_p95'] * 1000:.0f} | {yes(row['first_p95'] * 1000 <= FIRST_VISIT_P95_TARGET_MS)} |"
        )
    passed_ratio = sum(1 for row in rows if row["wrk"]["rps"] / row["static_rps"] >= RATIO_TARGET)
    passed_first = sum(1 for row in rows if row["first_p95"] * 1000 <= FIRST_VISIT_P95_TARGET_MS)
    warm_p50, warm_max = percentile(warm, 0.5), max(warm)
    lines += [
        "",
        f"Repeat visit at or above {RATIO_TARGET} of the static file: {passed_ratio} of {len(rows)} "
        "page types. "
        f"First visit after a change at most {FIRST_VISIT_P95_TARGET_MS} ms at p95: {passed_first} of "
        f"{len(rows)}.",
        "",
        f"**Warm-up after a change** (`knowledgebase.warmup.warm_content_cache()`, what the Celery task "
        f"runs, queued {meta['warm_delay']} s after a change): p50 {warm_p50:.2f} s, max {warm_max:.2f} s "
        f"over {len(warm)} runs ({', '.join(f'{value:.2f}' for value in warm)} s): "
        f"{yes(warm_max <= WARM_UP_TARGET_S)} against {WARM_UP_TARGET_S:.0f} s. A publish from the "
        f"editor process took {meta['publish_p50'] * 1000:.0f} ms at p50 (not part of any target).",
        "",
        f"The records: study `{meta['study_path']}`, finding `{meta['finding_path']}`, "
        f"countries `{meta['countries']}`.",
    ]
    return "\n".join(lines)


def write_report(path, section):
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text() if path.exists() else ""
    path.write_text(merge_report(existing, section))


# --- The run ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--static-seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--first-runs", type=int, default=20)
    parser.add_argument("--warm-up-runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated page types (for a quick look; the report needs all)")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks" / "pages-100k.md")
    args = parser.parse_args()
    database_url = (
        os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    if not database_url.startswith("postgres"):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (apt-get install wrk; make bench-pages installs it).")

    # Stopped with SIGTERM (or SIGINT from a background job, which ignores it): clean up the
    # servers in ``finally``.
    def stop(signum, frame):
        raise SystemExit(f"Stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    workdir = Path(tempfile.mkdtemp(prefix="kp-pages-"))
    processes = []
    editor = None
    try:
        ensure_database(database_url)
        redis_port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    "redis-server",
                    "--bind",
                    HOST,
                    "--port",
                    str(redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        workers = os.environ.get("WEB_CONCURRENCY", "2")
        threads = os.environ.get("WEB_THREADS", "4")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "RELEASE": f"bench-{commit or 'unknown'}",
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": workers,
            "WEB_THREADS": threads,
        }
        print("Migrating, site tree and starter content ...", flush=True)
        manage("migrate", "--noinput", "-v0", env=env)
        manage("setup_site", "--starter-content", env=env)
        count_code = "from knowledgebase.models import Study; print(Study.objects.count())"
        existing = int(manage("shell", "-c", count_code, env=env, capture=True).strip().splitlines()[-1])
        if existing < args.studies:
            missing = args.studies - existing
            print(f"Generating {missing:,} synthetic studies ...", flush=True)
            start = time.monotonic()
            manage("generate_synthetic_data", "--studies", str(missing), env=env)
            took = time.monotonic() - start
            generation = f"{missing:,} generated by this run in {took / 60:.1f} min"
            print(f"Generated in {took / 60:.1f} min", flush=True)
        else:
            generation = f"at least {args.studies:,} were already there (no generation)"
        print("VACUUM ANALYZE ...", flush=True)
        vacuum_analyze(database_url)
        print("collectstatic ...", flush=True)
        manage("collectstatic", "--noinput", "-v0", env=env)
        found = shell_json(LOOKUP_CODE, env)
        manifest = json.loads((workdir / "static" / "staticfiles.json").read_text())["paths"]
        static_path = "/static/" + manifest["css/portal.css"]

        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"{HOST}:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=open(workdir / "gunicorn.log", "wb"),  # noqa: SIM115 (the process keeps it)
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(f"http://{HOST}:{port}/healthz")
        pages = [(label, template.format(**found)) for label, template in PAGES]
        if args.only:
            wanted = {name.strip() for name in args.only.split(",")}
            pages = [(label, path) for label, path in pages if label in wanted]
        sizes = {}
        for label, path in [("static", static_path), *pages]:
            status, _elapsed, sizes[path] = get(port, path)
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")

        script = workdir / "wrk.lua"
        script.write_text(WRK_SCRIPT)
        wrk = {"seconds": args.seconds, "connections": args.connections, "script": script}
        static_wrk = {**wrk, "seconds": args.static_seconds}
        print(f"Static file {static_path} ...", flush=True)
        static = [run_wrk(port, static_path, **static_wrk)]
        print(f"  {static[0]['rps']:.0f} req/s", flush=True)
        rows = []
        for label, path in pages:
            get(port, path)  # the visit that makes the next ones repeats
            result = run_wrk(port, path, **wrk)
            static.append(run_wrk(port, static_path, **static_wrk))
            static_rps = (static[-2]["rps"] + static[-1]["rps"]) / 2
            row = {
                "label": label,
                "path": path,
                "wrk": result,
                "bytes": sizes[path],
                "static_rps": static_rps,
            }
            rows.append(row)
            print(
                f"{label:16} {path:45} {result['rps']:8.1f} req/s, static next to it "
                f"{static_rps:6.0f} req/s: {result['rps'] / static_rps:.4f}",
                flush=True,
            )

        # gunicorn replaces a process after max_requests (static requests count too), so the
        # wrk runs leave fresh processes behind: a few requests per page in parallel reach every
        # process before the first visits, which should time the content change, not a
        # process's first request (imports, template compilation).
        with ThreadPoolExecutor(max_workers=4 * int(workers)) as pool:
            list(pool.map(lambda path: get(port, path), [path for _label, path in pages] * 4 * int(workers)))

        editor = Editor(env, found["study_pk"])
        publishes = []
        for row in rows:
            samples = []
            for _ in range(args.first_runs):
                publishes.append(editor.send("change")["publish_s"])
                status, elapsed, _size = get(port, row["path"])
                if status != 200:
                    raise SystemExit(f"{row['label']}: {row['path']} answered {status} after a change")
                samples.append(elapsed)
            row["first_samples"] = samples
            row["first_p50"], row["first_p95"] = percentile(samples, 0.5), percentile(samples, 0.95)
            print(
                f"{row['label']:16} first visit p50 {row['first_p50'] * 1000:6.0f} ms  "
                f"p95 {row['first_p95'] * 1000:6.0f} ms",
                flush=True,
            )
        warm = []
        for _ in range(args.warm_up_runs):
            warm.append(editor.send("warm")["warm_s"])
            print(f"warm-up {warm[-1]:.2f} s", flush=True)
        editor.close()
        editor = None

        with __import__("psycopg").connect(database_url) as conn:
            pg_version = conn.execute("SHOW server_version").fetchone()[0]
        meta = {
            "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "commit": commit,
            "machine": f"{os.cpu_count()} cores ({platform.machine()}, shared with other work)",
            "studies": found["studies"],
            "live_studies": found["live_studies"],
            "findings": found["findings"],
            "generation": generation,
            "pg_version": pg_version,
            "workers": workers,
            "threads": threads,
            "connections": args.connections,
            "seconds": args.seconds,
            "static_seconds": args.static_seconds,
            "first_runs": args.first_runs,
            "static_path": static_path,
            "warm_delay": found["warm_delay"],
            "publish_p50": percentile(publishes, 0.5),
            "study_path": found["study"],
            "finding_path": found["finding"],
            "countries": found["countries"],
        }
        section = results_section(rows=rows, static=static, warm=warm, meta=meta)
        print()
        print(section)
        if args.only:
            print("\n--only given: the report is not written.")
        else:
            write_report(args.report, section)
            print(f"\nReport written to {args.report}")
        return 0
    finally:
        if editor:
            editor.process.kill()
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
