"""Reads for the public pages: what the public may see, and everything a page shows.

Each selector owns its ``select_related``/``prefetch_related`` so that a page costs a
fixed number of queries however many people, events or images an item has;
templates only walk what these functions return. Translated columns are named
explicitly (``slug_ja``…): modeltranslation would otherwise rewrite a lookup to the
active language's column only.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractYear
from django.db.models.query import RawQuerySet
from django.utils.translation import get_language

from archive.counting import cached_count
from archive.models import (
    Article,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
)
from archive.models.common import LANGUAGE_CODES, localized

HOME_ARTICLES = 5
HOME_EVENTS = 6
HOME_PEOPLE = 12
# A person's page shows the first of their events and articles, then links to all.
PERSON_EVENTS = 10
PERSON_ARTICLES = 10
# An event's page lists this many of the articles that mention it.
EVENT_ARTICLES = 20
# Up to this many people, a filter offers them all in a <select>; beyond, a text field.
PERSON_CHOICES = 50

ArticlePeople = Article.people.through
EventPeople = Event.people.through
ArticleEvents = Article.events.through


# -- what the public may see ---------------------------------------------------------
def public_articles() -> QuerySet[Article]:
    """Published articles, newest first (undated ones last on every database)."""
    return Article.objects.published().order_by(
        F("published_at").desc(nulls_last=True), "key"
    )


def public_images() -> QuerySet[Image]:
    """Images not tied to an unpublished article (a lookup by the article's primary
    key per image, so that lists can walk an index of images in order). Said as
    NOT EXISTS, without an OR: PostgreSQL plans ``article IS NULL OR EXISTS (…)``
    as a hashed subplan that reads every published article on each query."""
    # The statuses other than published, by name: an equality the article
    # status index answers, where "status <> published" would read every article.
    hidden = [status for status in Article.Status if status != Article.Status.PUBLISHED]
    unpublished = Article.objects.filter(status__in=hidden, pk=OuterRef("article_id"))
    return Image.objects.filter(~Exists(unpublished))


def public_images_scan() -> QuerySet[Image]:
    """The images of ``public_images()``, for reads that walk all of them (counts,
    the sitemap): the unpublished articles (few, along the status index) are found
    once, instead of one article lookup per image. ``public_images()`` stays the
    one for pages that stop after a few rows in an indexed order."""
    unpublished = Article.objects.exclude(status=Article.Status.PUBLISHED)
    return Image.objects.exclude(article__in=unpublished.values("pk"))


def _people_ordered() -> QuerySet[Person]:
    return Person.objects.order_by("sort_name", "key")


def _events_ordered() -> QuerySet[Event]:
    """Events by earliest possible day; undated ones last on every database."""
    return Event.objects.order_by(
        F("date_start").asc(nulls_last=True), "date_end", "date_order", "key"
    )


def _cited_article_columns(relation: str) -> list[str]:
    """The columns of an article that a citation or a link's origin shows."""
    columns = (
        *(localized(f, code) for f in ("title", "slug") for code in LANGUAGE_CODES),
        "key",
        "original_language",
        "ai_generated",
        "machine_translated",
        "status",
    )
    return [f"{relation}__{column}" for column in columns]


def _citations(model: type[EventCitation | PersonFactCitation]) -> Prefetch:
    """A claim's sources with the few columns of their article that a citation
    shows (title, slug, flags); sources in unpublished articles are left out."""
    citations = (
        model.objects.filter(article__status=Article.Status.PUBLISHED)
        .select_related("article")
        .only(
            "position",
            "locator",
            "quote",
            *(localized("reading", code) for code in LANGUAGE_CODES),
            f"{model.CLAIM_FIELD}_id",
            "article_id",
            *_cited_article_columns("article"),
        )
        .order_by("position", "pk")
    )
    return Prefetch("citations", queryset=citations)


def _events_with_sources() -> QuerySet[Event]:
    return _events_ordered().prefetch_related(_citations(EventCitation))


