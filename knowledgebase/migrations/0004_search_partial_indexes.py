"""Covering indexes for the facet filters (PostgreSQL only).

This migration once also created partial GIN indexes on Wagtail's search table
(``wagtailsearch_indexentry``) with content-type ids written in; the public search now has an
index of its own (the ``search`` app) and 0014 drops those where an install still has them.
"""

from django.db import migrations

KINDS = [("study", "kb_search_study"), ("finding", "kb_search_finding")]
# Facet value first, record second: "the studies of theme X" becomes an index-only scan.
FACET_INDEXES = [
    ("kb_study_themes_facet", "knowledgebase_study_themes", "theme_id, study_id"),
    ("kb_study_countries_facet", "knowledgebase_study_countries", "countrypage_id, study_id"),
    ("kb_finding_themes_facet", "knowledgebase_finding_themes", "theme_id, finding_id"),
    ("kb_finding_countries_facet", "knowledgebase_finding_countries", "countrypage_id, finding_id"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The partial GIN indexes on Wagtail's search table that this migration once created are
    # no longer made: the public search has an index of its own (the search app), and 0012
    # drops them where an earlier install has them.
    for name, table, columns in FACET_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model, prefix in KINDS:
        for column in ("title", "body"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_{column}_gin")
    for name, _table, _columns in FACET_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgebase", "0003_framework_element_code_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
