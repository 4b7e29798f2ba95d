"""Reads for the public pages: what the public may see, and everything a page shows.

Each selector owns its ``select_related``/``prefetch_related`` so that a page costs a
fixed number of queries however many people, events or images an item has;
templates only walk what these functions return. Translated columns are named
explicitly (``slug_ja``…): modeltranslation would otherwise rewrite a lookup to the
active language's column only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.db.models import Count, F, Model, Prefetch, Q, QuerySet
from django.utils.translation import get_language

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


# -- what the public may see ---------------------------------------------------------
def public_articles() -> QuerySet[Article]:
    """Published articles, newest first (undated ones last on every database)."""
    return Article.objects.published().order_by(
        F("published_at").desc(nulls_last=True), "key"
    )


def public_images() -> QuerySet[Image]:
    """Images not tied to an unpublished article."""
    return Image.objects.filter(
        Q(article__isnull=True) | Q(article__status=Article.Status.PUBLISHED)
    )


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


def find_by_slug[M: Model](queryset: QuerySet[M], *, slug: str) -> M | None:
    """The item whose slug in ANY language (or whose key) is ``slug``.

    When two items use the same slug in different languages, the one using it in
    the active language wins, so every canonical URL resolves to its own item.
    """
    if not slug or "\x00" in slug:
        return None  # PostgreSQL refuses NUL characters in a query.
    columns = [localized("slug", code) for code in LANGUAGE_CODES]
    condition = Q(key=slug)
    for column in columns:
        condition |= Q(**{column: slug})
    candidates = list(queryset.filter(condition)[: len(columns) + 1])
    if not candidates:
        return None
    active_column = localized("slug", get_language() or "en")
    for item in candidates:
        if getattr(item, active_column, "") == slug:
            return item
    return candidates[0]


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
    """Counts, the latest articles, timeline highlights (the latest events, in date
    order) and people: seven queries."""
    dated = _events_with_sources().exclude(date="")
    latest_events = list(dated.reverse()[:HOME_EVENTS])
    return HomeOverview(
        article_count=public_articles().count(),
        person_count=Person.objects.count(),
        event_count=Event.objects.count(),
        image_count=public_images().count(),
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
    """Years in which published articles appeared, newest first."""
    return sorted(
        {
            moment.year
            for moment in public_articles()
            .exclude(published_at=None)
            .values_list("published_at", flat=True)
        },
        reverse=True,
    )


def people_with_articles() -> QuerySet[Person]:
    """People that at least one published article mentions."""
    return (
        _people_ordered().filter(articles__status=Article.Status.PUBLISHED).distinct()
    )


def article_detail(*, slug: str, include_drafts: bool = False) -> Article | None:
    """An article with its cover, images, people, events (with their sources),
    translation records and references: seven queries, whatever their number."""
    articles = Article.objects.all() if include_drafts else public_articles()
    articles = articles.select_related("cover_image").prefetch_related(
        Prefetch("images", queryset=Image.objects.order_by("position", "key")),
        Prefetch("people", queryset=_people_ordered()),
        Prefetch("events", queryset=_events_with_sources()),
        "translations",
        "references",
    )
    return find_by_slug(articles, slug=slug)


# -- people --------------------------------------------------------------------------
def person_list() -> QuerySet[Person]:
    """Everyone, with their portrait and how many published articles and events
    mention them: one query."""
    return (
        _people_ordered()
        .select_related("portrait")
        .annotate(
            article_count=Count(
                "articles",
                filter=Q(articles__status=Article.Status.PUBLISHED),
                distinct=True,
            ),
            event_count=Count("events", distinct=True),
        )
    )


def person_detail(*, slug: str) -> Person | None:
    """A person with portrait, links, other names, facts and events (each with
    its sources) and published articles: a fixed number of queries, whatever
    their number."""
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
            Prefetch("events", queryset=_events_with_sources()),
            Prefetch("articles", queryset=public_articles().for_cards()),
        )
    )
    return find_by_slug(people, slug=slug)


# -- events --------------------------------------------------------------------------
@dataclass
class YearGroup:
    """The events of one year (``year`` is None for undated events)."""

    year: int | None
    events: list[Event]


def timeline(
    *, person: Person | None = None, category: str | None = None
) -> list[YearGroup]:
    """Events in date order, grouped by the year they start in, with their people
    and sources."""
    events = _events_with_sources().prefetch_related(
        Prefetch("people", queryset=_people_ordered())
    )
    if person:
        events = events.filter(people=person)
    if category:
        events = events.filter(category=category)
    return [
        YearGroup(year, list(group))
        for year, group in itertools.groupby(events, key=lambda event: event.year)
    ]


def people_with_events() -> QuerySet[Person]:
    """People who appear in at least one event (the timeline's person filter)."""
    return _people_ordered().filter(events__isnull=False).distinct()


def event_detail(*, slug: str) -> Event | None:
    """An event with its people, its sources and the published articles that
    mention it."""
    events = _events_with_sources().prefetch_related(
        Prefetch("people", queryset=_people_ordered()),
        Prefetch("articles", queryset=public_articles().for_cards()),
    )
    return find_by_slug(events, slug=slug)


# -- images --------------------------------------------------------------------------
def image_list() -> QuerySet[Image]:
    """The public gallery, grouped by source article, in the order they appear."""
    return (
        public_images()
        .select_related("article")
        .order_by(
            F("article__published_at").desc(nulls_last=True),
            "article_id",
            "position",
            "key",
        )
    )


def image_detail(*, key: str) -> Image | None:
    """One public image with its source article."""
    if "\x00" in key:
        return None
    return public_images().select_related("article").filter(key=key).first()
