"""Indexes in the exact order the public lists page through.

The article list (newest first, undated last) and the gallery (latest article
first, images of no article last) sort descending with NULLs last. SQLite's
descending indexes put NULL last by themselves; PostgreSQL's need ``NULLS LAST``
spelled out, which SQLite's ``CREATE INDEX`` does not accept: hence one statement
per database, not a ``Meta.indexes`` entry. (The people list's order has its index
in 0018, ``person_list_order``.)
"""

from django.db import migrations

ORDERED_INDEXES = {
    "archive_article_public_order": (
        "archive_article",
        {
            "sqlite": "status, published_at DESC, key",
            "postgresql": "status, published_at DESC NULLS LAST, key",
        },
    ),
    "archive_image_gallery_order": (
        "archive_image",
        {
            "sqlite": "article_id DESC, position, key",
            "postgresql": "article_id DESC NULLS LAST, position, key",
        },
    ),
}


def create_ordered_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, (table, columns) in ORDERED_INDEXES.items():
        if vendor in columns:
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns[vendor]})")


def drop_ordered_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, (_table, columns) in ORDERED_INDEXES.items():
        if vendor in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0016_personname_categories"),
    ]

    operations = [
        migrations.RunPython(create_ordered_indexes, drop_ordered_indexes),
    ]
