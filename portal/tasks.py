"""Housekeeping on a schedule, run by Celery beat.

Each task wraps a Wagtail management command or a service; all of them are safe to run
twice.
"""

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from kit import editions

from . import links, scheduling

HEARTBEAT_CACHE_KEY = "portal:celery-heartbeat"


@shared_task
def publish_scheduled():
    """Publish pages and snippets whose go-live time has passed; unpublish expired ones; record
    the run for the dashboard."""
    scheduling.scheduled_publish_run()


@shared_task
def search_garbage_collect():
    """Remove stale search query statistics kept by Wagtail's search app."""
    call_command("search_garbage_collect")


@shared_task
def purge_revisions():
    """Drop revisions older than a year that are neither latest, scheduled, in moderation nor
    ever published (a published revision is a citable edition, ``kit.editions``)."""
    return editions.purge_old_revisions(days=365)


@shared_task
def heartbeat(token):
    """Record that a worker ran a task; the health check and the worker test read it."""
    cache.set(HEARTBEAT_CACHE_KEY, {"token": token, "at": timezone.now().isoformat()}, 600)
    return token


@shared_task
def check_links():
    """Check the external addresses the content links to (``portal.links``)."""
    return links.check_links()
