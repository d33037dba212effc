"""Keep the search index in step with what the public may see.

A write that can change a public page (not a draft save or a lock: see
``knowledgebase.signals.changes_public_output``) or a delete names the documents it touches;
when the transaction commits they are updated by one Celery task (``tasks.update_search_index``,
eager with the embedded default), which rewrites the public ones and removes the rest. The
writes of a bulk load (an import, the starter content) are collected and sent as one task.
A page's visibility follows its ancestors and view restrictions: a change to any other page
or to a restriction updates every country profile and model page (a few dozen). A change to
a synonym set leaves the index alone but starts a new content version: searches read it.
"""

import logging
import threading
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, published, unpublished

from countries.models import CountryFact, CountryPage, CountryWebsite
from knowledgebase.models import (
    Finding,
    Framework,
    FrameworkElement,
    Organisation,
    ResearchQuestion,
    Study,
    StudyAuthor,
    Theme,
)
from knowledgebase.signals import changes_public_output, start_new_version
from models_infra.models import InfrastructureModelPage, ModelExample

from .kinds import ContentKind
from .models import SynonymSet

logger = logging.getLogger(__name__)

_local = threading.local()


def _documents(instance):
    """{kind: primary keys} of the documents a write to ``instance`` changes."""
    match instance:
        case Study():
            return {ContentKind.STUDIES: [instance.pk], ContentKind.FINDINGS: _finding_ids(instance.pk)}
        case Finding():
            return {ContentKind.FINDINGS: [instance.pk], ContentKind.STUDIES: [instance.study_id]}
        case StudyAuthor():
            return {ContentKind.STUDIES: [instance.study_id]}
        case ResearchQuestion():
            return {ContentKind.QUESTIONS: [instance.pk]}
        case Organisation():
            # A question's result names the organisation that raised it while that is public.
            return {
                ContentKind.ORGANISATIONS: [instance.pk],
                ContentKind.QUESTIONS: _questions_raised(instance),
            }
        case Theme():
            return {ContentKind.THEMES: [instance.pk]}
        case Framework():
            return {ContentKind.FRAMEWORKS: [instance.pk]}
        case FrameworkElement():
            return {ContentKind.FRAMEWORKS: [instance.framework_id]}
        case CountryPage():
            return {ContentKind.COUNTRIES: [instance.pk]}
        case CountryFact() | CountryWebsite():
            return {ContentKind.COUNTRIES: [instance.page_id]}
        case InfrastructureModelPage():
            return {ContentKind.MODELS: [instance.pk]}
        case ModelExample():
            return {ContentKind.MODELS: [instance.page_id]}
        case Page() | PageViewRestriction():
            return {ContentKind.COUNTRIES: None, ContentKind.MODELS: None}
    return {}


def _questions_raised(organisation):
    """The research questions ``organisation`` raised; on a delete, as they were before it (the
    delete clears their link without a signal of its own)."""
    raised = getattr(organisation, "_questions_raised", None)
    if raised is None:
        raised = list(
            ResearchQuestion.objects.filter(raised_by_id=organisation.pk).values_list("pk", flat=True)
        )
    return raised


def _finding_ids(study_id):
    return list(Finding.objects.filter(study_id=study_id).values_list("pk", flat=True))