def _slug_candidates[M: Model](queryset: QuerySet[M], slug: str) -> QuerySet[M]:
    """The items of ``queryset`` whose slug in any language, or whose key, is
    ``slug``: at most one per column."""
    columns = [localized("slug", code) for code in LANGUAGE_CODES]
    condition = Q(key=slug)
    for column in columns:
        condition |= Q(**{column: slug})
    return queryset.filter(condition)[: len(columns) + 1]


def _best_match[M: Model](candidates: list[M], slug: str) -> M | None:
    """Of the items found by ``_slug_candidates``, the one using ``slug`` in the
    active language, else the first."""
    active_column = localized("slug", get_language() or "en")
    for item in candidates:
        if getattr(item, active_column, "") == slug:
            return item
    return candidates[0] if candidates else None


def find_by_slug[M: Model](queryset: QuerySet[M], *, slug: str) -> M | None:
    """The item whose slug in ANY language (or whose key) is ``slug``.

    When two items use the same slug in different languages, the one using it in
    the active language wins, so every canonical URL resolves to its own item.
    """
    if not slug or "\x00" in slug:
        return None  # PostgreSQL refuses NUL characters in a query.
    return _best_match(list(_slug_candidates(queryset, slug)), slug)


# -- home ----------------------------------------------------------------------------
@dataclass
class HomeOverview:
    """Everything the home page shows."""

    article_count: int
    person_count: int
    event_count: int
    image_count: int
    latest_articles: list[Article] = field(default_factory=list)
    highlights: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def home_overview() -> HomeOverview:
    """Counts (cached, see ``archive.counting``), the latest articles, timeline
    highlights (the latest events, in date order, with their sources) and people:
    four queries."""
    dated = _events_with_sources().exclude(date="")
    latest_events = list(dated.reverse()[:HOME_EVENTS])
    return HomeOverview(
        article_count=cached_count("articles", public_articles().count),
        person_count=cached_count("people", Person.objects.count),
        event_count=cached_count("events", Event.objects.count),
        image_count=cached_count("images", public_images().count),
        latest_articles=list(public_articles().for_cards()[:HOME_ARTICLES]),
        highlights=latest_events[::-1],
        people=list(_people_ordered().select_related("portrait")[:HOME_PEOPLE]),
    )


# -- articles ------------------------------------------------------------------------
def article_list(
    *,
    original_language: str | None = None,
    year: int | None = None,
    person: Person | None = None,
) -> QuerySet[Article]:
    """Published articles, optionally filtered (filters are already validated)."""
    articles = public_articles().for_cards()
    if original_language:
        articles = articles.filter(original_language=original_language)
    if year:
        articles = articles.filter(published_at__year=year)
    if person:
        articles = articles.filter(people=person)
    return articles


def article_years() -> list[int]:
    """Years in which published articles appeared, newest first (cached: finding
    them reads every article's date)."""

    def compute() -> list[int]:
        dates = public_articles().exclude(published_at=None).order_by()
        return sorted(
            {d.year for d in dates.dates("published_at", "year")}, reverse=True
        )

    return cached_count("article-years", compute)


def people_with_articles() -> QuerySet[Person]:
    """People that at least one published article mentions."""
    mentioned = _published_links(ArticlePeople.objects.filter(person=OuterRef("pk")))
    return _people_ordered().filter(Exists(mentioned))


def _published_links(links: QuerySet) -> QuerySet:
    """The article–person link rows among ``links`` whose article is published.

    Written as a correlated EXISTS on the article's primary key, not a join: with
    a join, SQLite (without statistics) walks every published article through the
    status index for each person instead of that person's few link rows.
    """
    published = Article.objects.published().filter(pk=OuterRef("article_id"))
    return links.filter(Exists(published))


@dataclass
class PersonChoices:
    """The people a filter offers: all of them when there are few (``complete``),
    else none (the filter is a text field)."""

    people: list[Person]
    complete: bool


