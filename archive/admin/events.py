"""Events of the timeline, dated in EDTF."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Article, Event

from .claims import EventCitationInline
from .common import (
    MissingLanguageFilter,
    MultilingualAdmin,
    YearFilter,
    columns,
    count_column,
    edtf_preview,
    key_fieldset,
    record_fieldset,
    text_origin_fieldset,
)


class EventYearFilter(YearFilter):
    """Years in which events start or end; an event matches every year it touches."""

    def years(self, model):
        manager = model._default_manager
        found = {day.year for day in manager.dates("date_start", "year")}
        found |= {day.year for day in manager.dates("date_end", "year")}
        return sorted(found, reverse=True)

    def in_year(self, queryset, year):
        return queryset.in_year(year)


@admin.register(Event)
class EventAdmin(MultilingualAdmin):
    """Timeline events, with a preview of how their EDTF date reads."""

    list_display = (
        "display_title",
        "date",
        "date_display",
        "category",
        "original_language",
        "language_badges",
        "article_count",
        "people_count",
    )
    # No date_hierarchy: date_start pads "1993" to 1 January, a day no source gave.
    list_filter = (
        "category",
        EventYearFilter,
        "original_language",
        MissingLanguageFilter,
    )
    search_kind = "event"
    search_fields = ("key", "date", *columns("title", "description"))
    autocomplete_fields = ("people",)
    readonly_fields = ("date_preview", "mentioned_in", "created_at", "updated_at")
    inlines = (EventCitationInline,)
    fieldsets = (
        key_fieldset(
            _("Text"),
            _("The title is required in the event’s original language only."),
            "title",
            "description",
            "slug",
        ),
        (_("Date"), {"fields": ("date", "date_order", "date_preview")}),
        (_("Classification"), {"fields": ("category", "people")}),
        text_origin_fieldset(),
        record_fieldset(),
    )
    related_counts = {
        "article_total": (Article.events.through, "event"),
        "people_total": (Event.people.through, "event"),
    }
    article_count = count_column("article_total", _("articles"))
    people_count = count_column("people_total", _("people"))

    @admin.display(description=_("as shown"), ordering="date_start")
    def date_display(self, obj: Event) -> str:
        return obj.date_display

    @admin.display(description=_("date as shown"))
    def date_preview(self, obj: Event) -> str:
        return edtf_preview(obj.date)
