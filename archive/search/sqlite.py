"""The SQL functions SQLite's search triggers call, on every connection.

SQLite cannot fold Unicode or space out CJK text itself, so the triggers of
migration 0019 call these Python functions, registered on each new connection
(``ArchiveConfig.ready``) as Django registers its own date functions. A write made
outside Django (the ``sqlite3`` shell) to an indexed table fails with "no such
function: archive_fold" instead of leaving the index stale.
"""

from __future__ import annotations

from .text import fold, spaced


def register_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("archive_fold", 1, fold, deterministic=True)
    raw.create_function("archive_spaced", 1, spaced, deterministic=True)