def person_choices(people: QuerySet[Person], *, name: str = "") -> PersonChoices:
    """At most ``PERSON_CHOICES`` + 1 rows of ``people``, of the columns an option
    shows (key and names), not the people's bios: one query at any size, none
    when ``name`` is given and the choices are cached under it (per content
    version, as counts are; only whether there are too many when there are)."""

    def compute() -> PersonChoices:
        names = (localized("name", code) for code in LANGUAGE_CODES)
        first = list(
            people.only("key", "original_language", *names)[: PERSON_CHOICES + 1]
        )
        if len(first) > PERSON_CHOICES:
            return PersonChoices([], complete=False)
        return PersonChoices(first, complete=True)

    if not name:
        return compute()
    return cached_count("person-choices", compute, name)


def find_person(people: QuerySet[Person], text: str) -> Person | None:
    """The person among ``people`` whose key, or whose name in any language, is
    ``text`` (names case-insensitively)."""
    condition = Q(key=text)
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"{localized('name', code)}__iexact": text})
    return people.filter(condition).first()


# The columns an article page reads on every request: the rest (bodies, raw
# source, metadata…) only its main content shows, cached apart from the page.
ARTICLE_LONG_COLUMNS = (
    "body",  # modeltranslation's original column
    "source_document",
    "source_metadata",
    *(localized("body", code) for code in LANGUAGE_CODES),
)


# What finding an article page by its address reads: the slugs (the redirect to the
# canonical one), status, last edit and original language (the cache keys of the
# page's head and content). The rest comes only when those are not cached.
ARTICLE_LOOKUP_COLUMNS = (
    "key",
    "status",
    "updated_at",
    "original_language",
    "slug",  # modeltranslation's original column
    *(localized("slug", code) for code in LANGUAGE_CODES),
)


# Stands for the slug in the article lookup's prepared SQL: never a real slug.
_SLUG_PARAMETER = "\x00slug\x00"


@functools.cache
def _article_lookup_sql(alias: str, vendor: str, include_drafts: bool) -> tuple:
    """The SQL and parameters of ``article_lookup``'s query, as the ORM compiles
    it for database ``alias``, with ``_SLUG_PARAMETER`` for the slug: built once
    per process. Building and compiling this query took ~0.5 ms of the ~0.7 ms an
    article page spent on it (the query itself runs in ~0.03 ms)."""
    articles = Article.objects.all() if include_drafts else public_articles()
    queryset = _slug_candidates(articles.only(*ARTICLE_LOOKUP_COLUMNS), _SLUG_PARAMETER)
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def article_lookup(*, slug: str, include_drafts: bool = False) -> Article | None:
    """The article at ``slug`` (as ``find_by_slug``) with only the columns that
    find it and key its cached parts (``ARTICLE_LOOKUP_COLUMNS``): one narrow
    query, no join, its SQL prepared once (``_article_lookup_sql``) and run
    through ``raw()``, which converts the values as the ORM would."""
    if not slug or "\x00" in slug:
        return None  # PostgreSQL refuses NUL characters in a query.
    alias = router.db_for_read(Article)
    sql, params = _article_lookup_sql(alias, connections[alias].vendor, include_drafts)
    values = [slug if value == _SLUG_PARAMETER else value for value in params]
    candidates = list(RawQuerySet(sql, model=Article, params=values, using=alias))
    return _best_match(candidates, slug)


def article_head(*, pk: int) -> Article | None:
    """The article ``pk`` (found by ``article_lookup``) without its long texts
    (bodies in every language, the raw source), with its cover: what an article
    page's head and "Cite this" read. One query; None if it was deleted since.
    The main content (the body, images, people…) comes from
    ``prefetch_article_page``, only when that content is not cached."""
    articles = Article.objects.defer(*ARTICLE_LONG_COLUMNS).select_related(
        "cover_image"
    )
    return articles.filter(pk=pk).first()


def article_for_citation(*, slug: str) -> Article | None:
    """A published article for its citation downloads, without the long texts
    (bodies, summaries, the raw source): one query. Drafts are never cited."""
    return find_by_slug(public_articles().for_cards(), slug=slug)


