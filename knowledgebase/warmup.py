"""Warm the content cache after a change, so that no visitor waits for it.

Every write to content starts a new content version (``signals.py``), and the first visitor of
a theme page, the gap map, a profile or a list after it would pay for the counts and ids that
page caches (docs/search.md has the measurements). A Celery task computes them first,
``WARM_DELAY`` seconds after the change, so that a burst of edits (a bulk import, a page
published with its children) costs one warm-up, not one per save.

With the embedded default (``CELERY_TASK_ALWAYS_EAGER``) nothing is scheduled: the warm-up
would run inside the editor's request and hold up every save.

What the warm-up computes spans the apps above the knowledge base (country and model pages,
search), so it lives in ``search.warmup``; this module only starts it, by the task's name.
"""

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache

from . import content_cache

logger = logging.getLogger(__name__)

# Seconds between a change and its warm-up; changes within it share one warm-up.
WARM_DELAY = 10
PENDING_KEY = "content:warm-up-pending"
# The task in ``search.tasks``; its name predates the move and stays, so queued tasks still run.
WARM_UP_TASK = "knowledgebase.tasks.warm_content_cache"


def content_changed(kinds=content_cache.KINDS):
    """Start a new version of ``kinds`` (all unless given) and schedule a warm-up of the
    cache for it."""
    content_cache.content_changed(kinds)
    schedule_warm_up()


def schedule_warm_up():
    """Queue one warm-up unless one is already waiting. Never raises: a change to content
    must not fail because the broker is down (the pages then compute on first visit).

    The cache decides: while it is unavailable ``cache.add`` is false and nothing is queued,
    so a save never waits for a broker on the same Redis that just failed to answer."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    # The key outlives the delay in case the worker is down, then lets a new one through.
    if not cache.add(PENDING_KEY, True, WARM_DELAY * 3):
        return
    try:
        current_app.tasks[WARM_UP_TASK].apply_async(countdown=WARM_DELAY)
    except Exception:
        logger.warning("Could not schedule the warm-up of the content cache", exc_info=True)
        cache.delete(PENDING_KEY)
