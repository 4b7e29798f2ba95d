"""The search index (archive.search.schema): SQLite FTS5 trigram tables, or a
PostgreSQL table with pg_trgm GIN indexes, with the triggers that keep it current
and its first fill from the existing rows."""

from django.db import migrations

from archive.search import schema


def create(apps, schema_editor):
    for statement in schema.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in schema.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0018_admin_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
