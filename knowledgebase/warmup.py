"""Warm the content cache after a change, so that no visitor waits for it.

Every write to content starts a new content version (``signals.py``), and the first visitor
of a theme page, the gap map, a profile or a list after it paid for the counts and ids that
page caches (0.1 to 0.6 s at 100,000 studies, docs/search.md). A Celery task now computes
them first, ``WARM_DELAY`` seconds after the change, so that a burst of edits (a bulk import,
a page published with its children) costs one warm-up, not one per save.

With the embedded default (``CELERY_TASK_ALWAYS_EAGER``) nothing is scheduled: the warm-up
would run inside the editor's request and hold up every save.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator

from . import content_cache

logger = logging.getLogger(__name__)

# Seconds between a change and its warm-up; changes within it share one warm-up.
WARM_DELAY = 10
PENDING_KEY = "content:warm-up-pending"


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
    from .tasks import warm_content_cache

    try:
        warm_content_cache.apply_async(countdown=WARM_DELAY)
    except Exception:
        logger.warning("Could not schedule the warm-up of the content cache", exc_info=True)
        cache.delete(PENDING_KEY)


def _lists():
    from .filters import FindingFilterSet, OrganisationFilterSet, QuestionFilterSet, StudyFilterSet
    from .views import PER_PAGE, CachedPages, public_list_queryset

    for filterset_class in (StudyFilterSet, FindingFilterSet, OrganisationFilterSet, QuestionFilterSet):
        queryset = filterset_class(None, queryset=public_list_queryset(filterset_class)).qs
        list(Paginator(CachedPages(queryset), PER_PAGE).page(1).object_list)


def _search():
    from . import search

    search.vocabulary()
    search.facet_options()
    if search.uses_postgres_index():
        for kind in search.KINDS_BY_KEY.keys() - search.LARGE_KINDS:
            search.public_ids(kind)


def _themes_and_gap_map():
    from . import gapmap, selectors

    selectors.theme_list()
    for axis in gapmap.AXES:
        gapmap.build_gap_map(axis)
    for theme in selectors.public_themes():
        selectors.theme_detail_context(theme)


def _pages():
    from countries.models import CountryIndexPage
    from countries.selectors import country_index_context, country_page_context
    from models_infra.models import InfrastructureModelIndexPage
    from models_infra.selectors import model_index_context, model_page_context
    from portal.translations import public_pages

    from . import selectors

    for index_page in public_pages(CountryIndexPage.objects.all()):
        country_index_context(index_page)
    for index_page in public_pages(InfrastructureModelIndexPage.objects.all()):
        model_index_context(index_page)
    for page in selectors.public_countries():
        country_page_context(page)
    for page in selectors.public_models():
        model_page_context(page)


# In the order visitors are likeliest to need them.
STEPS = [_lists, _search, _themes_and_gap_map, _pages]


def warm_content_cache():
    """Compute what the public pages cache for the current content version. Stops (and
    returns False) when the content changes meanwhile: that change schedules its own."""
    cache.delete(PENDING_KEY)
    version = content_cache.content_version()
    for step in STEPS:
        if content_cache.content_version() != version:
            return False
        step()
    return True
