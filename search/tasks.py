"""Background work of search and the pages composed from several apps."""

from celery import shared_task
from wagtail.documents import get_document_model

from knowledgebase import tallies
from knowledgebase.models import Study
from knowledgebase.warmup import WARM_UP_TASK, content_changed

from . import documents, index, warmup
from .kinds import ContentKind


@shared_task(name=WARM_UP_TASK)
def warm_content_cache():
    """Compute the public pages' cached counts and ids for the current content version (safe
    to run twice: the second finds them cached)."""
    return warmup.warm_content_cache()


# The version of the content cache each kind of document belongs to (``content_cache.KINDS``).
CACHE_KIND = {
    "onderzoek": "study",
    "bevindingen": "finding",
    "landen": "country",
    "modellen": "model",
    "kaders": "framework",
    "vragen": "question",
    "organisaties": "organisation",
    "themas": "theme",
}


@shared_task(name="search.update_search_index", acks_late=True)
def update_search_index(changes):
    """Rewrite the documents ``changes`` names ({kind: primary keys, or None for every
    document of the kind}) and the counts of the studies and questions among them
    (``knowledgebase.tallies``), then start a new content version of those kinds: a search or
    a page that ran between the commit and this task may have cached what they held before."""
    for kind, pks in changes.items():
        if pks is None:
            index.update_all(kind)
        else:
            index.update(kind, pks)
    update_tallies(changes)
    content_changed(tuple(CACHE_KIND[kind] for kind in changes))


def update_tallies(changes):
    """Count the studies (with their findings) and the research questions ``changes`` names
    again. A finding's change names its study too (``signals._documents``)."""
    kinds = (ContentKind.STUDIES, ContentKind.FINDINGS, ContentKind.QUESTIONS)
    if any(kind in changes and changes[kind] is None for kind in kinds):
        tallies.rebuild()
    elif any(kind in changes for kind in kinds):
        tallies.refresh(
            studies=changes.get(ContentKind.STUDIES), questions=changes.get(ContentKind.QUESTIONS)
        )


@shared_task(name="search.extract_document_text", acks_late=True)
def extract_document_text(document_id):
    """Read the text of an uploaded PDF (``documents.py``) and index the studies that link it
    again."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    documents.extract(document)
    studies = list(Study.objects.filter(document_id=document_id).values_list("pk", flat=True))
    if studies:
        update_search_index({"onderzoek": studies})
