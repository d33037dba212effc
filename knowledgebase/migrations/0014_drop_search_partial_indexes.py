"""Drop the partial GIN indexes that 0004 once created on Wagtail's search table: the public
search reads an index of its own (the ``search`` app), and their content-type ids, written in
as literals, broke on a restore into another database."""

from django.db import migrations

NAMES = [f"kb_search_{kind}_{column}_gin" for kind in ("study", "finding") for column in ("title", "body")]


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0013_bottom_line")]

    operations = [migrations.RunPython(drop_indexes, migrations.RunPython.noop, elidable=True)]