def prefetch_article_page(article: Article) -> None:
    """Fetch the rest of the article's columns, its cover, images, people, events,
    translation records and references: seven queries, whatever their number."""
    article.refresh_from_db(fields=sorted(article.get_deferred_fields()))
    prefetch_related_objects(
        [article],
        "cover_image",
        Prefetch("images", queryset=Image.objects.order_by("position", "key")),
        Prefetch("people", queryset=_people_ordered().defer("bio")),
        Prefetch("events", queryset=_events_with_sources().defer("description")),
        "translations",
        "references",
    )


# -- people --------------------------------------------------------------------------
def person_list() -> QuerySet[Person]:
    """Everyone in name order, with their portrait (one page at a time: the counts
    come from ``add_person_counts`` for the page's rows only)."""
    return _people_ordered().select_related("portrait").defer("bio")


def add_person_counts(people: Iterable[Person]) -> None:
    """Set ``article_count`` (published) and ``event_count`` on each of ``people``:
    two queries grouped over the link rows of these people only (indexed)."""
    people = list(people)
    ids = [person.pk for person in people]
    articles = dict(
        _published_links(ArticlePeople.objects.filter(person_id__in=ids))
        .order_by()
        .values_list("person_id")
        .annotate(Count("pk"))
    )
    events = dict(
        EventPeople.objects.filter(person_id__in=ids)
        .order_by()
        .values_list("person_id")
        .annotate(Count("pk"))
    )
    for person in people:
        person.article_count = articles.get(person.pk, 0)
        person.event_count = events.get(person.pk, 0)


@dataclass(frozen=True)
class PersonSummary:
    """How many published articles and events name a person, and the keys of the
    first ones their page shows."""

    article_count: int
    event_count: int
    article_ids: list[int]
    event_ids: list[int]


def _person_summary(person: Person) -> PersonSummary:
    articles = public_articles().filter(
        Exists(ArticlePeople.objects.filter(article=OuterRef("pk"), person=person))
    )
    events = _events_ordered().filter(people=person)
    return PersonSummary(
        article_count=articles.count(),
        event_count=events.count(),
        article_ids=list(articles.values_list("pk", flat=True)[:PERSON_ARTICLES]),
        event_ids=list(events.values_list("pk", flat=True)[:PERSON_EVENTS]),
    )


def person_detail(*, slug: str) -> Person | None:
    """A person with portrait, links (with their source), other names and facts
    (with their sources), the first ``PERSON_EVENTS`` dated events (with their
    sources) and ``PERSON_ARTICLES`` published articles (``first_events``,
    ``first_articles``) and how many there are of each (``event_count``,
    ``article_count``). Which ones and how many are cached (``archive.counting``):
    for someone named by thousands of articles, finding them sorts them all."""
    links = PersonLink.objects.select_related("source").only(
        "person_id", "kind", "url", "source_id", *_cited_article_columns("source")
    )
    facts = PersonFact.objects.order_by("position", "pk").prefetch_related(
        _citations(PersonFactCitation)
    )
    people = (
        _people_ordered()
        .select_related("portrait")
        .prefetch_related(
            Prefetch("links", queryset=links),
            "alternative_names",
            Prefetch("facts", queryset=facts),
        )
    )
    person = find_by_slug(people, slug=slug)
    if person is None:
        return None
    summary = cached_count("person-page", lambda: _person_summary(person), person.pk)
    person.article_count = summary.article_count
    person.event_count = summary.event_count
    person.first_articles = list(
        public_articles().for_cards().filter(pk__in=summary.article_ids)
    )
    person.first_events = list(
        _events_with_sources().defer("description").filter(pk__in=summary.event_ids)
    )
    return person


# -- events --------------------------------------------------------------------------
@dataclass
class YearGroup:
    """The events of one year (``year`` is None for undated events)."""

    year: int | None
    events: list[Event]


