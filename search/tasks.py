"""Background work of search and the pages composed from several apps."""

from celery import shared_task

from knowledgebase.warmup import WARM_UP_TASK

from . import warmup


@shared_task(name=WARM_UP_TASK)
def warm_content_cache():
    """Compute the public pages' cached counts and ids for the current content version (safe
    to run twice: the second finds them cached)."""
    return warmup.warm_content_cache()
