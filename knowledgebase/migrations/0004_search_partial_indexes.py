"""Partial GIN indexes on Wagtail's search index table, one per large kind, and covering
indexes for the facet filters (PostgreSQL only).

``wagtailsearch_indexentry`` holds every model. A study search through the table-wide GIN
index builds the bitmap of the term's matches in studies *and* findings and then combines it
with the content-type index; an index restricted to ``content_type_id = <study>`` (and one for
findings) reads only that kind's entries. The content type ids differ per database, so they
are looked up when the migration runs; SQLite (FTS5) needs none of this.
"""

from django.db import migrations

KINDS = [("study", "kb_search_study"), ("finding", "kb_search_finding")]
TABLE = "wagtailsearch_indexentry"
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
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for model, prefix in KINDS:
        content_type, _created = content_type_model.objects.get_or_create(
            app_label="knowledgebase", model=model
        )
        for column in ("title", "body"):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {prefix}_{column}_gin ON {TABLE} "  # noqa: S608
                f"USING gin ({column}) WHERE content_type_id = {int(content_type.pk)}"
            )
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
