"""What every public page shares: language alternates, canonical link, slug lookup.

``PageMixin`` gives each page the URL of the same page in every language (for the
language switcher and ``<link rel="alternate" hreflang>``) and its canonical URL.
``ItemDetailMixin`` finds an item by its slug in any language and sends the visitor
to the canonical slug for the URL's language with a permanent redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive import structured_data
from archive.counting import cached_count
from archive.languages import bcp47, language_name_local
from archive.page_meta import PageMeta
from archive.paging import at_or_after, page_bookmarks, sort_keys


@dataclass(frozen=True)
class Alternate:
    """This page in one of the site's languages."""

    code: str
    name: str
    lang: str
    url: str
    absolute_url: str
    current: bool


class PageMixin:
    """Alternates in every language, the canonical URL and the navigation section.

    Subclasses say how to build their URL in a language (``get_page_url``) and
    which query parameters are part of the page's identity (``get_query_params``).
    """

    nav_section = ""
    url_name = ""
    # The page's title and meta description when they do not depend on the item
    # (list pages); detail pages override ``get_page_meta``.
    meta_title = ""
    meta_description = ""

    def get_page_url(self) -> str:
        """This page's path in the active language (without query string)."""
        return reverse(self.url_name)

    def get_query_params(self, language: str) -> dict[str, str]:
        """The validated query parameters that identify this page in ``language``."""
        return {}

    def url_in(self, language: str) -> str:
        with translation.override(language):
            path = self.get_page_url()
        params = self.get_query_params(language)
        return f"{path}?{urlencode(params)}" if params else path

    def get_alternates(self) -> list[Alternate]:
        current = get_language()
        alternates = []
        for code, _name in settings.LANGUAGES:
            url = self.url_in(code)
            alternates.append(
                Alternate(
                    code=code,
                    name=language_name_local(code),
                    lang=bcp47(code),
                    url=url,
                    absolute_url=self.request.build_absolute_uri(url),
                    current=code == current,
                )
            )
        return alternates

    def get_canonical_url(self) -> str:
        return self.request.build_absolute_uri(self.url_in(get_language()))

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def site_data(self) -> dict:
        """The archive as a schema.org WebSite (what every page is part of)."""
        with translation.override(get_language()):
            home = reverse("archive:home")
        return structured_data.website(
            name=_("Radford Archive"), url=self.absolute(home)
        )

    def get_page_meta(self) -> PageMeta:
        """Description, OpenGraph, Twitter card and JSON-LD of the page."""
        return PageMeta(
            title=str(self.meta_title), description=str(self.meta_description)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alternates = self.get_alternates()
        context.update(
            alternates=alternates,
            x_default_url=next(
                (
                    alt.absolute_url
                    for alt in alternates
                    if alt.code == settings.LANGUAGE_CODE
                ),
                "",
            ),
            canonical_url=self.get_canonical_url(),
            nav_section=self.nav_section,
            page_meta=self.get_page_meta(),
            # The section's own list page, or a page inside the section.
            nav_current="page" if self.url_name else "true",
        )
        return context


class ItemDetailMixin(PageMixin):
    """Find an item by its slug in any language; 301 to the canonical slug."""

    slug_url_kwarg = "slug"

    def find_object(self, slug: str):
        """The item for ``slug`` (a selector call) or None."""
        raise NotImplementedError

    def get_object(self, queryset=None):
        item = self.find_object(self.kwargs[self.slug_url_kwarg])
        if item is None:
            raise Http404("No such item.")
        return item

    def get_page_url(self) -> str:
        return self.object.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs[self.slug_url_kwarg] != self.object.slug_for(get_language()):
            canonical = self.object.get_absolute_url()
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{canonical}?{query}" if query else canonical
            )
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)


class NarrowSortPaginator(Paginator):
    """Finds a page's rows by their sort keys when it can, else in two steps.

    With ``OFFSET``, a database produces and discards every row before the page.
    When the list's *bookmarks* are known (``archive.paging``: the sort keys of
    each page's first row, computed once and cached), a page is the rows at or
    after its bookmark, ``LIMIT`` its size: as quick on the last page as on the
    first. Otherwise (page 1, a list whose order no bookmark can follow, or a
    bookmark list shorter than the count) the primary keys of the page are sorted
    and sliced on their own (a narrow sort), then the rows with those keys are
    read. The last page is the list's last rows, read in reverse order (the
    index walked backwards from its end). Either way the page's query keeps the
    list's order, deferred columns and prefetches: it is the same queryset,
    limited to the page's rows.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable returning the bookmarks (set by the view; called only for a
        # page after the first, so page 1 never computes them).
        self.bookmarks: Callable[[], list[tuple]] | None = None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return self._get_page(rows[bottom:top], number, self)
        keys = sort_keys(rows) if self.bookmarks and number > 1 else None
        if keys is not None and number == self.num_pages:
            # The last page, read from the end of the list's index backwards.
            last = list(rows.reverse()[: top - bottom])
            return self._get_page(last[::-1], number, self)
        if keys is not None:
            bookmarks = self.bookmarks()
            if number <= len(bookmarks):
                until = bookmarks[number] if number < self.num_pages else None
                start = at_or_after(keys, bookmarks[number - 1], until)
                return self._get_page(rows.filter(start)[: top - bottom], number, self)
        keys = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=keys), number, self)


class ForgivingPaginationMixin:
    """``?page=abc`` → first page, ``?page=99999`` or ``?page=-1`` → last page: a
    list page never answers 404 or 500 to a hand-edited page number."""

    paginator_class = NarrowSortPaginator
    page: Page | None = None
    # When set, the list's length is cached (``archive.counting``) under this name
    # and ``get_count_parts()``: counting every matching row is not repeated; and
    # so are its pages' bookmarks (``archive.paging``), once a page after the
    # first is asked for.
    count_name = ""

    def get_count_parts(self) -> tuple:
        return ()

    def count_rows(self, queryset) -> int:
        """The list's length (a cached count when ``count_name`` is set)."""
        if isinstance(queryset, list | tuple):  # e.g. search hits, already read
            return len(queryset)
        if self.count_name:
            return cached_count(
                self.count_name, queryset.count, *self.get_count_parts()
            )
        return queryset.count()

    def paginate_queryset(self, queryset, page_size):
        paginator: Paginator = self.get_paginator(queryset, page_size)
        # Paginator.count is a cached property: setting it skips the query.
        paginator.count = self.count_rows(queryset)
        if self.count_name and isinstance(paginator, NarrowSortPaginator):
            paginator.bookmarks = partial(
                cached_count,
                f"{self.count_name}-pages",
                partial(page_bookmarks, queryset, page_size),
                page_size,
                *self.get_count_parts(),
            )
        page: Page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        self.page = page
        return paginator, page, page.object_list, page.has_other_pages()

    def page_url(self, number: int) -> str:
        """This list's URL at page ``number``, keeping its valid filters."""
        params = self.get_query_params(get_language())
        params.pop("page", None)
        if number > 1:
            params["page"] = str(number)
        path = self.get_page_url()
        return f"{path}?{urlencode(params)}" if params else path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["previous_page_url"] = (
                self.page_url(page.previous_page_number())
                if page.has_previous()
                else ""
            )
            context["next_page_url"] = (
                self.page_url(page.next_page_number()) if page.has_next() else ""
            )
        return context