def timeline_events(
    *, person: Person | None = None, category: str | None = None
) -> QuerySet[Event]:
    """Events in date order with their people and sources (the timeline shows a
    page of them)."""
    events = (
        _events_with_sources()
        .defer("description")
        .prefetch_related(Prefetch("people", queryset=_people_ordered().defer("bio")))
    )
    if person:
        events = events.filter(people=person)
    if category:
        events = events.filter(category=category)
    return events


def prefetch_event_rows(events: list[Event]) -> None:
    """What a timeline entry shows of an event's relations: its sources and its
    people (for the entries ``archive.fragments`` has not cached yet)."""
    prefetch_related_objects(
        events,
        _citations(EventCitation),
        Prefetch("people", queryset=_people_ordered().defer("bio")),
    )


def group_by_year(events: Iterable[Event]) -> list[YearGroup]:
    """Consecutive events grouped by the year they are listed under."""
    return [
        YearGroup(year, list(group))
        for year, group in itertools.groupby(events, key=lambda event: event.year)
    ]


def timeline(
    *, person: Person | None = None, category: str | None = None
) -> list[YearGroup]:
    """Every matching event, grouped by year: for checks over the whole timeline
    (tests, scripts). The timeline page shows ``timeline_events`` a page at a time."""
    return group_by_year(timeline_events(person=person, category=category))


@dataclass(frozen=True)
class YearCount:
    """How many events start in ``year`` (None: undated), and how many come before."""

    year: int | None
    count: int
    before: int


def timeline_years(
    *, person: Person | None = None, category: str | None = None
) -> list[YearCount]:
    """The timeline's years in order, each with its number of events: the index
    the timeline's pages and its "go to year" are computed from (cached, as it
    groups every event)."""

    def compute() -> list[tuple[int | None, int]]:
        events = timeline_events(person=person, category=category)
        rows = (
            events.prefetch_related(None)
            .order_by()
            .values_list(ExtractYear("date_start"))
            .annotate(Count("pk"))
        )
        return sorted(rows, key=lambda row: (row[0] is None, row[0] or 0))

    rows = cached_count(
        "timeline-years", compute, person.pk if person else None, category
    )
    years, before = [], 0
    for year, count in rows:
        years.append(YearCount(year, count, before))
        before += count
    return years


def people_with_events() -> QuerySet[Person]:
    """People who appear in at least one event (the timeline's person filter)."""
    return _people_ordered().filter(
        Exists(EventPeople.objects.filter(person=OuterRef("pk")))
    )


def event_detail(*, slug: str) -> Event | None:
    """An event with its people, its sources and the latest ``EVENT_ARTICLES``
    published articles that mention it (``first_articles``; ``article_count`` says
    how many in all, cached like a person's)."""
    events = _events_with_sources().prefetch_related(
        Prefetch("people", queryset=_people_ordered().defer("bio"))
    )
    event = find_by_slug(events, slug=slug)
    if event is None:
        return None

    def summary() -> tuple[int, list[int]]:
        articles = public_articles().filter(
            Exists(ArticleEvents.objects.filter(article=OuterRef("pk"), event=event))
        )
        return articles.count(), list(
            articles.values_list("pk", flat=True)[:EVENT_ARTICLES]
        )

    event.article_count, ids = cached_count("event-page", summary, event.pk)
    event.first_articles = list(public_articles().for_cards().filter(pk__in=ids))
    return event


# -- images --------------------------------------------------------------------------
def image_list() -> QuerySet[Image]:
    """The public gallery, grouped by source article (the latest added first), in
    the order they appear in it; images of no article last. The order follows the
    (article, position) index: sorting by the articles' dates would sort every
    image on every page."""
    return public_images().order_by(
        F("article_id").desc(nulls_last=True), "position", "key"
    )


def image_detail(*, key: str) -> Image | None:
    """One public image with its source article."""
    if "\x00" in key:
        return None
    return public_images().select_related("article").filter(key=key).first()
