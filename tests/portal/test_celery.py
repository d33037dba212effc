import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from portal import tasks
from portal.celery import app


def test_beat_schedule_runs_wagtail_housekeeping():
    """Beat publishes scheduled content every minute and runs Wagtail's other housekeeping."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["publish-scheduled"]["task"] == "portal.tasks.publish_scheduled"
    assert schedule["publish-scheduled"]["schedule"] == 60.0
    registered = set(app.tasks)
    for entry in schedule.values():
        assert entry["task"] in registered


@pytest.mark.django_db
def test_publish_scheduled_task_publishes_due_pages(site_tree):
    """A page scheduled for the past goes live when the beat task runs (eagerly here)."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.models import ContentPage

    page = ContentPage(title="Gepland", slug="gepland", body="<p>Tekst</p>", live=False)
    site_tree.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live, "a future go-live date schedules the page"
    time.sleep(2.5)  # the go-live moment passes
    tasks.publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_heartbeat_task_runs_eagerly_on_embedded_defaults():
    """Without a broker, tasks run in-process and their effect is visible at once."""
    token = uuid.uuid4().hex
    tasks.heartbeat.delay(token)
    assert cache.get(tasks.HEARTBEAT_CACHE_KEY)["token"] == token


@pytest.mark.services
def test_real_worker_runs_a_task_through_redis():
    """A separate Celery worker process picks a task from Redis and runs it."""
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but REDIS_URL is not")
        pytest.skip("needs REDIS_URL (make test-services)")
    # The worker runs the same release as this process, as a deployment sets it for both: the
    # release names the cache keys the heartbeat is written under.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "false",
        "RELEASE": settings.RELEASE,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
    )
    token = uuid.uuid4().hex
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setitem(app.conf, "task_always_eager", False)
            tasks.heartbeat.delay(token)
        deadline = time.monotonic() + 60
        seen = None
        while time.monotonic() < deadline:
            seen = cache.get(tasks.HEARTBEAT_CACHE_KEY)
            if seen and seen["token"] == token:
                break
            time.sleep(0.5)
        assert seen and seen["token"] == token, "the worker did not run the task within 60 s"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
