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
from .schema import COVER, KINDS, decode
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

# Index rows read per search (an item has up to one a language, and other names),
# and the items kept: a search never walks the whole archive.
MAX_ROWS = 600
MAX_RESULTS = 300


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


def _ranked_ids(query: Query) -> list[tuple[int, int]]:
    """(index row id, title match) of the matching rows: title matches first,
    then the newest items; each row once, ``MAX_ROWS`` at most."""
    backend = backend_for(connection.vendor)
    sql, params = backend.ranked_ids(query, MAX_ROWS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    seen: set[int] = set()
    ranked = []
    for row_id, title in sorted(fetched, key=lambda r: (-r[1], -r[0])):
        if row_id not in seen:
            seen.add(row_id)
            ranked.append((row_id, int(title)))
    return ranked[:MAX_ROWS]


def _public_items(ids: dict[str, set[int]]) -> dict[tuple[str, int], tuple]:
    """(kind, id) → (original language, year) of the public items among ``ids``
    (drafts and images of drafts left out), read from covering indexes only."""
    backend = backend_for(connection.vendor)
    published = Article.Status.PUBLISHED.value
    cover = {kind: backend.indexed_by(name) for kind, (name, _t, _c) in COVER.items()}
    parts, params = [], []

    def marks(kind: str) -> str:
        params.extend(sorted(ids[kind]))
        return ", ".join(["%s"] * len(ids[kind]))

    if ids.get("article"):
        parts.append(
            f"SELECT 'article', a.id, a.original_language, "
            f"{backend.year('a.published_at')} FROM archive_article a "
            f"{cover['article']} WHERE a.id IN ({marks('article')}) AND a.status = %s"
        )
        params.append(published)
    if ids.get("person"):
        parts.append(
            f"SELECT 'person', p.id, p.original_language, NULL FROM archive_person p "
            f"{cover['person']} WHERE p.id IN ({marks('person')})"
        )
    if ids.get("event"):
        parts.append(
            f"SELECT 'event', e.id, e.original_language, "
            f"{backend.year('e.date_start')} FROM archive_event e {cover['event']} "
            f"WHERE e.id IN ({marks('event')})"
        )
    if ids.get("image"):
        parts.append(
            f"SELECT 'image', i.id, i.original_language, NULL FROM archive_image i "
            f"{cover['image']} LEFT JOIN archive_article ia {cover['article']} "
            f"ON ia.id = i.article_id WHERE i.id IN ({marks('image')}) "
            f"AND (i.article_id IS NULL OR ia.status = %s)"
        )
        params.append(published)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {
            (kind, item_id): (original, year)
            for kind, item_id, original, year in cursor.fetchall()
        }


def _matching_rows(query: Query) -> tuple[list[tuple], bool]:
    """The public rows matching ``query``, best first (two queries), and whether
    more rows matched than were read."""
    found = _ranked_ids(query)
    ranked = [(*decode(row_id), title) for row_id, title in found]
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, item_id, _language, _title in ranked:
        ids[kind].add(item_id)
    public = _public_items(ids)
    rows = []
    for kind, item_id, language, title in ranked:
        facts = public.get((kind, item_id))
        if facts is not None:
            rows.append((kind, item_id, language, facts[0], facts[1], title))
    # Title matches first; then articles, people, events, images; newest first.
    rows.sort(key=lambda r: (-r[5], KINDS.index(r[0]), -(r[4] or 0), -r[1]))
    return rows, len(found) >= MAX_ROWS


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
    rows, truncated = _matching_rows(query)
    hits = _best_rows(rows, language)
    truncated = truncated or len(hits) > MAX_RESULTS
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
