"""The SQL of a search, per database: the match condition and the title score.

Both vendors read the same index rows (``archive.search.schema``) and answer the
same query language (``archive.search.text``); only how a term is matched differs.
"""

from __future__ import annotations

import re

from .text import Query, Term, is_cjk, spaced


def _fts_string(text: str) -> str:
    """An FTS5 string literal: the user's text is never FTS5 syntax."""
    return '"' + text.replace('"', '""') + '"'


class SQLiteBackend:
    """FTS5: trigram for terms of three characters or more, the CJK-spaced
    ``unicode61`` table for shorter ones (a CJK pair is a phrase, a short Latin
    term is a word prefix)."""

    vendor = "sqlite"

    def short_expression(self, term: Term) -> str:
        words = spaced(term.text).split()
        phrase = _fts_string(" ".join(words))
        return phrase if is_cjk(term.text[-1]) else f"{phrase}*"

    def conditions(self, query: Query) -> tuple[list[str], list[str]]:
        """For the admin: conditions on ``archive_search s``."""
        long = [t for t in query.terms if not t.short]
        short = [t for t in query.terms if t.short]
        where, params = [], []
        if long:
            where.append("s.archive_search MATCH %s")
            params.append(" AND ".join(_fts_string(t.text) for t in long))
        if short:
            where.append(
                "s.rowid IN (SELECT rowid FROM archive_search_short "
                "WHERE archive_search_short MATCH %s)"
            )
            params.append(" AND ".join(self.short_expression(t) for t in short))
        return where, params

    def ranked_ids(self, query: Query, limit: int) -> tuple[str, list[str]]:
        """SQL of ``(row id, title match)`` for up to ``limit`` rows whose title
        matches, then up to ``limit`` rows that match anywhere, newest item first.

        Only row ids are read: FTS5 answers them from its index alone, where
        reading a row's columns costs a lookup in its content table per row."""
        long = [t for t in query.terms if not t.short]
        short = [t for t in query.terms if t.short]
        if long:
            table = "archive_search"
            expressions = [_fts_string(t.text) for t in long]
        else:
            table = "archive_search_short"
            expressions = [self.short_expression(t) for t in short]
        everything = " AND ".join(expressions)
        in_title = f"({everything}) AND {{title}} : ({' OR '.join(expressions)})"
        extra, extra_params = "", []
        if long and short:
            extra = (
                " AND rowid IN (SELECT rowid FROM archive_search_short "
                "WHERE archive_search_short MATCH %s)"
            )
            extra_params = [" AND ".join(self.short_expression(t) for t in short)]

        def part(title: int) -> str:
            return (
                f"SELECT * FROM (SELECT rowid AS id, {title} AS title FROM {table} "
                f"WHERE {table} MATCH %s{extra} ORDER BY rowid DESC LIMIT {limit})"
            )

        return (
            f"{part(1)} UNION ALL {part(0)}",
            [in_title, *extra_params, everything, *extra_params],
        )

    def indexed_by(self, index: str) -> str:
        return f"INDEXED BY {index}"

    def year(self, column: str) -> str:
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


class PostgreSQLBackend:
    """``pg_trgm``: each term of three characters or more a ``LIKE '%…%'`` on the
    folded title or text, which the GIN trigram indexes answer. Shorter terms give
    no trigram: they match the ``short`` full-text vector (its GIN index) of the
    same texts with every CJK character a word, as SQLite's short table does: a
    CJK term is a phrase of its characters, a short Latin term a word prefix."""

    vendor = "postgresql"

    def conditions(self, query: Query) -> tuple[list[str], list[str]]:
        where, params = [], []
        for term in query.terms:
            if term.short and not any(is_cjk(ch) for ch in term.text):
                where.append(
                    "s.short @@ to_tsquery('simple', quote_literal(%s) || ':*')"
                )
                params.append(term.text)
            elif term.short:
                where.append("s.short @@ phraseto_tsquery('simple', %s)")
                params.append(spaced(term.text))
            else:
                pattern = _like(term.text)
                where.append("(s.title LIKE %s OR s.body LIKE %s)")
                params += [pattern, pattern]
        return where, params

    def ranked_ids(self, query: Query, limit: int) -> tuple[str, list[str]]:
        """SQL of ``(row id, title match)``: rows matching in their title first,
        then the newest items, ``limit`` rows at most."""
        where, params = self.conditions(query)
        title = " OR ".join(["strpos(s.title, %s) > 0"] * len(query.terms))
        return (
            f"SELECT s.id, CASE WHEN {title} THEN 1 ELSE 0 END AS title "
            f"FROM archive_search s WHERE {' AND '.join(where)} "
            f"ORDER BY title DESC, s.id DESC LIMIT {limit}",
            [*(t.text for t in query.terms), *params],
        )

    def indexed_by(self, index: str) -> str:
        return ""

    def year(self, column: str) -> str:
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def backend_for(vendor: str) -> SQLiteBackend | PostgreSQLBackend:
    if vendor == "postgresql":
        return PostgreSQLBackend()
    if vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"Search has no backend for {vendor}.")
