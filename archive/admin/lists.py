"""What keeps the change lists as fast at 10,000 rows as at ten.

A list page may read only what it shows: one page of rows (walked along an index
on the list's ordering, see migration 0018), counts for that page only, and filter
choices that do not scan the table on every request. Choices derived from every
row (the years a filter offers) are cached under the table's *state*: its row count
and latest ``updated_at``, read in one indexed aggregate, so any save, insert
(bulk ones included: ``auto_now`` applies) or delete shows at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    results,
)
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive.counting import COUNT_TIMEOUT, content_version

# Long enough to matter, short enough that a raw SQL change is soon seen.
CHOICES_TIMEOUT = 60 * 60


def table_state(model: type[models.Model]) -> str:
    """A token that changes whenever a row of ``model`` is added, changed or deleted."""
    state = model._default_manager.order_by().aggregate(
        n=models.Count("pk"), last=models.Max("updated_at")
    )
    last = state["last"].isoformat() if state["last"] else "-"
    return f"{state['n']}:{last}"


def cached_choices(
    model: type[models.Model], name: str, compute: Callable[[], list[Any]]
) -> list[Any]:
    """``compute()`` (choices read from the whole table), cached per table state."""
    key = f"admin-choices:{model._meta.label_lower}:{name}:{table_state(model)}"
    choices = cache.get(key)
    if choices is None:
        choices = list(compute())
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


class ChosenArticleFilter(admin.SimpleListFilter):
    """Rows of one article: offered from the list's article column, never as a
    list of every article (there are thousands)."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []  # no filter shown until an article is chosen
        from archive.models import Article

        article = None
        if value.isdigit():
            article = Article.objects.for_cards().filter(pk=int(value)).first()
        # Offered even when unknown, so that the filter applies (and finds nothing).
        return [(value, str(article) if article else _("no such article"))]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(article_id=int(value))


class LeanRowsMixin:
    """Per-row HTML written directly, not through a form widget's template: the
    same markup as Django's, at a fraction of the cost on a page of 50 rows."""

    def action_checkbox(self, obj: models.Model) -> str:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


# As long as a cached count (archive.counting): with the per-process local-memory
# cache, another worker's rows show a change of related rows within this time.
ROW_TIMEOUT = COUNT_TIMEOUT


def cached_results(cl: ChangeList) -> list[ResultList]:
    """The change list's rows as Django's ``results`` builds them, each row's cells
    cached per item, edit and content version (``archive.counting``: every save,
    delete or change of links moves it on, so counts and related titles shown in
    a row follow at once), and per everything else a row's HTML depends on: the
    columns, the preserved filters in its links, popup, language and time zone.
    A list with editable rows (a formset) is built as Django builds it."""
    if cl.formset:
        return list(results(cl))
    shape = repr(
        (
            list(cl.list_display),
            list(cl.list_display_links or ()),
            cl.preserved_filters,
            cl.is_popup,
            cl.to_field,
            get_language(),
            timezone.get_current_timezone_name(),
        )
    )
    digest = hashlib.sha256(shape.encode()).hexdigest()[:16]
    prefix = f"admin-row:{content_version()}:{cl.opts.label_lower}:{digest}"
    rows = list(cl.result_list)
    keys = []
    for row in rows:
        stamp = row.updated_at.timestamp() if getattr(row, "updated_at", None) else 0
        keys.append(f"{prefix}:{row.pk}:{stamp}")
    found = cache.get_many(keys)
    rendered: dict[str, list[str]] = {}
    lists = []
    for row, key in zip(rows, keys, strict=True):
        cells = found.get(key)
        if cells is None:
            cells = rendered[key] = [
                str(cell) for cell in items_for_result(cl, row, None)
            ]
        # Safe: cells Django's items_for_result escaped before they were cached.
        lists.append(ResultList(None, [mark_safe(cell) for cell in cells]))
    if rendered:
        cache.set_many(rendered, ROW_TIMEOUT)
    return lists
