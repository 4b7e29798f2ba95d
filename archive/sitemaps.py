"""The sitemap: every public page in every language, with its hreflang alternates.

``/sitemap.xml`` is an index of sections (``SITEMAPS``: the list pages, articles,
people, events, images), each split into pages of ``URLS_PER_PAGE`` addresses
(``/sitemap-articles.xml?p=2``). Every address lists the same page in every
language and an ``x-default`` (the default language's, as the pages' own
``<link rel="alternate">`` do).

Django's i18n sitemaps build the list of every (item, language) pair to cut one
page out of it, so each section page would load every row. Here a section pages
through its queryset instead: a section page costs one query for its rows, and
the index one cached count and one cached latest date per section, at any size.
Drafts are never listed (``archive.selectors`` decides what is public); a
preview's address is only ever a draft's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Model, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

from archive import selectors
from archive.counting import cached_count
from archive.languages import LANGUAGE_CODES, bcp47, localized
from archive.models import Event, Person

# Addresses per section page: well under the protocol's 50,000 (and 50 MB), so a
# page of 10,000 articles' section renders in bounded time.
URLS_PER_PAGE = 1500

_SLUG_COLUMNS = [localized("slug", code) for code in LANGUAGE_CODES]
_PLACEHOLDER = "sitemap-value"
# What reverse() leaves unquoted in a path (django.urls.resolvers).
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


class _LanguagePairs(Sequence):
    """(item, language) for every item of a queryset and every language, item by
    item: sliced, it fetches only the items the slice touches."""

    def __init__(self, sitemap: ItemSitemap) -> None:
        self.sitemap = sitemap
        self.languages = len(LANGUAGE_CODES)

    def count(self) -> int:  # Paginator calls count() when there is one
        return self.sitemap.item_count() * self.languages

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        first, last = start // self.languages, math.ceil(stop / self.languages)
        # The page's keys along the list's index (a narrow sort), then its rows:
        # an OFFSET over whole article rows would read every body before them.
        items = self.sitemap.items()
        keys = list(items.values_list("pk", flat=True)[first:last])
        rows = {item.pk: item for item in items.filter(pk__in=keys)}
        items = [rows[key] for key in keys if key in rows]
        pairs = [(item, code) for item in items for code in LANGUAGE_CODES]
        offset = start - first * self.languages
        return pairs[offset : offset + stop - start]

    def __iter__(self) -> Iterator:
        for item in self.sitemap.items():
            for code in LANGUAGE_CODES:
                yield item, code


def _alternates_xml(alternates: list[dict]) -> SafeString:
    return format_html_join(
        "",
        '<xhtml:link rel="alternate" hreflang="{}" href="{}"/>',
        ((alternate["lang_code"], alternate["location"]) for alternate in alternates),
    )


class LanguageSitemap(Sitemap):
    """Each entry is a page in one language, listing itself in every language."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_PAGE
    latest_lastmod = None

    def path_in(self, item: Any, language: str) -> str:
        with translation.override(language):
            return self.location(item)

    def paths_of(self, item: Any) -> dict[str, str]:
        """The item's path in every language."""
        return {language: self.path_in(item, language) for language in LANGUAGE_CODES}

    def lastmod(self, item: Any):
        return None

    def links_of(
        self, item: Any, origin: str
    ) -> tuple[dict[str, str], list[dict], SafeString]:
        """The item's absolute address in every language, its alternates (every
        language and x-default) and those written as XML."""
        paths = self.paths_of(item)
        known = {language: f"{origin}{path}" for language, path in paths.items()}
        alternates = [
            {"location": known[language], "lang_code": bcp47(language)}
            for language in LANGUAGE_CODES
        ]
        alternates.append(
            {"location": known[settings.LANGUAGE_CODE], "lang_code": "x-default"}
        )
        return known, alternates, _alternates_xml(alternates)

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        protocol = self.get_protocol(protocol)
        domain = self.get_domain(site)
        urls: list[dict] = []
        # Each item's addresses and links, once for its entries (one a language).
        links: dict[int, tuple[dict[str, str], list[dict], SafeString]] = {}
        latest = None
        for item, code in self.paginator.page(page).object_list:
            if id(item) not in links:
                links[id(item)] = self.links_of(item, f"{protocol}://{domain}")
            known, alternates, alternates_xml = links[id(item)]
            lastmod = self.lastmod(item)
            if lastmod is not None and (latest is None or lastmod > latest):
                latest = lastmod
            urls.append(
                {
                    "item": (item, code),
                    "location": known[code],
                    "lastmod": lastmod,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                    # What templates/sitemap_section.xml prints: the same links,
                    # written once per item (a page has thousands).
                    "alternates_xml": alternates_xml,
                    "lastmod_date": (
                        timezone.localtime(lastmod).date().isoformat()
                        if lastmod
                        else ""
                    ),
                }
            )
        self.latest_lastmod = latest
        return urls


