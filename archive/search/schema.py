"""The search index's tables and the triggers that keep it current, per database.

One index row per item and language (``kind``, ``item_id``, ``language``) holding the
item's folded title and its other text in that language, plus one row of a person's
other names (``language`` empty). Triggers on the base tables rebuild an item's rows
on every insert, update and delete, so every write path (``save``, ``bulk_create``,
``QuerySet.update``, raw SQL, ``loaddata``, imports) keeps the index current with no
signal. Row ids are computed (``item_id * 32 + kind * 8 + slot``) so a trigger finds
an item's rows by id range, which both FTS5 and a primary key index answer at once.

- SQLite: ``archive_search``, an FTS5 table with the trigram tokenizer (substrings of
  three characters or more, any script), and ``archive_search_short``, FTS5 with
  ``unicode61`` over the same rows with a space around every CJK character (one- and
  two-character queries). Folding is ``archive_fold()`` and ``archive_spaced()``,
  Python functions registered on every connection (``archive.search.sqlite``).
- PostgreSQL: a table with GIN ``pg_trgm`` indexes on the folded title and text; the
  triggers are PL/pgSQL and ``archive_fold()`` is SQL (``normalize`` + ``lower``).

Used by migration 0019 (and by a migration that adds a language, which must drop
and recreate the triggers: they name each language's columns).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.languages import LANGUAGE_CODES, localized

NAMES_SLOT = 7
SLOTS = 8


@dataclass(frozen=True)
class Source:
    """How one model's rows become index rows."""

    kind: str
    number: int
    table: str
    title: str
    texts: tuple[str, ...]
    year: str  # "published_at" (a datetime) or "date_start" (a date) or ""


SOURCES = (
    Source(
        "article",
        0,
        "archive_article",
        "title",
        ("subtitle", "summary", "body", "author", "publisher"),
        "published_at",
    ),
    Source("person", 1, "archive_person", "name", ("bio",), ""),
    Source("event", 2, "archive_event", "title", ("description",), "date_start"),
    Source("image", 3, "archive_image", "title", ("caption", "alt_text", "credit"), ""),
)
KIND_NUMBERS = {source.kind: source.number for source in SOURCES}
# Covering indexes: a search reads whether each item it found is public, and its
# facets, from these alone (never the rows, which hold every language's text).
COVER = {
    "article": (
        "archive_article_search_cover",
        "archive_article",
        "id, status, original_language, published_at",
    ),
    "person": (
        "archive_person_search_cover",
        "archive_person",
        "id, original_language",
    ),
    "event": (
        "archive_event_search_cover",
        "archive_event",
        "id, original_language, date_start",
    ),
    "image": (
        "archive_image_search_cover",
        "archive_image",
        "id, article_id, original_language",
    ),
}


def cover_indexes() -> list[str]:
    return [
        f"CREATE INDEX {name} ON {table} ({columns})"
        for name, table, columns in COVER.values()
    ]


def drop_cover_indexes() -> list[str]:
    return [f"DROP INDEX IF EXISTS {name}" for name, _t, _c in COVER.values()]


def decode(row_id: int) -> tuple[str, int, str]:
    """An index row id → (kind, item id, language; "" for other names)."""
    slot = row_id % SLOTS
    kind = KINDS[(row_id // SLOTS) % len(SOURCES)]
    language = "" if slot == NAMES_SLOT else LANGUAGE_CODES[slot]
    return kind, row_id // (SLOTS * len(SOURCES)), language


KINDS = tuple(source.kind for source in SOURCES)


def first_id(row: str, source: Source) -> str:
    return f"({row}.id * {SLOTS * len(SOURCES)} + {source.number * SLOTS})"


def _columns(row: str, field: str, code: str, vendor: str) -> str:
    return f"coalesce({row}.{localized(field, code)}, '')"


def _year(row: str, source: Source, vendor: str) -> str:
    if not source.year:
        return "NULL"
    if vendor == "sqlite":
        return f"CAST(substr({row}.{source.year}, 1, 4) AS INTEGER)"
    if source.year == "published_at":
        column = f"{row}.{source.year} AT TIME ZONE 'UTC'"
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {row}.{source.year}) AS INTEGER)"


