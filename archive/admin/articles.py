"""Articles: provenance fieldsets, their images, references and translation records."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models.functions import ExtractYear
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline

from archive.languages import localized
from archive.models import Article, ArticleTranslation, Image, Reference
from archive.services import (
    archive_image_file,
    publish_articles,
    unpublish_articles,
)

from .common import (
    TEXT_ORIGIN_FIELDS,
    TIMESTAMP_FIELDS,
    MissingLanguageFilter,
    MultilingualAdmin,
    YearFilter,
    columns,
    count_column,
    image_thumbnail,
    key_fieldset,
)
from .conflicts import ConflictCheckedInline
from .roles import OriginalRecordInline
from .verbatim import VerbatimFormsMixin, VerbatimModelForm


class PublishedYearFilter(YearFilter):
    """Articles by the year their source published them."""

    title = _("year published")

    def years(self, model):
        return list(
            model._default_manager.exclude(published_at=None)
            .annotate(year=ExtractYear("published_at"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )

    def in_year(self, queryset, year):
        return queryset.filter(published_at__year=year)


# -- forms -------------------------------------------------------------------------
class ArticleAdminForm(VerbatimModelForm):
    """The article form, tolerant of an emptied metadata box."""

    def clean_source_metadata(self) -> dict:
        # An emptied box means "no metadata", not NULL (the column is NOT NULL).
        return self.cleaned_data.get("source_metadata") or {}


class ArticleImageForm(VerbatimModelForm):
    """An image row of the article form."""

    def clean(self):
        cleaned_data = super().clean()
        # A new image starts in its article's language: its alt text is required
        # in that language (Image.clean), and the article's tab is the one shown.
        article = cleaned_data.get("article")
        if self.instance.pk is None and article is not None:
            self.instance.original_language = article.original_language
        return cleaned_data

    def save(self, commit: bool = True) -> Image:
        # A new or cleared file is archived by the service (hash, renditions).
        if not (commit and "file" in self.changed_data):
            return super().save(commit)
        archive_image_file(self.instance, self.cleaned_data["file"] or None)
        self._save_m2m()
        return self.instance


# -- inlines ----------------------------------------------------------------------
class ArticleImageInline(
    ConflictCheckedInline,
    OriginalRecordInline,
    VerbatimFormsMixin,
    TranslationTabularInline,
):
    """The article's images in text order; the rest is edited on the image's page."""

    model = Image
    form = ArticleImageForm
    fk_name = "article"
    fields = ("position", "thumbnail", "key", "file", "alt_text", "decorative")
    readonly_fields = ("thumbnail",)
    ordering = ("position", "key")
    extra = 0
    show_change_link = True
    verbose_name_plural = _("images in this article")

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Image) -> str:
        if obj.pk is None:
            return "—"
        # The image's own language, for its alt-text tabs (translation_tabs.js).
        return format_html(
            '<span data-original-language="{}">{}</span>',
            obj.original_language,
            image_thumbnail(obj, size=64),
        )


class ReferenceInline(OriginalRecordInline, VerbatimFormsMixin, admin.TabularInline):
    model = Reference
    fields = ("position", "title", "url")
    ordering = ("position",)
    extra = 0

    # Titles are kept exactly as the source gives them, line breaks included:
    # a one-line input would silently drop them on the next save.
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ArticleTranslationInline(VerbatimFormsMixin, admin.StackedInline):
    """Who or what made each translation, from which language, and how."""

    model = ArticleTranslation
    fields = (
        ("language", "translated_from"),
        ("translator", "method", "translated_on"),
        ("notes", "notes_language"),
    )
    extra = 0


@admin.register(Article)
class ArticleAdmin(MultilingualAdmin):
    """Source articles: text per language, provenance, the raw source, publication."""

    form = ArticleAdminForm
    list_display = (
        "display_title",
        "original_language",
        "status",
        "language_badges",
        "published_at",
        "reference_count",
        "image_count",
        "provenance",
    )
    list_filter = (
        "status",
        "original_language",
        PublishedYearFilter,
        MissingLanguageFilter,
        "ai_generated",
        "machine_translated",
        "rights_statement",
        "source_format",
    )
    list_defer = (
        "source_document",
        "source_metadata",
        *columns("body", "summary"),
    )
    date_hierarchy = "published_at"
    # Its years are cached (archive/templatetags/archive_admin.py).
    change_list_template = "admin/archive/article/change_list.html"
    search_kind = "article"
    search_exact = (("key", ""), ("original_url", "://"), ("source_filename", "."))
    search_fields = (
        "key",
        "original_url",
        "source_filename",
        *columns("title", "subtitle", "summary", "author", "publisher", "body"),
    )
    autocomplete_fields = ("cover_image", "people", "events")
    readonly_fields = ("published_local", "source_sha256", "created_at", "updated_at")
    actions = ("publish", "unpublish")
    publish_fields = ("status", "published_on_site")
    inlines = (ArticleImageInline, ReferenceInline, ArticleTranslationInline)
    fieldsets = (
        key_fieldset(
            _("Text"),
            _(
                "Title and body are required in the article’s original language "
                "only; the other tabs hold translations and may stay empty. "
                "Empty slugs are filled from the title."
            ),
            "title",
            "subtitle",
            "summary",
            "body",
            "slug",
            TEXT_ORIGIN_FIELDS,
        ),
        (
            _("Source and provenance"),
            {
                "fields": (
                    "publisher",
                    "author",
                    "original_url",
                    ("published_at", "published_timezone"),
                    "published_local",
                    "posting_location",
                    "generator_model",
                    ("ai_generated", "machine_translated", "translated_from"),
                )
            },
        ),
        (
            _("Rights"),
            {
                "description": _(
                    "Quote the source's own notice as it stands; the archive's "
                    "translations carry the original's statement."
                ),
                "fields": (
                    "rights_statement",
                    "source_rights_notice",
                    "rights_note",
                    "permission_note",
                ),
            },
        ),
        (
            _("Source document"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("source_filename", "source_format"),
                    "source_document",
                    "source_sha256",
                    "source_metadata",
                ),
            },
        ),
        (_("Relations"), {"fields": ("cover_image", "people", "events")}),
        (
            _("Publication"),
            {"fields": ("status", "published_on_site", TIMESTAMP_FIELDS)},
        ),
    )
    related_counts = {
        "reference_total": (Reference, "article"),
        "image_total": (Image, "article"),
    }
    reference_count = count_column("reference_total", _("references"))
    image_count = count_column("image_total", _("images"))

    # What an imported article's source decides; changed only by re-importing it.
    SOURCE_FIELDS = (
        "source_filename",
        "source_format",
        "source_document",
        "source_sha256",
        "source_metadata",
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # An imported article (one with a raw source): its original-language body
        # and its source are the file's, not the editor's.
        if obj is not None and obj.source_document:
            protected = (localized("body", obj.original_language), *self.SOURCE_FIELDS)
            fields += [field for field in protected if field not in fields]
        return fields

    @admin.display(description=_("published, in the source’s time zone"))
    def published_local(self, obj: Article) -> str:
        try:
            local = obj.published_local
        except (ValueError, KeyError):  # a bad zone: the form shows the error
            return "—"
        if not local:
            return "—"
        return f"{formats.localize(local)} ({obj.published_timezone or 'UTC'})"

    @admin.display(description=_("provenance"))
    def provenance(self, obj: Article) -> str:
        flags = []
        if obj.ai_generated:
            flags.append((_("AI-generated"),))
        if obj.machine_translated:
            flags.append((_("machine-translated"),))
        if not flags:
            return "—"
        return format_html_join(
            " ", '<span class="archive-badge archive-badge--flag">{}</span>', flags
        )

    def save_model(self, request, obj, form, change):
        # A status set on the form goes through the publishing service, like the
        # list's actions and the importer, so it is logged the same way.
        if "status" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        wanted = obj.status
        obj.status = form.get_initial_for_field(form.fields["status"], "status")
        if wanted == Article.Status.PUBLISHED:
            publish_articles([obj], user=request.user)
        else:
            unpublish_articles([obj], user=request.user)
        return None

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        count = len(publish_articles(queryset, user=request.user))
        self.message_user(
            request,
            ngettext(
                "%(count)d article published.", "%(count)d articles published.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = len(unpublish_articles(queryset, user=request.user))
        self.message_user(
            request,
            ngettext(
                "%(count)d article unpublished: it is a draft again.",
                "%(count)d articles unpublished: they are drafts again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
