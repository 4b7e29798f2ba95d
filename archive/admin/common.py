"""What every translated model's admin shares: tabs, language columns, filters.

modeltranslation's tabbed admin serves jQuery UI from our own static files
(``JQUERY_UI_URL``). An item's text is required only in its original language;
the models' ``clean()`` enforces that, so every field ``clean()`` can name must
stay in the admin forms (an error on a field a form lacks is a 500, not a message).
What each role may change is decided by ``RoleAdminMixin`` (``roles.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from archive import search
from archive.dates import edtf_range, format_edtf, validate_edtf
from archive.languages import (
    LANGUAGE_CODES,
    bcp47,
    lacking_language,
    language_choices,
    language_name,
    localized,
)
from archive.links import web_url
from archive.models import Image

from .conflicts import ConflictCheckedAdmin
from .lists import LeanRowsMixin, cached_choices
from .revisions import RevisionAdmin
from .roles import RoleAdminMixin
from .verbatim import VerbatimAdminMixin

THUMBNAIL_SIZE = 96

# Fields every item's form shows side by side.
KEY_FIELDS = ("key", "original_language")
TEXT_ORIGIN_FIELDS = ("text_origin", "text_author")
TIMESTAMP_FIELDS = ("created_at", "updated_at")

Label = str | Promise  # gettext_lazy() gives a Promise
Fieldset = tuple[Label, dict[str, Any]]


# -- helpers -------------------------------------------------------------------
def columns(*fields: str) -> tuple[str, ...]:
    """Every language column of ``fields``: search must name them (modeltranslation
    filters only the active language's column otherwise)."""
    return tuple(localized(field, code) for field in fields for code in LANGUAGE_CODES)


def original_text(field: str) -> models.Case:
    """The column of ``field`` in each row's own original language, for sorting."""
    return models.Case(
        *[
            models.When(original_language=code, then=models.F(localized(field, code)))
            for code in LANGUAGE_CODES
        ],
        default=models.Value(""),
        output_field=models.CharField(),
    )


@functools.lru_cache(maxsize=256)
def language_badges_html(
    ui: str | None, original: str, present: tuple[str, ...]
) -> str:
    """The change lists' language badges of an item: the same few combinations on
    every row (original language × languages present), so built once each per UI
    language."""
    badges = []
    for code in LANGUAGE_CODES:
        if code == original:
            state, label = "original", _("original")
        elif code in present:
            state, label = "present", _("translated")
        else:
            state, label = "missing", _("missing")
        badges.append(
            (state, f"{language_name(code)}: {label}", code.split("-")[0].upper())
        )
    return format_html(
        '<span class="archive-langs">{}</span>',
        format_html_join(
            "",
            '<span class="archive-lang archive-lang--{}" title="{}">{}</span>',
            badges,
        ),
    )


def related_count(model: type[models.Model], field: str) -> Coalesce:
    """How many ``model`` rows point at the outer row through ``field``.

    A correlated subquery per count, not a JOIN: several counts on one row do not
    multiply each other, and the list stays one query however many rows it shows.
    """
    rows = (
        model._default_manager.filter(**{field: models.OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)


def count_column(total: str, description: Label) -> Callable[[Any, Any], int]:
    """A change-list column showing the annotation ``total`` (see
    ``MultilingualAdmin.related_counts``), sortable by it."""

    @admin.display(description=description, ordering=total)
    def column(model_admin: Any, obj: models.Model) -> int:
        return getattr(obj, total)

    return column


# -- fieldsets ---------------------------------------------------------------------
# Functions, not constants: modeltranslation rewrites a fieldset's dict in place, so
# no two admins may share one.
def key_fieldset(title: Label, description: Label, *fields: Any) -> Fieldset:
    """An item's first fieldset: its key and original language, then ``fields``."""
    return (title, {"description": description, "fields": (KEY_FIELDS, *fields)})


def text_origin_fieldset() -> Fieldset:
    """Who wrote the archive's own text of the item."""
    return (_("Who wrote this text"), {"fields": (TEXT_ORIGIN_FIELDS,)})


def record_fieldset() -> Fieldset:
    """The articles that mention the item, and when its row was created and changed."""
    return (_("Record"), {"fields": ("mentioned_in", TIMESTAMP_FIELDS)})


def safe_link(url: str, short: bool = False) -> str:
    """A link to ``url`` if it is http(s), else the plain (escaped) text.

    ``short`` shows only the host (the whole address stays in the tooltip).
    """
    label = urlsplit(url).netloc if short else ""
    label = label or Truncator(url).chars(80)
    if web_url(url):
        return format_html(
            '<a href="{}" title="{}" rel="noopener noreferrer" '
            'class="archive-remote-link">{}</a>',
            url,
            url,
            label,
        )
    return format_html("<span>{}</span>", label)


def thumbnail_url(image: Image) -> str:
    """The smallest rendition (a few KB), else the archived file itself."""
    renditions = image.renditions or {}
    if renditions:
        smallest = min(renditions, key=int)
        return image.file.storage.url(renditions[smallest])
    return image.file.url


def image_thumbnail(
    image: Image | None, size: int = THUMBNAIL_SIZE, short: bool = True
) -> str:
    """Our archived copy as a thumbnail; for a remote-only image a badge and a link.

    Never an ``<img>`` on the remote host: the CSP forbids it and the archive
    must work offline.
    """
    if image is None:
        return "—"
    if image.file:
        width, height = image.width or size, image.height or size
        scale = min(1.0, size / max(width, height, 1))
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
            'class="archive-thumb">',
            thumbnail_url(image),
            "" if image.decorative else image.text("alt_text", image.original_language),
            round(width * scale),
            round(height * scale),
        )
    if image.source_url:
        return format_html(
            '<span class="archive-badge archive-badge--remote">{}</span> {}',
            _("not archived"),
            safe_link(image.source_url, short=short),
        )
    return "—"


def edtf_preview(value: str) -> str:
    """How an EDTF value reads in each language, and the sort keys derived from it."""
    if not value:
        return "—"
    try:
        validate_edtf(value)
    except ValidationError:
        # The form shows the error; the instance already holds the bad value.
        return "—"
    rows = []
    for code in LANGUAGE_CODES:
        with translation.override(code):
            rows.append((language_name(code), bcp47(code), format_edtf(value)))
    dates = edtf_range(value)
    return format_html(
        '<dl class="archive-edtf">{}<dt>{}</dt><dd>{} – {}</dd></dl>',
        format_html_join("", '<dt>{}</dt><dd lang="{}">{}</dd>', rows),
        _("Sort keys"),
        dates.start or "…",
        dates.end or "…",
    )


# -- list filters ----------------------------------------------------------------
class MissingLanguageFilter(admin.SimpleListFilter):
    """Items that still lack a language (``archive.languages.has_language``)."""

    title = _("missing language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return language_choices()

    def queryset(self, request, queryset):
        if self.value() not in LANGUAGE_CODES:
            return queryset
        return queryset.filter(lacking_language(queryset.model, self.value()))


class YearFilter(admin.SimpleListFilter):
    """Base for filters by year; subclasses say which years exist and what matches."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # Years come from every row: cached until the table changes (lists.py).
        model = model_admin.model
        years = cached_choices(model, type(self).__name__, lambda: self.years(model))
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.lstrip("-").isdigit():
            return queryset.none()
        return self.in_year(queryset, int(value))

    def years(self, model: type[models.Model]) -> list[int]:
        raise NotImplementedError

    def in_year(self, queryset: models.QuerySet, year: int) -> models.QuerySet:
        raise NotImplementedError


# -- shared admin ------------------------------------------------------------------
class LightChangeList(ChangeList):
    """A change list that leaves long texts (bodies, raw sources) in the database."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.list_defer)


class MultilingualAdmin(
    LeanRowsMixin,
    ConflictCheckedAdmin,
    RoleAdminMixin,
    VerbatimAdminMixin,
    RevisionAdmin,
    TabbedDjangoJqueryTranslationAdmin,
):
    """A tab per language; list columns for the original text and the languages.

    Text input's line endings are normalised, and an unchanged save writes and
    logs nothing (``archive.admin.verbatim``); what a user may change follows their
    role (``archive.admin.roles``); a save from a form older than the stored row is
    refused (``archive.admin.conflicts``); every save leaves a revision to compare
    and restore (``archive.admin.revisions``).
    """

    list_defer: tuple[str, ...] = ()
    # Count columns' annotations: name → (model whose rows point here, their field).
    related_counts: dict[str, tuple[type[models.Model], str]] = {}
    list_per_page = 50
    # "N results (M total)" would count the whole table again on every filtered page.
    show_full_result_count = False
    save_on_top = True

    class Media:
        css = {"all": ("archive/admin/admin.css",)}
        # Listed with what it needs first, so that the merged media keep the order.
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "archive/admin/translation_tabs.js",
        )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        counts = {
            name: related_count(model, field)
            for name, (model, field) in self.related_counts.items()
        }
        return (
            super()
            .get_queryset(request)
            .annotate(original_title=original_text(self.model.TITLE_FIELD), **counts)
        )

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    # The search index's kind of this model's items (archive.search); None: the
    # admin's own search over ``search_fields``.
    search_kind: str | None = None
    # Columns outside the index that a search term may equal exactly, each with
    # what a term must contain to be tried on it (an unindexed column is scanned,
    # so an address is looked for only when the term looks like one).
    search_exact: tuple[tuple[str, str], ...] = (("key", ""),)

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL characters in a query: a hostile or pasted search
        # term (change list or autocomplete) must not become a 500.
        search_term = search_term.replace("\x00", "")
        if self.search_kind is None or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # Every language column at once, through the index (drafts included),
        # or the item's key (URL…) exactly.
        matches = search.admin_matches(self.search_kind, search_term)
        term = search_term.strip()
        condition = models.Q()
        for column, marker in self.search_exact:
            if marker in term:
                condition |= models.Q(**{column: term})
        if matches is not None:
            condition |= models.Q(pk__in=matches)
        return queryset.filter(condition), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Translated columns copy this widget from their original field.
        if db_field.name in ("body", "source_document") and formfield:
            formfield.widget.attrs.update({"rows": 24, "class": "archive-source-text"})
        return formfield

    def original_title_html(self, obj: models.Model) -> str:
        text = getattr(obj, "original_title", "") or obj.text(
            obj.TITLE_FIELD, obj.original_language
        )
        if not text:
            return format_html('<span class="archive-key">{}</span>', obj.key)
        return format_html(
            '<span lang="{}">{}</span>', bcp47(obj.original_language), text
        )

    @admin.display(description=_("title"), ordering="original_title")
    def display_title(self, obj: models.Model) -> str:
        return self.original_title_html(obj)

    @admin.display(description=_("languages"))
    def language_badges(self, obj: models.Model) -> str:
        present = tuple(
            code
            for code in LANGUAGE_CODES
            if code != obj.original_language and obj.has_language(code)
        )
        return language_badges_html(
            translation.get_language(), obj.original_language, present
        )

    @admin.display(description=_("mentioned in"))
    def mentioned_in(self, obj: models.Model) -> str:
        if obj.pk is None:
            return "—"
        articles = obj.articles.only(
            "pk", "key", "original_language", *columns("title")
        ).order_by("-published_at")
        if not articles:
            return "—"
        return format_html(
            '<ul class="archive-plain-list">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}" lang="{}">{}</a></li>',
                (
                    (
                        reverse("admin:archive_article_change", args=[article.pk]),
                        bcp47(article.original_language),
                        article,
                    )
                    for article in articles
                ),
            ),
        )
