"""People: names in every script, their sourced facts, links elsewhere."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Article, Event, Person, PersonLink, PersonName

from .claims import PersonFactInline
from .common import (
    MissingLanguageFilter,
    MultilingualAdmin,
    columns,
    count_column,
    image_thumbnail,
    key_fieldset,
    record_fieldset,
    text_origin_fieldset,
)
from .roles import OriginalRecordInline
from .verbatim import VerbatimFormsMixin


class PersonLinkInline(OriginalRecordInline, VerbatimFormsMixin, admin.TabularInline):
    model = PersonLink
    fields = ("kind", "url", "source")
    extra = 0


class PersonNameInline(OriginalRecordInline, VerbatimFormsMixin, admin.TabularInline):
    """Other forms of the name (README, "Names"): the preferred name per language
    is the person's name above."""

    model = PersonName
    fields = ("name", "language", "kind", "source")
    autocomplete_fields = ("source",)
    extra = 0


@admin.register(Person)
class PersonAdmin(MultilingualAdmin):
    """People: the name is required only in the person's original language."""

    list_display = (
        "display_name",
        "sort_name",
        "original_language",
        "language_badges",
        "article_count",
        "event_count",
    )
    list_filter = ("original_language", MissingLanguageFilter)
    search_kind = "person"
    search_fields = (
        "key",
        "sort_name",
        *columns("name", "bio"),
        "alternative_names__name",
    )
    autocomplete_fields = ("portrait",)
    readonly_fields = (
        "portrait_preview",
        "mentioned_in",
        "created_at",
        "updated_at",
    )
    inlines = (PersonFactInline, PersonNameInline, PersonLinkInline)
    fieldsets = (
        key_fieldset(
            _("Name"),
            _("The name is required in the person’s original language only."),
            "name",
            "sort_name",
            "slug",
        ),
        (
            _("About"),
            {
                "fields": (
                    "bio",
                    "portrait",
                    "portrait_preview",
                )
            },
        ),
        text_origin_fieldset(),
        record_fieldset(),
    )
    related_counts = {
        "article_total": (Article.people.through, "person"),
        "event_total": (Event.people.through, "person"),
    }
    article_count = count_column("article_total", _("articles"))
    event_count = count_column("event_total", _("events"))

    @admin.display(description=_("name"), ordering="original_title")
    def display_name(self, obj: Person) -> str:
        return self.original_title_html(obj)

    @admin.display(description=_("portrait preview"))
    def portrait_preview(self, obj: Person) -> str:
        return image_thumbnail(obj.portrait)