def _names(person_id: str) -> str:
    """A person's other names, one text (``string_agg``/``group_concat``)."""
    return f"(SELECT {{agg}} FROM archive_personname WHERE person_id = {person_id})"


def insert_rows(
    source: Source, row: str, vendor: str, *, from_clause: str = ""
) -> list[str]:
    """INSERTs of the index rows of the item ``row``: ``NEW`` in a trigger, or a
    table alias for a backfill (``from_clause`` names the table)."""
    table = "archive_search"
    statements = []
    for slot, code in enumerate(LANGUAGE_CODES):
        title = _columns(row, source.title, code, vendor)
        texts = [_columns(row, f, code, vendor) for f in source.texts]
        body = " || ' ' || ".join(texts)
        present = " OR ".join(f"{c} <> ''" for c in (title, *texts))
        statements.append(
            f"INSERT INTO {table} (rowid, kind, item_id, language, "
            f"original_language, year, title, body) "
            f"SELECT {first_id(row, source)} + {slot}, '{source.kind}', {row}.id, "
            f"'{code}', {row}.original_language, {_year(row, source, vendor)}, "
            f"archive_fold({title}), archive_fold({body}) "
            f"{from_clause} WHERE ({present})"
        )
    if source.kind == "person":
        agg = (
            "group_concat(name, ' ')"
            if vendor == "sqlite"
            else "string_agg(name, ' ' ORDER BY name)"
        )
        names = _names(f"{row}.id").format(agg=agg)
        statements.append(
            f"INSERT INTO {table} (rowid, kind, item_id, language, "
            f"original_language, year, title, body) "
            f"SELECT {first_id(row, source)} + {NAMES_SLOT}, 'person', {row}.id, '', "
            f"{row}.original_language, NULL, archive_fold({names}), '' "
            f"{from_clause} WHERE {names} <> ''"
        )
    if vendor == "postgresql":
        statements = [s.replace("(rowid,", "(id,") for s in statements]
    return statements


def _range(row: str, source: Source, column: str) -> str:
    start = first_id(row, source)
    return f"{column} BETWEEN {start} AND {start} + {SLOTS - 1}"


# -- SQLite ---------------------------------------------------------------------------
def sqlite_create() -> list[str]:
    statements = [
        "CREATE VIRTUAL TABLE archive_search USING fts5("
        "kind UNINDEXED, item_id UNINDEXED, language UNINDEXED, "
        "original_language UNINDEXED, year UNINDEXED, title, body, "
        "tokenize='trigram')",
        "CREATE VIRTUAL TABLE archive_search_short USING fts5("
        "title, body, tokenize='unicode61 remove_diacritics 0')",
    ]
    statements += cover_indexes()
    for source in SOURCES:
        statements += _sqlite_triggers(source)
    statements += _sqlite_name_triggers()
    statements += sqlite_rebuild()
    return statements


def _sqlite_refresh(source: Source, row: str) -> list[str]:
    """Delete and re-insert the item's rows, in both tables."""
    inserts = insert_rows(source, row, "sqlite")
    return [
        f"DELETE FROM archive_search WHERE {_range(row, source, 'rowid')}",
        f"DELETE FROM archive_search_short WHERE {_range(row, source, 'rowid')}",
        *inserts,
        "INSERT INTO archive_search_short (rowid, title, body) SELECT rowid, "
        "archive_spaced(title), archive_spaced(body) FROM archive_search "
        f"WHERE {_range(row, source, 'rowid')}",
    ]


def _sqlite_triggers(source: Source) -> list[str]:
    name = f"archive_search_{source.kind}"
    refresh = ";\n".join(_sqlite_refresh(source, "NEW"))
    delete = ";\n".join(
        f"DELETE FROM {t} WHERE {_range('OLD', source, 'rowid')}"
        for t in ("archive_search", "archive_search_short")
    )
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source.table} BEGIN\n"
        f"{refresh};\nEND",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {source.table} BEGIN\n"
        f"{delete};\n{refresh};\nEND",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source.table} BEGIN\n"
        f"{delete};\nEND",
    ]


