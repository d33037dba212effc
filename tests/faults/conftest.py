"""The fault stage (``make test-faults``): one production-like stack per session, broken and
repaired by the tests.

The stack: a PostgreSQL cluster and a ``redis-server`` of its own (never the machine's shared
ones), the database migrated and filled with the starter content, gunicorn with the production
settings and ``deploy/gunicorn.conf.py``, and a Celery worker. Every test leaves it whole:
Redis running, PostgreSQL started, a worker alive.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from .services import (
    CACHE_KEY_PREFIX,
    ROOT,
    CeleryWorker,
    Gunicorn,
    PostgresCluster,
    RedisServer,
    manage,
    missing_tools,
    production_env,
    wait_until,
)

ADMIN_USER = "beheerder"
ADMIN_PASSWORD = "fouten-test-wachtwoord-42"
# Short heartbeats so that a dead worker shows on /healthz within seconds.
HEARTBEAT_INTERVAL = 1


def pytest_collection_modifyitems(config, items):
    """Everything here is marked ``faults``; it runs only when asked for (``make test-faults``
    sets REQUIRE_FAULTS), so that a plain ``pytest -m "not browser"`` does not spend minutes
    starting and breaking services."""
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="fault tests: run make test-faults (or set REQUIRE_FAULTS=1)")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)
            if not os.environ.get("REQUIRE_FAULTS"):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def workdir():
    path = Path(tempfile.mkdtemp(prefix="kp-faults-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def services(workdir):
    """Redis and PostgreSQL of this session."""
    missing = missing_tools()
    if missing:
        if os.environ.get("REQUIRE_FAULTS"):
            pytest.fail(f"REQUIRE_FAULTS is set but {', '.join(missing)} is missing")
        pytest.skip(f"the fault tests need {', '.join(missing)}")
    broker = RedisServer(workdir)
    database = PostgresCluster(workdir / "postgres")
    try:
        broker.start()
        database.create()
        yield SimpleNamespace(redis=broker, postgres=database)
    finally:
        broker.close()
        database.close()


@pytest.fixture(scope="session")
def env(services, workdir):
    return production_env(
        database_url=services.postgres.url(),
        redis_url=services.redis.url,
        static_root=workdir / "static",
        SECURE_SSL_REDIRECT="false",
        WORKER_HEARTBEAT_INTERVAL=str(HEARTBEAT_INTERVAL),
        WEB_CONCURRENCY="2",
    )


@pytest.fixture(scope="session")
def stack(services, env, workdir):
    """The portal in production form on the session's services, with content and an admin."""
    # collectstatic needs no database: it runs while the database is migrated.
    static = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    manage("migrate", "--noinput", env=env)
    manage("setup_site", env=env)
    manage("shell", "-c", "from tests.faults import seed; seed.run()", env=env)
    assert static.wait(300) == 0, static.stderr.read()
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m;"
        f"m().objects.create_superuser('{ADMIN_USER}', 'beheer@example.org', '{ADMIN_PASSWORD}')",
        env=env,
    )
    web = Gunicorn(env, workdir / "gunicorn.log")
    worker = CeleryWorker(env, workdir / "worker.log")
    try:
        web.start()
        worker.start()
        yield SimpleNamespace(
            web=web, worker=worker, redis=services.redis, postgres=services.postgres, env=env, workdir=workdir
        )
    finally:
        worker.close()
        web.close()


@pytest.fixture(autouse=True)
def _stack_left_whole(request):
    """After each test: Redis answers, PostgreSQL runs and a worker is alive, whatever the test
    broke."""
    yield
    if "stack" not in request.fixturenames and "services" not in request.fixturenames:
        return
    services = request.getfixturevalue("services")
    if services.redis.process.poll() is None:
        services.redis.resume()
    else:
        services.redis.start()
    if not (services.postgres.datadir / "postmaster.pid").exists():
        services.postgres.start()
    if "stack" in request.fixturenames:
        stack = request.getfixturevalue("stack")
        if not stack.worker.alive():
            stack.worker.start()


def cache_client(services):
    """A client of the cache database (1) of the session's Redis."""
    return redis.Redis(host="127.0.0.1", port=services.redis.port, db=1, socket_timeout=2)


def counter(services, name):
    """A count the ``faults.hold`` task keeps (``tests/faults/worker_tasks.py``)."""
    try:
        value = cache_client(services).get(CACHE_KEY_PREFIX + name)
    except redis.RedisError:
        return 0
    return int(value or 0)


def wait_for_count(services, name, at_least, timeout):
    wait_until(
        lambda: counter(services, name) >= at_least, timeout, interval=0.3, what=f"{name} >= {at_least}"
    )
