"""Background work of search and the pages composed from several apps."""

from celery import shared_task

from knowledgebase.warmup import WARM_UP_TASK, content_changed

from . import index, warmup


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
    document of the kind}), then start a new content version of those kinds: a search that ran
    between the commit and this task may have cached what the index held before."""
    for kind, pks in changes.items():
        if pks is None:
            index.update_all(kind)
        else:
            index.update(kind, pks)
    content_changed(tuple(CACHE_KIND[kind] for kind in changes))
