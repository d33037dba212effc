"""Background work of the knowledge base."""

from celery import shared_task

from . import imports


@shared_task
def import_studies(job_id):
    """Import the file of an ``ImportJob`` (safe to run twice: ``import_job_run`` takes a
    job only while it is queued)."""
    imports.import_job_run(job_id=job_id)
