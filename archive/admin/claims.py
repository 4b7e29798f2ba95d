"""Sources of claims: citation rows on events and on a person's facts.

An event's sources are a tabular inline of its page; a person's facts are an
inline of the person's page, each fact's sources on the fact's own page (the
inline's "change" link), since Django's admin does not nest inlines.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedDjangoJqueryTranslationAdmin,
    TranslationTabularInline,
)

from archive.models import EventCitation, Person, PersonFact, PersonFactCitation

from .common import columns, edtf_preview
from .conflicts import ConflictCheckedAdmin, ConflictCheckedInline
from .revisions import RevisionAdmin
from .roles import OriginalRecordInline, original_permission_name
from .verbatim import VerbatimAdminMixin, VerbatimFormsMixin

CITATION_FIELDS = ("position", "article", "locator", "quote", "reading")


class CitationInline(
    OriginalRecordInline, VerbatimFormsMixin, TranslationTabularInline
):
    """The sources of a claim: article, heading and quote verbatim, reading."""

    fields = CITATION_FIELDS
    autocomplete_fields = ("article",)
    ordering = ("position", "pk")
    extra = 0


class EventCitationInline(CitationInline):
    model = EventCitation


class PersonFactCitationInline(CitationInline):
    model = PersonFactCitation

    # A fact is part of its person's record: the person's permission decides.
    def may_change_original(self, request) -> bool:
        return request.user.has_perm(original_permission_name(Person))


class PersonFactInline(
    ConflictCheckedInline,
    OriginalRecordInline,
    VerbatimFormsMixin,
    TranslationTabularInline,
):
    """A person's facts; each one's sources are on its own page (change link)."""

    model = PersonFact
    fields = ("position", "kind", "statement", "date", "original_language")
    ordering = ("position", "pk")
    extra = 0
    show_change_link = True


@admin.register(PersonFact)
class PersonFactAdmin(
    ConflictCheckedAdmin,
    VerbatimAdminMixin,
    RevisionAdmin,
    TabbedDjangoJqueryTranslationAdmin,
):
    """One fact about a person, with its sources."""

    list_display = ("__str__", "person", "kind", "date", "source_count")
    list_filter = ("kind",)
    list_select_related = ("person",)
    search_fields = ("person__key", "date", *columns("statement"))
    autocomplete_fields = ("person",)
    readonly_fields = ("date_preview", "created_at", "updated_at")
    inlines = (PersonFactCitationInline,)
    fieldsets = (
        (None, {"fields": ("person", "position", "kind", "original_language")}),
        (_("Statement"), {"fields": ("statement",)}),
        (_("Date"), {"fields": ("date", "date_preview")}),
        (_("Origin of the text"), {"fields": ("text_origin", "text_author")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    class Media:
        css = {"all": ("archive/admin/admin.css",)}
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "archive/admin/translation_tabs.js",
        )

    def get_readonly_fields(self, request, obj=None):
        """A fact is part of its person's record: read-only to an account that may
        not change the person's original record (a Translator)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.has_perm(original_permission_name(Person)):
            return readonly
        editable = flatten_fieldsets(self.get_fieldsets(request, obj))
        return readonly + [field for field in editable if field not in readonly]

    @admin.display(description=_("sources"))
    def source_count(self, obj: PersonFact) -> int:
        return obj.citations.count()

    @admin.display(description=_("date as shown"))
    def date_preview(self, obj: PersonFact) -> str:
        return edtf_preview(obj.date)
