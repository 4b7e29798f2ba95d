"""The ``archive`` fixture's files, and plain-SQL snapshots of the archive tables."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

FIXTURE = settings.BASE_DIR / "fixtures" / "archive.json"
SOURCES = settings.BASE_DIR / "fixtures" / "sources"
JA_ARTICLE = "alec-radford-generative-ai-pioneer"
ZH_ARTICLE = "jiqizhixin-alec-radford-no-phd-gpt-era"


def read_text(path: Path) -> str:
    """A file's text exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def archive_tables() -> list[str]:
    """Every table of the archive app, M2M tables included."""
    tables = set()
    for model in apps.get_app_config("archive").get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return sorted(tables)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every archive table, read with plain SQL."""
    rows = {}
    with connection.cursor() as cursor:
        for table in archive_tables():
            cursor.execute(
                f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1"
            )
            rows[table] = cursor.fetchall()
    return rows


def counts() -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot().items()}