def _sqlite_names_refresh(person_id: str) -> list[str]:
    person = SOURCES[1]
    first = person.number * SLOTS + NAMES_SLOT
    rowid = f"({person_id} * {SLOTS * len(SOURCES)} + {first})"
    names = _names(person_id).format(agg="group_concat(name, ' ')")
    return [
        f"DELETE FROM archive_search WHERE rowid = {rowid}",
        f"DELETE FROM archive_search_short WHERE rowid = {rowid}",
        "INSERT INTO archive_search (rowid, kind, item_id, language, "
        "original_language, year, title, body) "
        f"SELECT {rowid}, 'person', p.id, '', p.original_language, NULL, "
        f"archive_fold({names}), '' FROM archive_person p "
        f"WHERE p.id = {person_id} AND {names} <> ''",
        "INSERT INTO archive_search_short (rowid, title, body) SELECT rowid, "
        f"archive_spaced(title), '' FROM archive_search WHERE rowid = {rowid}",
    ]


def _sqlite_name_triggers() -> list[str]:
    statements = []
    for event, rows in (
        ("insert", ("NEW",)),
        ("update", ("OLD", "NEW")),
        ("delete", ("OLD",)),
    ):
        body = ";\n".join(
            s for row in rows for s in _sqlite_names_refresh(f"{row}.person_id")
        )
        statements.append(
            f"CREATE TRIGGER archive_search_personname_{event} AFTER "
            f"{event.upper()} ON archive_personname BEGIN\n{body};\nEND"
        )
    return statements


def sqlite_rebuild() -> list[str]:
    """Fill both tables from the base tables (after creating them, or to repair)."""
    statements = ["DELETE FROM archive_search", "DELETE FROM archive_search_short"]
    for source in SOURCES:
        statements += insert_rows(
            source, "t", "sqlite", from_clause=f"FROM {source.table} t"
        )
    statements.append(
        "INSERT INTO archive_search_short (rowid, title, body) SELECT rowid, "
        "archive_spaced(title), archive_spaced(body) FROM archive_search"
    )
    return statements


def sqlite_drop() -> list[str]:
    statements = []
    for source in (*SOURCES, Source("personname", 0, "", "", (), "")):
        for event in ("insert", "update", "delete"):
            statements.append(
                f"DROP TRIGGER IF EXISTS archive_search_{source.kind}_{event}"
            )
    return [
        *statements,
        *drop_cover_indexes(),
        "DROP TABLE IF EXISTS archive_search",
        "DROP TABLE IF EXISTS archive_search_short",
    ]


# -- PostgreSQL ------------------------------------------------------------------------
PG_FOLD = (
    "CREATE OR REPLACE FUNCTION archive_fold(text) RETURNS text AS $$ "
    "SELECT lower(normalize(regexp_replace(normalize(coalesce($1, ''), NFKD), "
    "'[\u0300-\u036f]', '', 'g'), NFC)) $$ LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE"
)


# Short terms (one or two characters: 天才, ai) give pg_trgm no trigram, so LIKE
# would read every row. They are answered by a full-text vector of the same folded
# texts with a space around every CJK character (SQLite's archive_search_short does
# the same): a CJK pair is a phrase of two words, a short Latin term a word prefix.
# Kept current by PostgreSQL itself (a generated column), whatever writes the row.
_PG_CJK_CLASS = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
PG_SPACED = (
    "CREATE OR REPLACE FUNCTION archive_spaced(text) RETURNS text AS $$ "
    f"SELECT regexp_replace(coalesce($1, ''), '([{_PG_CJK_CLASS}])', ' \\1 ', 'g') "
    "$$ LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE"
)


def postgresql_short_index() -> list[str]:
    """The short-term vector and its GIN index (migration 0020; idempotent)."""
    return [
        PG_SPACED,
        "ALTER TABLE archive_search ADD COLUMN IF NOT EXISTS short tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "
        "archive_spaced(title) || ' ' || archive_spaced(body))) STORED",
        "CREATE INDEX IF NOT EXISTS archive_search_short_gin ON archive_search "
        "USING gin (short)",
    ]


def postgresql_short_index_drop() -> list[str]:
    return [
        "DROP INDEX IF EXISTS archive_search_short_gin",
        "ALTER TABLE archive_search DROP COLUMN IF EXISTS short",
        "DROP FUNCTION IF EXISTS archive_spaced(text)",
    ]


