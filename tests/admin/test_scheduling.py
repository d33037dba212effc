"""Scheduled publishing works on every set-up, and the dashboard says when it has stopped."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from knowledgebase.models import Study
from portal import scheduling
from portal.models import Heartbeat
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _scheduled_study(title, minutes):
    """A draft study approved to go live ``minutes`` from now (negative: in the past)."""
    study = StudyFactory(live=False, title=title)
    study.go_live_at = timezone.now() + datetime.timedelta(minutes=minutes)
    revision = study.save_revision()
    revision.approved_go_live_at = study.go_live_at
    revision.save(update_fields=["approved_go_live_at"])
    return study


def test_scheduler_publishes_what_is_due_and_records_its_run(site_tree):
    """One run of the local scheduler publishes a study whose go-live time has passed, leaves
    one scheduled for later alone, and records when it ran."""
    due = _scheduled_study("Op tijd", minutes=-1)
    later = _scheduled_study("Later", minutes=60)

    assert scheduling.scheduler_last_run() is None
    call_command("run_scheduler", "--once")

    assert Study.objects.get(pk=due.pk).live
    assert not Study.objects.get(pk=later.pk).live
    assert timezone.now() - scheduling.scheduler_last_run() < datetime.timedelta(seconds=30)


def test_celery_beat_task_records_its_run_too(site_tree):
    """The beat task of the production stack records its runs the same way."""
    from portal.tasks import publish_scheduled

    publish_scheduled.delay()
    assert scheduling.scheduler_last_run() is not None


@pytest.mark.parametrize(
    ("minutes_ago", "warned"), [(None, True), (12, True), (1, False)], ids=["never", "stale", "recent"]
)
def test_dashboard_warns_when_no_scheduler_has_run_for_five_minutes(client, editor, minutes_ago, warned):
    """The dashboard warns that scheduled items will not go live when the scheduler has never
    run or last ran more than five minutes ago, and says nothing when it runs."""
    if minutes_ago is not None:
        Heartbeat.objects.create(
            name="scheduler", seen_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
        )
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert ("Gepland publiceren staat stil" in html) is warned
    if minutes_ago is None and warned:
        assert "De planner heeft nog nooit gedraaid." in html


def test_make_run_starts_the_scheduler_next_to_the_server():
    """`make run` starts `manage.py run_scheduler` in the background, stops it with the server,
    and serves with runserver."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run: .*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "manage.py run_scheduler &" in recipe
    assert "trap 'kill" in recipe
    assert recipe.index("run_scheduler") < recipe.index("runserver")