def schedule(changes):
    """Update the documents ``changes`` ({kind: primary keys, or None for all}) names once the
    transaction commits, together with every other change pending by then."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    for kind, pks in changes.items():
        if pks is None:
            pending[kind] = None
        elif pending.get(kind, ()) is not None:
            pending.setdefault(kind, set()).update(pk for pk in pks if pk is not None)
    # One callback per write; the first to run after the commit sends them all.
    on_commit(flush)


def on_commit(callback):
    transaction.on_commit(callback)


def flush():
    """Send the pending changes to the worker as one task. Never raises, and never waits long
    for a broker that is down: then (Redis, the broker, does not answer the cache either) the
    index is updated in this process, so that an unpublished record does not stay findable."""
    pending, _local.pending = getattr(_local, "pending", None), None
    if not pending:
        return
    from . import tasks

    changes = {str(kind): (None if pks is None else sorted(pks)) for kind, pks in pending.items()}
    if settings.CELERY_TASK_ALWAYS_EAGER or _redis_answers():
        try:
            tasks.update_search_index.delay(changes)
            return
        except Exception:
            logger.warning("Could not queue the search index update", exc_info=True)
    logger.warning("The broker is unavailable: updating the search index in the request")
    try:
        tasks.update_search_index(changes)
    except Exception:
        logger.exception("Could not update the search index %s (rebuild_search_index catches up)", changes)


def _redis_answers():
    """Whether Redis answers now: a write to the fail-open cache (``kit/cache.py``), which
    returns at once while its circuit is open."""
    return bool(cache.add(f"search:probe:{uuid.uuid4().hex}", 1, 5))


def _on_save(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if not changes_public_output(instance, update_fields, created):
        return
    changes = _documents(instance)
    if changes:
        schedule(changes)


def _on_links_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Links written apart from a save (``study.themes.add(theme)``, or a clustered record's
    links, which are written after its ``post_save``): the records on the watched side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _on_save(type(instance), instance)
        return
    changes = {}
    for pk in pk_set or ():
        for kind, pks in _documents(model(pk=pk)).items():
            changes.setdefault(kind, []).extend(pks)
    if changes:
        schedule(changes)


def _on_delete(sender, instance, **kwargs):
    changes = _documents(instance)
    if changes:
        schedule(changes)


def _on_organisation_delete(sender, instance, **kwargs):
    """Before an organisation goes: note the questions it raised, whose results name it, for
    the delete's receiver (by then their link is cleared)."""
    instance._questions_raised = _questions_raised(instance)


WATCHED = [
    Study,
    Finding,
    StudyAuthor,
    ResearchQuestion,
    Organisation,
    Theme,
    Framework,
    FrameworkElement,
    CountryFact,
    CountryWebsite,
    ModelExample,
    PageViewRestriction,
]


def _on_document_save(sender, instance, **kwargs):
    """An uploaded or replaced file: its text is read in the worker once the upload commits."""
    document_id = instance.pk

    def send():
        from . import tasks

        try:
            tasks.extract_document_text.delay(document_id)
        except Exception:
            logger.warning("Could not queue the text extraction of document %s", document_id, exc_info=True)

    on_commit(send)


def _on_publish_or_unpublish(sender, instance, **kwargs):
    # An unpublish saves a record that another instance published: its save alone may look
    # like a write to something that was never live.
    _on_delete(sender, instance)


def _on_synonyms_change(sender, **kwargs):
    # The index stays as it is (synonyms are applied when a query is read), but what any search
    # found and every search page cached before is stale: start a new content version.
    start_new_version()


def connect():
    for signal in (post_save, post_delete):
        signal.connect(_on_synonyms_change, sender=SynonymSet, dispatch_uid=f"search-synonyms-{id(signal)}")
    for model in WATCHED:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{model._meta.label_lower}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_links_change, sender=through, dispatch_uid=f"search-links-{through._meta.label_lower}"
            )
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{model._meta.label_lower}")
    # Pages of every type (a profile, a model page, or an ancestor of them), each connected by
    # its model: a delete receiver for every model would stop Django's fast bulk deletes.
    for model in apps.get_models():
        if issubclass(model, Page):
            label = model._meta.label_lower
            post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{label}")
            post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{label}")
    pre_delete.connect(
        _on_organisation_delete, sender=Organisation, dispatch_uid="search-organisation-delete"
    )
    post_save.connect(_on_document_save, sender=get_document_model(), dispatch_uid="search-document-save")
    for signal in (published, unpublished, page_published, page_unpublished):
        signal.connect(_on_publish_or_unpublish, dispatch_uid=f"search-{id(signal)}")
