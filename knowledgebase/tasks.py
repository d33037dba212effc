"""Background work of the knowledge base."""

from celery import shared_task

from . import warmup


@shared_task
def warm_content_cache():
    """Compute the public pages' cached counts and ids for the current content version (safe
    to run twice: the second finds them cached)."""
    return warmup.warm_content_cache()
