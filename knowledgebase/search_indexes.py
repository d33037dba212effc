"""The partial GIN indexes of the search on PostgreSQL (migration 0004), kept in step with the
content-type ids of the database they are in.

Each index is restricted to one kind (``WHERE content_type_id = <id>``), and PostgreSQL only
uses it when the query names the same id as a literal (``search/engine.py`` does). The ids are
whatever the database gave the content types, so an index created in one database and data
from another (a data-only restore, a copy made table by table) would no longer match: the
search would still be right but would scan the whole table. ``search_partial_indexes_ensure``
recreates every such index whose id is not the live one; ``manage.py restore`` runs it, and so
can anyone with ``manage.py search_partial_indexes``. A full restore of a ``pg_dump`` archive
keeps the ids and the indexes together, so there it changes nothing.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection

TABLE = "wagtailsearch_indexentry"
# (model of the knowledge base, index name prefix), as in migration 0004.
KINDS = [("study", "kb_search_study"), ("finding", "kb_search_finding")]
COLUMNS = ("title", "body")
PREDICATE = re.compile(r"WHERE \(content_type_id = (\d+)\)")


def partial_index_ids():
    """{index name: the content-type id in its predicate, or None when it is missing}."""
    names = [f"{prefix}_{column}_gin" for _model, prefix in KINDS for column in COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [names])
        found = {name: PREDICATE.search(definition) for name, definition in cursor.fetchall()}
    return {name: int(found[name].group(1)) if found.get(name) else None for name in names}


def search_partial_indexes_ensure():
    """Recreate each partial search index that is missing or names another content-type id
    than the database's own for its kind; returns the names of those recreated. Nothing on
    SQLite, which has no such indexes."""
    if connection.vendor != "postgresql":
        return []
    # The process may have cached the ids of another database (before a restore).
    ContentType.objects.clear_cache()
    current = partial_index_ids()
    recreated = []
    for model, prefix in KINDS:
        content_type = ContentType.objects.get(app_label="knowledgebase", model=model)
        for column in COLUMNS:
            name = f"{prefix}_{column}_gin"
            if current[name] == content_type.pk:
                continue
            with connection.cursor() as cursor:
                # Only names from this module and an integer are interpolated.
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
                cursor.execute(
                    f"CREATE INDEX {name} ON {TABLE} USING gin ({column}) "
                    f"WHERE content_type_id = {int(content_type.pk)}"
                )
            recreated.append(name)
    return recreated
