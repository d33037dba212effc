"""Keep a study's search entry in step with its findings.

A study is found by the words of its findings (``index.RelatedFields("findings")``), but
Wagtail re-indexes only the object that was saved. When a finding is published, unpublished
or deleted, its study is indexed again.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import published, unpublished

from .models import Finding, Study


def _reindex_study(study_id):
    study = Study.objects.filter(pk=study_id).first()
    if study is not None:
        index.insert_or_update_object(study)


@receiver(published, sender=Finding)
@receiver(unpublished, sender=Finding)
@receiver(post_delete, sender=Finding)
def reindex_study_of_finding(sender, instance, **kwargs):
    study_id = instance.study_id
    transaction.on_commit(lambda: _reindex_study(study_id))
