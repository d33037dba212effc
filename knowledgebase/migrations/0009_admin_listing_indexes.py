"""Indexes for the admin's study and findings listings at 100,000 studies.

- ``kb_study_newest`` (year descending, title) and ``kb_study_title`` (title, id): the study
  listing's order and the findings listing's order (by their study's title) are read along an
  index, so a page does not sort every study.
- PostgreSQL only: trigram indexes (``pg_trgm``, a trusted extension that ships with
  PostgreSQL) on the upper-cased title, publisher and DOI of studies and on author names, for
  the listing's search box (``knowledgebase/admin_search.py``): Django's ``icontains`` is
  ``UPPER(column) LIKE UPPER('%word%')``, which these indexes answer without reading every
  study. SQLite needs none of this.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("kb_study_title_trgm", "knowledgebase_study", "title"),
    ("kb_study_publisher_trgm", "knowledgebase_study", "publisher"),
    ("kb_study_doi_trgm", "knowledgebase_study", "doi"),
    ("kb_studyauthor_name_trgm", "knowledgebase_studyauthor", "name"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "  # noqa: S608 (constants only)
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgebase", "0008_public_url_validators"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="study",
            index=models.Index(fields=["-year", "title"], name="kb_study_newest"),
        ),
        migrations.AddIndex(
            model_name="study",
            index=models.Index(fields=["title", "id"], name="kb_study_title"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
