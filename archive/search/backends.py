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

    def title_score(self, query: Query) -> tuple[str, list[str]]:
        parts = ["(instr(s.title, %s) > 0)" for _ in query.terms]
        return " + ".join(parts), [t.text for t in query.terms]


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


class PostgreSQLBackend:
    """``pg_trgm``: each term a ``LIKE '%…%'`` on the folded title or text, which
    the GIN trigram indexes answer (a short Latin term: a word start)."""

    vendor = "postgresql"

    def conditions(self, query: Query) -> tuple[list[str], list[str]]:
        where, params = [], []
        for term in query.terms:
            if term.short and not is_cjk(term.text):
                pattern = r"\m" + re.sub(r"(\W)", r"\\\1", term.text)
                where.append("(s.title ~ %s OR s.body ~ %s)")
            else:
                pattern = _like(term.text)
                where.append("(s.title LIKE %s OR s.body LIKE %s)")
            params += [pattern, pattern]
        return where, params

    def title_score(self, query: Query) -> tuple[str, list[str]]:
        parts = ["(CASE WHEN strpos(s.title, %s) > 0 THEN 1 ELSE 0 END)"] * len(
            query.terms
        )
        return " + ".join(parts), [t.text for t in query.terms]


def backend_for(vendor: str) -> SQLiteBackend | PostgreSQLBackend:
    if vendor == "postgresql":
        return PostgreSQLBackend()
    if vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"Search has no backend for {vendor}.")
