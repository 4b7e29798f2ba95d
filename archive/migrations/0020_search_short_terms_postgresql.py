"""PostgreSQL: one- and two-character search terms (天才, ai) read a full-text vector
of the index rows with its GIN index, instead of every row (pg_trgm has no trigram
for them). SQLite answers them from its own short-term table since 0019."""

from django.db import migrations

from archive.search import schema


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in schema.postgresql_short_index():
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in schema.postgresql_short_index_drop():
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0019_search_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
