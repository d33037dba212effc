"""The Celery worker survives Redis going away, with or without a task waiting."""

import time
import uuid

import pytest
from celery import Celery

from .conftest import wait_for_count


@pytest.fixture
def sender(services):
    """A Celery client of the session's broker, as the web process is."""
    app = Celery("faults-client", broker=services.redis.url)
    app.conf.broker_connection_retry_on_startup = True
    yield app
    app.close()


def _task_runs(services, sender, timeout=30):
    token = uuid.uuid4().hex
    sender.send_task("faults.hold", args=[token, 0])
    wait_for_count(services, f"faults:finished:{token}", 1, timeout)


def test_worker_survives_redis_dropping_while_a_task_waits(stack, sender):
    """A task waits in the worker for its countdown (as the cache warm-up does after every
    save) when Redis stops. The worker stays up, reconnects when Redis is back and runs new
    tasks, without a restart."""
    services = stack
    _task_runs(services, sender)  # the worker is connected
    sender.send_task("faults.hold", args=[uuid.uuid4().hex, 0], countdown=10)
    time.sleep(1.5)  # received: it waits in the worker, unacknowledged
    services.redis.stop()
    time.sleep(5)
    assert stack.worker.alive(), "the worker exited when Redis dropped"
    services.redis.start()
    _task_runs(services, sender, timeout=60)
    assert stack.worker.alive()


def test_worker_survives_a_hung_redis(stack, sender):
    """Redis stops answering for a while (``kill -STOP``) and then goes on: the worker is
    still up and runs new tasks."""
    services = stack
    _task_runs(services, sender)
    sender.send_task("faults.hold", args=[uuid.uuid4().hex, 0], countdown=10)
    time.sleep(1.5)
    services.redis.hang()
    time.sleep(8)
    services.redis.resume()
    _task_runs(services, sender, timeout=60)
    assert stack.worker.alive()
