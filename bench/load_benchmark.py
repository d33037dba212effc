"""Load test: 50 connections for 2 minutes over ten public addresses, through nginx and gunicorn.

Usage (``make bench-load`` runs exactly this, after installing wrk and nginx when missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_load \\
        .venv/bin/python bench/load_benchmark.py --report docs/benchmarks/load.md

A local stand-in for the compose stack on this machine: the database at ``DATABASE_URL``
(migrated, with the site tree and the starter content), a ``redis-server`` of its own on a free
port, gunicorn with the production settings and ``deploy/gunicorn.conf.py``, and nginx with
``deploy/nginx.conf`` (its upstream pointed at that gunicorn, its paths at a temporary
directory). Without nginx it measures gunicorn directly and says so in the report. No Celery
worker runs: the pages are warmed by a first, unmeasured run, as a worker would after a change.

Measured with wrk: the mix of ten public pages (each connection takes them in turn), then one
static file, each with 50 connections, while 100 further connections to nginx send half a
request header and stall (slow clients), renewed as nginx drops them. The report gives
requests per second, p50/p95/p99 latency and every error wrk counts (connect, read, write,
timeout, and answers other than 2xx/3xx). Regenerating replaces only the part between the
``results`` markers; the analysis around it is kept.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START = "<!-- results:start -->"
END = "<!-- results:end -->"

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter], {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d,'
    .. ' "write": %%d, "status": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d,'
    .. ' "max": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

# Which records the ten addresses show (from the starter content, looked up after loading).
URLS_CODE = """
import json
from countries.models import CountryPage
from knowledgebase.models import Study, Theme
from models_infra.models import InfrastructureModelPage
country = CountryPage.objects.live().public().filter(locale__language_code="nl").order_by("path").first()
models = InfrastructureModelPage.objects.live().public()
model = models.filter(locale__language_code="nl").order_by("path").first()
theme = Theme.objects.order_by("pk").first()
study = Study.objects.filter(live=True).order_by("pk").first()
print(json.dumps({"country": country.url, "model": model.url, "theme": theme.get_absolute_url(),
                  "study": study.get_absolute_url()}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(url, timeout=60):
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a local address)
                return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer: the server is up
                return
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def manage_output(code, env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return result.stdout.decode().strip().splitlines()[-1]


def nginx_config(workdir, *, listen_port, upstream_port, media_root):
    """deploy/nginx.conf, pointed at the local gunicorn and at ``workdir``, inside a main
    configuration of its own (the official image brings its own)."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = [
        # Debian's nginx (1.22) has no ``resolve`` for upstream servers; nothing to resolve here.
        (r"server web:8000 resolve;", f"server {HOST}:{upstream_port};"),
        (r"(?m)^resolver .*$", ""),
        (r"listen 80 default_server;", f"listen {HOST}:{listen_port} default_server;"),
        (r"/var/cache/nginx/static", str(workdir / "cache")),
        (r"alias /app/media/;", f"alias {media_root}/;"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        if not count:
            raise SystemExit(f"deploy/nginx.conf no longer contains {pattern!r}")
    (workdir / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/site.conf;
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(main)
    return path


class StalledClients:
    """``count`` connections that send half a request header and then nothing, renewed when
    the server drops them: slow clients next to the measured load."""

    def __init__(self, port, count):
        self.port, self.count = port, count
        self.stop = threading.Event()
        self.opened = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self):
        conn = socket.create_connection((HOST, self.port), timeout=5)
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Stalled: ")
        conn.setblocking(False)
        self.opened += 1
        return conn

    def _run(self):
        conns = [self._open() for _ in range(self.count)]
        while not self.stop.wait(1):
            for index, conn in enumerate(conns):
                try:
                    if conn.recv(1) == b"":  # closed by the server
                        raise ConnectionError
                except BlockingIOError:
                    continue
                except OSError:
                    conn.close()
                    conns[index] = self._open()
        for conn in conns:
            conn.close()


def run_wrk(url, paths, *, connections, seconds, workdir, name):
    script = workdir / f"{name}.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        # A request counts as failed when it outlasts the stack's own limits (gunicorn 30 s,
        # nginx 35 s), not at wrk's default of 2 s: under 50 connections a page waits in line.
        "--timeout",
        "30s",
        "--script",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    return result


def ms(microseconds):
    return f"{microseconds / 1000:.0f}"


def results_section(*, pages, static, paths, static_path, options, through_nginx, stalled, commit):
    def row(name, result):
        errors = ", ".join(
            f"{key} {result[key]}" for key in ("connect", "read", "write", "status", "timeout") if result[key]
        )
        return (
            f"| {name} | {result['requests']:,} | {result['rps']:.0f} | {ms(result['p50'])} | "
            f"{ms(result['p95'])} | {ms(result['p99'])} | {ms(result['max'])} | {result['errors']}"
            f"{f' ({errors})' if errors else ''} |"
        )

    route = (
        "nginx (deploy/nginx.conf) → gunicorn" if through_nginx else "gunicorn directly (nginx not installed)"
    )
    slow = (
        f"; {options['stalled']} stalled slow-client connections to nginx throughout ({stalled} opened "
        "in all, as nginx drops them after its header timeout)"
        if stalled
        else ""
    )
    lines = [
        START,
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at `{commit}` on {os.cpu_count()} cores. "
        f"Route: {route}; gunicorn {options['workers']} processes x {options['threads']} threads (gthread), "
        "production "
        f"settings, PostgreSQL and Redis on the same machine; {options['connections']} connections{slow}.",
        "",
        "| run | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row(f"ten public pages, {options['seconds']} s", pages),
        row(f"one static file, {options['static_seconds']} s", static),
        "",
        "The ten addresses, taken in turn by each connection:",
        "",
        *[f"- `{path}`" for path in paths],
        "",
        f"The static file: `{static_path}`.",
        END,
    ]
    return "\n".join(lines)


def write_report(path, section):
    """Replace the results between the markers; keep everything else (the analysis)."""
    text = path.read_text() if path.exists() else f"# Load test\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = f"{text.rstrip()}\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    path.write_text(before + section + after)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--static-seconds", type=int, default=30)
    parser.add_argument("--warm-up-seconds", type=int, default=15)
    parser.add_argument("--stalled", type=int, default=100)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks" / "load.md")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (make bench-load does).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (make bench-load installs it with apt-get).")
    through_nginx = shutil.which("nginx") is not None

    workdir = Path(tempfile.mkdtemp(prefix="kp-load-"))
    processes = []
    stalled = None
    try:
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
        workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
        threads = int(os.environ.get("WEB_THREADS", "4"))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": str(workers),
            "WEB_THREADS": str(threads),
        }
        print("Preparing the database (migrations, site tree, starter content) and static files ...")
        manage("migrate", "--noinput", "-v0", env=env)
        manage("setup_site", "--starter-content", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        found = json.loads(manage_output(URLS_CODE, env))
        paths = [
            "/",
            "/landen/",
            found["country"],
            "/kennisinfrastructuur/",
            found["model"],
            "/themas/",
            found["theme"],
            "/onderzoek/",
            "/zoeken/?q=loopbaanbegeleiding",
            "/api/v1/onderzoek/",
        ]
        manifest = json.loads((workdir / "static" / "staticfiles.json").read_text())["paths"]
        static_path = "/static/" + manifest["css/portal.css"]

        gunicorn_port = free_port()
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"{HOST}:{gunicorn_port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(workdir / "gunicorn.log", "wb"),  # noqa: SIM115 (the process keeps it)
            stderr=subprocess.STDOUT,
        )
        processes.append(web)
        wait_for(f"http://{HOST}:{gunicorn_port}/healthz")
        port = gunicorn_port
        if through_nginx:
            port = free_port()
            config = nginx_config(
                workdir, listen_port=port, upstream_port=gunicorn_port, media_root=workdir / "media"
            )
            subprocess.run(["nginx", "-t", "-q", "-c", str(config)], check=True)
            processes.append(subprocess.Popen(["nginx", "-c", str(config), "-g", "daemon off;"]))
            wait_for(f"http://{HOST}:{port}/healthz")
        base = f"http://{HOST}:{port}"

        print(f"Warming up for {args.warm_up_seconds} s ...")
        common = {"connections": args.connections, "workdir": workdir}
        run_wrk(base, paths, seconds=args.warm_up_seconds, name="warm-up", **common)
        if through_nginx and args.stalled:
            stalled = StalledClients(port, args.stalled)
            stalled.thread.start()
        print(f"Measuring the ten pages for {args.seconds} s ...")
        pages = run_wrk(base, paths, seconds=args.seconds, name="pages", **common)
        print(f"Measuring the static file for {args.static_seconds} s ...")
        static = run_wrk(base, [static_path], seconds=args.static_seconds, name="static", **common)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        section = results_section(
            pages=pages,
            static=static,
            paths=paths,
            static_path=static_path,
            options={**vars(args), "workers": workers, "threads": threads},
            through_nginx=through_nginx,
            stalled=stalled.opened if stalled else 0,
            commit=commit,
        )
        write_report(args.report, section)
        print(section)
        if pages["errors"] or static["errors"]:
            print("Errors during the load test: see the report.", file=sys.stderr)
            return 1
        return 0
    finally:
        if stalled:
            stalled.stop.set()
            stalled.thread.join(5)
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
