"""Services the fault tests start, break and repair themselves.

Nothing here touches the machine's shared PostgreSQL or Redis: each test session runs its
own ``redis-server`` and its own PostgreSQL cluster (``initdb`` + ``pg_ctl`` in a temporary
directory) on free ports, and the portal as it runs in production: gunicorn with the
production settings and a Celery worker, each a subprocess.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    """Poll ``predicate`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout} s")


def missing_tools():
    """The programs the fault tests need that this machine lacks."""
    needed = [shutil.which("redis-server") or "redis-server", PG_BIN / "initdb", PG_BIN / "pg_ctl"]
    return [str(path) for path in needed if not Path(path).exists()]


class RedisServer:
    """A ``redis-server`` on a port of its own, that the test can stop, hang and restart."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    def start(self):
        # As in production: nothing persisted, the queue included.
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, what="redis-server answering")

    def answers(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        """Stop Redis as a crash or ``docker stop`` would: the port refuses connections."""
        self.process.kill()
        self.process.wait(10)

    def hang(self):
        """Freeze Redis (``kill -STOP``): connections are accepted but never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)


def _as_postgres(command):
    """PostgreSQL refuses to run as root; as root, run its programs as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return [str(c) for c in command]


class PostgresCluster:
    """A PostgreSQL cluster of its own, created in ``workdir``, that the test can stop and
    start again."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.datadir = self.workdir / "pgdata"
        self.logfile = self.workdir / "postgres.log"

    def url(self, database="kennisportaal"):
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def create(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # The postgres user must reach its directory through the session's (private) one.
            os.chmod(self.workdir.parent, 0o711)  # noqa: S103 (traverse only, no listing)
            shutil.chown(self.workdir, "postgres", "postgres")
            os.chmod(self.workdir, 0o700)
        subprocess.run(
            _as_postgres(
                [
                    PG_BIN / "initdb",
                    "-D",
                    self.datadir,
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()
        subprocess.run(
            [PG_BIN / "createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "kennisportaal"],
            check=True,
            capture_output=True,
        )

    def _ctl(self, *args):
        return subprocess.run(
            _as_postgres([PG_BIN / "pg_ctl", "-D", self.datadir, "-l", self.logfile, "-w", *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self):
        # Speed over durability: the cluster lives for one test session.
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses={HOST} -c fsync=off"
        self._ctl("-o", options, "start")

    def stop(self):
        """Stop the server at once (``-m fast``): clients are disconnected."""
        self._ctl("-m", "fast", "stop")

    def close(self):
        if (self.datadir / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "stop")


# The release web and worker share, as a deployment sets it for both; the cache's keys begin
# with it (``kit/release.py``).
RELEASE = "faults"
CACHE_KEY_PREFIX = f"kp:{RELEASE}:1:"


def production_env(*, database_url, redis_url, static_root, **extra):
    """The environment of a production container, pointed at the test's own services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="faults-" + "k" * 60,
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        WAGTAILADMIN_BASE_URL=f"http://{HOST}",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(Path(static_root).parent / "media"),
        LOG_LEVEL="WARNING",
        RELEASE=RELEASE,
        **extra,
    )
    return env


def manage(*args, env, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class Gunicorn:
    """The web container's process: gunicorn with the repository's configuration."""

    def __init__(self, env, logfile):
        self.port = free_port()
        self.env = env
        self.logfile = logfile
        self.process = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"{HOST}:{self.port}",
                "portal.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logfile, "ab"),  # noqa: SIM115 (the process keeps it)
            stderr=subprocess.STDOUT,
        )
        wait_until(self._up, 60, interval=0.5, what="gunicorn answering")

    def _up(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {self.logfile}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=5).status_code in {200, 503}
        except requests.RequestException:
            return False

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class CeleryWorker:
    """The worker container's process: ``celery -A portal worker`` as docker-compose.yml runs
    it (prefork, two processes), plus a module of test tasks."""

    def __init__(self, env, logfile):
        self.env = env
        self.logfile = logfile
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--include=tests.faults.worker_tasks",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logfile, "ab"),  # noqa: SIM115 (the process keeps it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """Kill the worker and its pool processes at once, as an out-of-memory kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def close(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
