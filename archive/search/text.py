"""Search text: folding, the query language, and snippets with their matches.

The index stores every text *folded* (``fold``): compatibility forms unified
(full-width ``Ａ`` → ``A``, half-width ``ｶ`` → ``カ``), Latin diacritics dropped
(``café`` → ``cafe``) and lower-cased. Only the combining marks of the Latin,
Greek and Cyrillic block (U+0300–U+036F) are dropped, so the kana voicing marks
stay (``ド`` is not ``ト``). The query is folded the same way, so a match is a
substring match of folded texts; PostgreSQL's ``archive_fold()`` (migration 0019)
is the same function in SQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Terms shorter than this (folded) cannot use a trigram index.
TRIGRAM = 3
MAX_QUERY_CHARS = 200
MAX_TERMS = 8

_LATIN_MARKS = re.compile("[\u0300-\u036f]")
# Han, kana, Hangul and CJK punctuation: written without spaces between words.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f]"
)
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')


def fold(text: str | None) -> str:
    """``text`` as the index stores it (see the module docstring)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).lower()


def spaced(text: str | None) -> str:
    """Folded text with a space around every CJK character: the short-query index
    (SQLite) reads each as a word, so a one- or two-character query is a phrase."""
    if not text:
        return ""
    return _CJK.sub(lambda m: f" {m.group()} ", text)


def is_cjk(text: str) -> bool:
    return bool(text) and all(_CJK.match(ch) or ch.isspace() for ch in text)


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, or a quoted phrase (folded)."""

    text: str
    phrase: bool = False

    @property
    def short(self) -> bool:
        return len(self.text) < TRIGRAM


@dataclass(frozen=True)
class Query:
    """A parsed search: the terms (all required) and the text as typed, cleaned."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def key(self) -> str:
        """What identifies the search for caching: its terms, folded."""
        return "\x1f".join(("p:" if t.phrase else "w:") + t.text for t in self.terms)


def clean_query(raw: str | None) -> str:
    """The query as typed, without control characters, spaces collapsed and cut to
    ``MAX_QUERY_CHARS`` (PostgreSQL refuses NUL; nobody types 1,000 characters)."""
    if not raw:
        return ""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in raw[: MAX_QUERY_CHARS * 2]
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def parse_query(raw: str | None) -> Query:
    """Words and "quoted phrases"; every one must match (at most ``MAX_TERMS``).

    Nothing the user types is syntax for the database: each term becomes a quoted
    string (FTS5) or an escaped pattern (LIKE), so ``NEAR(``, ``*``, ``AND OR`` are
    searched for as text. Punctuation-only words are dropped.
    """
    text = clean_query(raw)
    terms: list[Term] = []
    seen: set[str] = set()
    for match in _QUERY_PART.finditer(text):
        phrase = match.group(1) is not None
        value = fold(match.group(1) if phrase else match.group(2)).strip()
        value = " ".join(value.split())
        if not value or not any(ch.isalnum() for ch in value) or value in seen:
            continue
        seen.add(value)
        terms.append(Term(value, phrase=phrase and " " in value))
        if len(terms) == MAX_TERMS:
            break
    return Query(text=text, terms=tuple(terms))


# -- snippets ------------------------------------------------------------------------
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(
    r"(^|\n)\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)|[*_`~]{1,3}"
)
_HTML_TAG = re.compile(r"<[^>]{0,200}>")


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it, roughly: what a snippet quotes."""
    text = _MD_IMAGE.sub(r"\1", markdown or "")
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _MD_MARKUP.sub(r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Part:
    """A piece of a snippet; ``marked`` pieces are matches (shown in ``<mark>``)."""

    text: str
    marked: bool = False


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


def _spans(folded: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        needle = term.text
        if term.short and not is_cjk(needle):
            # A short Latin query matches the start of words (the index's rule).
            pattern = re.compile(r"(?<!\w)" + re.escape(needle))
        else:
            pattern = re.compile(re.escape(needle))
        spans.extend(m.span() for m in pattern.finditer(folded))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: tuple[Term, ...]) -> list[Part]:
    """``text`` whole, its matches marked."""
    return snippet(text, terms, width=len(text) + 1)


def snippet(
    text: str, terms: tuple[Term, ...], *, width: int | None = None
) -> list[Part]:
    """About ``width`` characters of ``text`` around its first match, matches marked;
    the start of the text when nothing matches (the match was elsewhere). CJK text
    says as much in about half the characters, and gets half the width."""
    if not text:
        return []
    if width is None:
        sample = text[:200]
        cjk = sum(1 for ch in sample if _CJK.match(ch))
        width = 110 if cjk * 2 > len(sample) else 200
    folded, where = _folded_with_map(text)
    spans = [
        (where[start], where[end - 1] + 1)
        for start, end in _spans(folded, terms)
        if end > start
    ]
    first = spans[0][0] if spans else 0
    begin = max(0, first - width // 3) if spans else 0
    end = min(len(text), begin + width)
    if end == len(text):
        begin = max(0, end - width)
    parts: list[Part] = []
    if begin > 0:
        parts.append(Part("…"))
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        if start > cursor:
            parts.append(Part(text[cursor:start]))
        parts.append(Part(text[start:stop], marked=True))
        cursor = stop
    if cursor < end:
        parts.append(Part(text[cursor:end]))
    if end < len(text):
        parts.append(Part("…"))
    return parts
