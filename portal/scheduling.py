"""Publishing what editors scheduled, and knowing whether that still happens.

Wagtail publishes scheduled pages and records only when ``publish_scheduled`` runs. In
production Celery beat runs it every minute (``portal.tasks.publish_scheduled``); with
``make run`` a small companion process does (``manage.py run_scheduler``). Each run is recorded,
so the dashboard can warn when nothing has run for ``STALE_AFTER``: the admin would otherwise
keep saying "gepland" while nothing goes live.
"""

import datetime

from django.core.management import call_command
from django.utils import timezone

from .models import Heartbeat

SCHEDULER = "scheduler"
# How often the scheduler runs, and after how long without a run the dashboard warns.
INTERVAL = datetime.timedelta(minutes=1)
STALE_AFTER = datetime.timedelta(minutes=5)


def scheduled_publish_run():
    """Publish what is due (and unpublish what has expired), then record the run."""
    call_command("publish_scheduled")
    Heartbeat.objects.update_or_create(name=SCHEDULER, defaults={"seen_at": timezone.now()})


def scheduler_last_run():
    """When the scheduler last ran, or ``None`` if it never did."""
    return Heartbeat.objects.filter(name=SCHEDULER).values_list("seen_at", flat=True).first()


def scheduler_is_stale(now=None):
    """Whether no scheduler has run in the last ``STALE_AFTER``."""
    last = scheduler_last_run()
    return last is None or (now or timezone.now()) - last > STALE_AFTER
