"""Redis stopped or hung, the worker killed mid-task, the database stopped: the portal keeps
answering within 3 s with a correct status, /healthz says what is down within 2 s, and
everything recovers without a restart.

Each test runs against the session's production-like stack (conftest.py): gunicorn with the
production settings, a Celery worker, and a Redis and PostgreSQL of the test's own.
"""

import time
import uuid

import pytest
import requests
from celery import Celery

from .client import MAX_SECONDS, editor_answers, public_answers, save_answers, signed_in_editor
from .conftest import ADMIN_PASSWORD, ADMIN_USER, HEARTBEAT_INTERVAL, cache_client, wait_for_count
from .services import CACHE_KEY_PREFIX, wait_until

NORMAL = {"login": 302, "save": 302}


def healthz(stack):
    started = time.monotonic()
    response = requests.get(f"{stack.web.url}/healthz", timeout=10)
    return response.status_code, response.json(), time.monotonic() - started


def wait_recovered(stack, timeout=40):
    """/healthz says everything is fine again: database, cache, broker and a worker."""

    def recovered():
        try:
            return healthz(stack)[1]["status"] == "ok"
        except requests.RequestException:
            return False

    wait_until(recovered, timeout, interval=0.5, what="/healthz status ok")


def assert_answers_normally(stack):
    """Every public page, the search, the API, the login and saving a study answer as usual,
    each within MAX_SECONDS."""
    answers = public_answers(stack.web.url)
    editor = editor_answers(stack.web.url, ADMIN_USER, ADMIN_PASSWORD)
    for answer in answers + editor:
        assert answer.status == NORMAL.get(answer.what, 200), (answer.what, answer.status, answer.body[:500])
        assert answer.seconds < MAX_SECONDS, (answer.what, answer.seconds)


@pytest.fixture
def recovered_stack(stack):
    wait_recovered(stack)
    return stack


def test_everything_answers_while_redis_is_stopped_and_recovers(recovered_stack):
    """Redis stopped: pages, search, API, login and a save answer as usual within 3 s; /healthz
    names cache and broker as down within 2 s. Redis back: all is well again, with the cache
    in use, without restarting anything."""
    stack = recovered_stack
    stack.redis.stop()
    code, body, seconds = healthz(stack)
    assert (code, body["status"], seconds < 2) == (200, "degraded", True), (body, seconds)
    assert body["checks"] == {"database": "ok", "cache": "error", "broker": "error", "worker": "unknown"}
    assert_answers_normally(stack)

    stack.redis.start()
    wait_recovered(stack)
    assert_answers_normally(stack)
    assert cache_client(stack).keys(CACHE_KEY_PREFIX + "content:*"), "the pages use the cache again"


def test_everything_answers_while_redis_hangs_and_recovers(recovered_stack):
    """Redis hung (SIGSTOP: connections accepted, never answered): the same, and /healthz
    does not hang with it."""
    stack = recovered_stack
    stack.redis.hang()
    try:
        code, body, seconds = healthz(stack)
        assert (code, body["status"], seconds < 2) == (200, "degraded", True), (body, seconds)
        assert body["checks"]["cache"] == "error" and body["checks"]["broker"] == "error"
        assert_answers_normally(stack)
    finally:
        stack.redis.resume()
    wait_recovered(stack)
    assert_answers_normally(stack)


def test_everything_answers_while_the_worker_is_killed_mid_task(recovered_stack):
    """The worker is killed while it runs a task: the site answers as usual, /healthz reports
    the worker as down within a few heartbeats, and a new worker (as the container's restart
    policy starts) is reported and runs tasks again."""
    stack = recovered_stack
    sender = Celery("faults-client", broker=stack.redis.url)
    token = uuid.uuid4().hex
    sender.send_task("faults.hold", args=[token, 30])
    wait_for_count(stack, f"faults:started:{token}", 1, 30)
    stack.worker.kill()

    assert_answers_normally(stack)

    def worker_reported_down():
        code, body, seconds = healthz(stack)
        assert seconds < 2
        return code == 200 and body["checks"]["worker"] == "error" and body["status"] == "degraded"

    wait_until(worker_reported_down, HEARTBEAT_INTERVAL * 3 + 10, interval=0.5, what="worker reported down")

    stack.worker.start()
    wait_recovered(stack)
    done = uuid.uuid4().hex
    sender.send_task("faults.hold", args=[done, 0])
    wait_for_count(stack, f"faults:finished:{done}", 1, 30)
    sender.close()


def test_database_stopped_gives_a_dutch_503_and_recovers(recovered_stack):
    """PostgreSQL stopped: within 3 s each, pages and the API answer 503 (a Dutch page, JSON
    for the API), signing in and saving too, never a 500; /healthz answers 503 naming the
    database within 2 s. PostgreSQL started again: everything works without a restart."""
    stack = recovered_stack
    working_editor, _ = signed_in_editor(stack.web.url, ADMIN_USER, ADMIN_PASSWORD)
    stack.postgres.stop()
    try:
        code, body, seconds = healthz(stack)
        assert seconds < 2
        assert code == 503
        assert body["status"] == "error" and body["checks"]["database"] == "error"
        assert body["checks"]["cache"] == "ok" and body["checks"]["broker"] == "ok"

        answers = public_answers(stack.web.url)
        answers += signed_in_editor(stack.web.url, ADMIN_USER, ADMIN_PASSWORD)[1]
        answers += save_answers(working_editor)
        for answer in answers:
            assert answer.seconds < MAX_SECONDS, (answer.what, answer.seconds)
            assert answer.status in {200, 503}, (answer.what, answer.status, answer.body[:500])
            if answer.status == 503:
                assert "tijdelijk niet beschikbaar" in answer.body, answer.what
        statuses = {answer.what: answer.status for answer in answers}
        assert statuses["GET /landen/fi/"] == 503
        assert statuses["GET /api/v1/onderzoek/"] == 503
        assert statuses["login"] == 503 and statuses["add form"] == 503 and statuses["save"] == 503
    finally:
        stack.postgres.start()
    wait_recovered(stack)
    assert_answers_normally(stack)