class StaticPagesSitemap(LanguageSitemap):
    """The home page and the list pages."""

    url_names = (
        "archive:home",
        "archive:article_list",
        "archive:person_list",
        "archive:timeline",
        "archive:image_list",
    )

    def items(self) -> list[str]:
        return list(self.url_names)

    @property
    def paginator(self) -> Paginator:
        pairs = [(name, code) for name in self.url_names for code in LANGUAGE_CODES]
        return Paginator(pairs, self.limit)

    def location(self, item: str) -> str:
        return reverse(item)

    def get_latest_lastmod(self):
        return None


class ItemSitemap(LanguageSitemap):
    """The pages of one model's public items, in an order an index gives."""

    name = ""
    # The detail page's URL name and keyword, and the item's value for it.
    url_name = ""
    url_kwarg = "slug"
    # What an entry reads of an item: its address in every language and its date.
    columns: tuple[str, ...] = (
        "pk",
        "key",
        "original_language",
        "updated_at",
        *_SLUG_COLUMNS,
    )

    def ordered(self) -> QuerySet:
        """The public items, ordered along an index."""
        raise NotImplementedError

    def queryset(self) -> QuerySet:
        return self.ordered().only(*self.columns)

    def items(self) -> QuerySet:
        return self.queryset()

    def url_value(self, item: Model, language: str) -> str:
        return item.slug_for(language)

    def paths_of(self, item: Model) -> dict[str, str]:
        # ``reverse()`` once per language for the whole page (a page has
        # thousands of addresses), then the item's value put in, quoted as
        # ``reverse()`` quotes it.
        templates = self._templates
        return {
            language: templates[language].replace(
                _PLACEHOLDER, quote(self.url_value(item, language), safe=_URL_SAFE)
            )
            for language in LANGUAGE_CODES
        }

    @functools.cached_property
    def _templates(self) -> dict[str, str]:
        templates = {}
        for language in LANGUAGE_CODES:
            with translation.override(language):
                templates[language] = reverse(
                    self.url_name, kwargs={self.url_kwarg: _PLACEHOLDER}
                )
        return templates

    def item_count(self) -> int:
        return cached_count(f"sitemap-{self.name}", self.queryset().count)

    @property
    def paginator(self) -> Paginator:
        return Paginator(_LanguagePairs(self), self.limit)

    def location(self, item: Model) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Model):
        return item.updated_at

    def get_latest_lastmod(self):
        return cached_count(
            f"sitemap-{self.name}-lastmod",
            lambda: self.queryset().aggregate(latest=Max("updated_at"))["latest"],
        )


class ArticleSitemap(ItemSitemap):
    name = "articles"
    url_name = "archive:article_detail"

    def ordered(self) -> QuerySet:
        # The article list's order, along its index (migration 0017).
        return selectors.public_articles()


class PersonSitemap(ItemSitemap):
    name = "people"
    url_name = "archive:person_detail"

    def ordered(self) -> QuerySet:
        return Person.objects.order_by("pk")


class EventSitemap(ItemSitemap):
    name = "events"
    url_name = "archive:event_detail"

    def ordered(self) -> QuerySet:
        return Event.objects.order_by("pk")


class ImageSitemap(ItemSitemap):
    name = "images"
    url_name = "archive:image_detail"
    url_kwarg = "key"
    columns = ("pk", "key", "updated_at")

    def ordered(self) -> QuerySet:
        # The gallery's order, along its index.
        return selectors.public_images_scan().order_by(
            *selectors.image_list().query.order_by
        )

    def url_value(self, item: Model, language: str) -> str:
        return item.key


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticPagesSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
    "events": EventSitemap,
    "images": ImageSitemap,
}
