"""Background work of the knowledge base."""

from celery import shared_task

from . import imports, warmup


@shared_task
def warm_content_cache():
    """Compute the public pages' cached counts and ids for the current content version (safe
    to run twice: the second finds them cached)."""
    return warmup.warm_content_cache()


@shared_task
def import_studies(job_id):
    """Import the file of an ``ImportJob`` (safe to run twice: ``import_job_run`` takes a
    job only while it is queued)."""
    imports.import_job_run(job_id=job_id)