def postgresql_create() -> list[str]:
    statements = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        PG_FOLD,
        "CREATE TABLE archive_search ("
        "id bigint PRIMARY KEY, kind varchar(10) NOT NULL, item_id integer NOT NULL, "
        "language varchar(10) NOT NULL, original_language varchar(10) NOT NULL, "
        "year integer, title text NOT NULL, body text NOT NULL)",
        "CREATE INDEX archive_search_title_trgm ON archive_search "
        "USING gin (title gin_trgm_ops)",
        "CREATE INDEX archive_search_body_trgm ON archive_search "
        "USING gin (body gin_trgm_ops)",
    ]
    statements += cover_indexes()
    for source in SOURCES:
        statements += _pg_trigger(source)
    statements += _pg_name_trigger()
    statements += postgresql_short_index()
    statements += postgresql_rebuild()
    return statements


def _pg_trigger(source: Source) -> list[str]:
    name = f"archive_search_{source.kind}"
    inserts = ";\n    ".join(insert_rows(source, "NEW", "postgresql"))
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\n"
        "BEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN\n"
        f"    DELETE FROM archive_search WHERE {_range('OLD', source, 'id')};\n"
        "  END IF;\n"
        "  IF TG_OP <> 'DELETE' THEN\n"
        f"    DELETE FROM archive_search WHERE {_range('NEW', source, 'id')};\n"
        f"    {inserts};\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {source.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        # TRUNCATE (Django's flush) fires no row trigger.
        f"CREATE OR REPLACE FUNCTION {name}_truncate() RETURNS trigger AS $$\n"
        f"BEGIN DELETE FROM archive_search WHERE kind = '{source.kind}'; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {source.table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_truncate()",
    ]


def _pg_name_trigger() -> list[str]:
    person = SOURCES[1]
    per_row = SLOTS * len(SOURCES)
    names = _names("p.id").format(agg="string_agg(name, ' ' ORDER BY name)")

    def refresh(person_id: str) -> str:
        rowid = f"({person_id} * {per_row} + {person.number * SLOTS} + {NAMES_SLOT})"
        return (
            f"DELETE FROM archive_search WHERE id = {rowid};\n"
            "    INSERT INTO archive_search (id, kind, item_id, language, "
            "original_language, year, title, body) "
            f"SELECT {rowid}, 'person', p.id, '', p.original_language, NULL, "
            f"archive_fold({names}), '' FROM archive_person p "
            f"WHERE p.id = {person_id} AND {names} <> ''"
        )

    return [
        "CREATE OR REPLACE FUNCTION archive_search_personname() RETURNS trigger "
        "AS $$\nBEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN\n"
        f"    {refresh('OLD.person_id')};\n"
        "  END IF;\n"
        "  IF TG_OP <> 'DELETE' THEN\n"
        f"    {refresh('NEW.person_id')};\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER archive_search_personname AFTER INSERT OR UPDATE OR DELETE "
        "ON archive_personname FOR EACH ROW EXECUTE FUNCTION "
        "archive_search_personname()",
    ]


def postgresql_rebuild() -> list[str]:
    statements = ["DELETE FROM archive_search"]
    for source in SOURCES:
        statements += insert_rows(
            source, "t", "postgresql", from_clause=f"FROM {source.table} t"
        )
    return statements


def postgresql_drop() -> list[str]:
    statements = []
    for source in SOURCES:
        name = f"archive_search_{source.kind}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {source.table}",
            f"DROP TRIGGER IF EXISTS {name}_truncate ON {source.table}",
            f"DROP FUNCTION IF EXISTS {name}()",
            f"DROP FUNCTION IF EXISTS {name}_truncate()",
        ]
    return [
        *statements,
        *drop_cover_indexes(),
        "DROP TRIGGER IF EXISTS archive_search_personname ON archive_personname",
        "DROP FUNCTION IF EXISTS archive_search_personname()",
        "DROP TABLE IF EXISTS archive_search",
        "DROP FUNCTION IF EXISTS archive_fold(text)",
        "DROP FUNCTION IF EXISTS archive_spaced(text)",
    ]


def create_statements(vendor: str) -> list[str]:
    return postgresql_create() if vendor == "postgresql" else sqlite_create()


def drop_statements(vendor: str) -> list[str]:
    return postgresql_drop() if vendor == "postgresql" else sqlite_drop()


def rebuild_statements(vendor: str) -> list[str]:
    return postgresql_rebuild() if vendor == "postgresql" else sqlite_rebuild()
