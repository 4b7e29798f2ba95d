"""Search across articles, people (with their other names), events and images.

One module, two users: the public search page (``archive.views.search``) and the
admin's change-list search (``archive.admin.common``). Both read the database's own
index (``schema``: SQLite FTS5 trigram, PostgreSQL ``pg_trgm``), kept current by
triggers; the query language and folding are ``text``; the SQL per vendor is
``backends``. A search finds at most ``MAX_RESULTS`` items (best first), cached per
content version (``archive.counting``), so paging and facets cost no new scan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL

from archive.counting import cached_count
from archive.models import Article, Event, Person

from .backends import backend_for
from .schema import KINDS
from .text import Query, parse_query

__all__ = [
    "KINDS",
    "MAX_RESULTS",
    "Hit",
    "Results",
    "Query",
    "admin_matches",
    "find",
    "parse_query",
]

# Index rows read per search (an item has up to one a language, and other names).
MAX_ROWS = 3000
MAX_RESULTS = 1000
KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Hit:
    """One item found: the index row that matched best (its language)."""

    kind: str
    item_id: int
    language: str  # "" for a person's other names
    original_language: str
    year: int | None
    title_hits: int


@dataclass
class Results:
    """Every item a search found (up to ``MAX_RESULTS``), best first."""

    hits: list[Hit]
    truncated: bool
    # (kind, item id) → ids of the people it is about or mentions.
    people: dict[tuple[str, int], set[int]] = field(default_factory=dict)

    def filtered(
        self,
        *,
        kind: str = "",
        language: str = "",
        year: int | None = None,
        person: int | None = None,
    ) -> list[Hit]:
        return [
            hit
            for hit in self.hits
            if (not kind or hit.kind == kind)
            and (not language or hit.original_language == language)
            and (year is None or hit.year == year)
            and (person is None or person in self.people_of(hit))
        ]

    def people_of(self, hit: Hit) -> set[int]:
        return self.people.get((hit.kind, hit.item_id), set())

    def facet_counts(self, hits: list[Hit], dimension: str) -> Counter:
        if dimension == "person":
            counts: Counter = Counter()
            for hit in hits:
                counts.update(self.people_of(hit))
            return counts
        return Counter(
            getattr(hit, dimension)
            for hit in hits
            if getattr(hit, dimension) not in (None, "")
        )


def _visible(include_drafts: bool) -> tuple[str, list[str]]:
    """The rows of items the public may see (or, for the admin, that exist)."""
    published = Article.Status.PUBLISHED.value
    if include_drafts:
        return (
            "(a.id IS NOT NULL OR p.id IS NOT NULL OR e.id IS NOT NULL "
            "OR i.id IS NOT NULL)",
            [],
        )
    return (
        "(a.status = %s OR p.id IS NOT NULL OR e.id IS NOT NULL "
        "OR (i.id IS NOT NULL AND (i.article_id IS NULL OR ia.status = %s)))",
        [published, published],
    )


_JOINS = (
    "LEFT JOIN archive_article a ON s.kind = 'article' AND a.id = s.item_id "
    "LEFT JOIN archive_person p ON s.kind = 'person' AND p.id = s.item_id "
    "LEFT JOIN archive_event e ON s.kind = 'event' AND e.id = s.item_id "
    "LEFT JOIN archive_image i ON s.kind = 'image' AND i.id = s.item_id "
    "LEFT JOIN archive_article ia ON ia.id = i.article_id"
)


def _matching_rows(
    query: Query, *, include_drafts: bool = False
) -> list[tuple[str, int, str, str, int | None, int]]:
    backend = backend_for(connection.vendor)
    where, params = backend.conditions(query)
    score, score_params = backend.title_score(query)
    visible, visible_params = _visible(include_drafts)
    kind_order = " ".join(f"WHEN '{k}' THEN {n}" for k, n in KIND_ORDER.items())
    sql = (
        f"SELECT s.kind, s.item_id, s.language, s.original_language, s.year, "
        f"{score} AS title_hits FROM archive_search s {_JOINS} "
        f"WHERE {' AND '.join(where)} AND {visible} "
        f"ORDER BY title_hits DESC, CASE s.kind {kind_order} END, "
        f"s.year DESC NULLS LAST, s.item_id DESC LIMIT {MAX_ROWS}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *params, *visible_params])
        return cursor.fetchall()


def _best_rows(rows, language: str) -> list[Hit]:
    """One hit an item: its best row (title match, then the reader's language,
    then the item's original language), in the order the items first appear."""
    best: dict[tuple[str, int], Hit] = {}
    order: dict[tuple[str, int], int] = {}
    for position, (kind, item_id, lang, original, year, title_hits) in enumerate(rows):
        hit = Hit(kind, item_id, lang or "", original, year, int(title_hits or 0))
        key = (kind, item_id)
        current = best.get(key)
        if current is None:
            order[key] = position
            best[key] = hit
        elif _preference(hit, language) > _preference(current, language):
            best[key] = hit
    return sorted(best.values(), key=lambda h: order[(h.kind, h.item_id)])


def _preference(hit: Hit, language: str) -> tuple[int, bool, bool, bool]:
    return (
        hit.title_hits,
        hit.language == language,
        hit.language == hit.original_language,
        hit.language != "",
    )


def _people_links(hits: list[Hit]) -> dict[tuple[str, int], set[int]]:
    """Who each found item is about: a person itself, the people an article or an
    event names (one query)."""
    links: dict[tuple[str, int], set[int]] = defaultdict(set)
    ids: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        ids[hit.kind].append(hit.item_id)
        if hit.kind == "person":
            links["person", hit.item_id].add(hit.item_id)
    parts, params = [], []
    for kind, through, column in (
        ("article", Article.people.through, "article_id"),
        ("event", Event.people.through, "event_id"),
    ):
        if ids[kind]:
            marks = ", ".join(["%s"] * len(ids[kind]))
            parts.append(
                f"SELECT '{kind}', {column}, person_id FROM "
                f"{through._meta.db_table} WHERE {column} IN ({marks})"
            )
            params += ids[kind]
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, item_id, person_id in cursor.fetchall():
                links[kind, item_id].add(person_id)
    return dict(links)


def find(query: Query, *, language: str) -> Results:
    """The published items matching ``query``, best first; ``language`` is the
    reader's, preferred when an item matches in several."""
    if not query:
        return Results(hits=[], truncated=False)
    hits, truncated, people = cached_count(
        "search", lambda: search_uncached(query, language=language), query.key, language
    )
    return Results(hits=[Hit(*h) for h in hits], truncated=truncated, people=people)


def search_uncached(query: Query, *, language: str) -> tuple[list[tuple], bool, dict]:
    """What ``find`` caches: the hits (as tuples), whether they were cut at
    ``MAX_RESULTS``, and the people of each (two queries; the bench times it)."""
    rows = _matching_rows(query)
    hits = _best_rows(rows, language)
    truncated = len(rows) >= MAX_ROWS or len(hits) > MAX_RESULTS
    hits = hits[:MAX_RESULTS]
    return [tuple(vars(h).values()) for h in hits], truncated, _people_links(hits)


def admin_matches(kind: str, text: str) -> RawSQL | None:
    """A subquery of the ids of ``kind`` items (drafts too) matching ``text``, for
    an admin change list: ``queryset.filter(pk__in=admin_matches(...))``. None when
    ``text`` has nothing to search for."""
    query = parse_query(text)
    if not query:
        return None
    backend = backend_for(connection.vendor)
    where, params = backend.conditions(query)
    sql = (
        f"SELECT s.item_id FROM archive_search s WHERE s.kind = %s AND "
        f"{' AND '.join(where)}"
    )
    return RawSQL(sql, [kind, *params])


def person_by_key(key: str) -> Person | None:
    if not key or "\x00" in key:
        return None
    return Person.objects.filter(key=key).only("id", "key").first()
