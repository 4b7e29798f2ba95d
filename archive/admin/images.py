"""Images: thumbnails of archived copies, remote-only ones flagged."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from archive.languages import bcp47
from archive.models import Image
from archive.services import archive_image_file

from .common import (
    TIMESTAMP_FIELDS,
    MissingLanguageFilter,
    MultilingualAdmin,
    columns,
    image_thumbnail,
    key_fieldset,
    text_origin_fieldset,
)
from .lists import ChosenArticleFilter


class ArchivedFilter(admin.SimpleListFilter):
    """Images we hold a copy of, or know only by their remote address."""

    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", _("Archived copy")), ("no", _("Remote only"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.archived()
        if self.value() == "no":
            return queryset.remote_only()
        return queryset


@admin.register(Image)
class ImageAdmin(MultilingualAdmin):
    """Images: thumbnails of our copies; remote-only ones flagged, never hotlinked."""

    list_display = (
        "thumbnail",
        "display_title",
        "key",
        "article_filter",
        "position",
        "dimensions",
        "language_badges",
    )
    list_display_links = ("thumbnail", "display_title")
    list_filter = (
        ArchivedFilter,
        "original_language",
        "decorative",
        "description_pending",
        "rights_statement",
        MissingLanguageFilter,
        ChosenArticleFilter,
    )
    search_kind = "image"
    search_exact = (("key", ""), ("source_url", "://"))
    search_fields = (
        "key",
        "source_url",
        *columns("title", "caption", "alt_text", "credit"),
    )
    autocomplete_fields = ("article",)
    readonly_fields = (
        "preview",
        "width",
        "height",
        "sha256",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        key_fieldset(
            _("Image"),
            _(
                "Upload our own copy, or give only the address it was published "
                "at (shown as “not archived” until a copy is uploaded)."
            ),
            "preview",
            "file",
            "source_url",
        ),
        (
            _("Description"),
            {
                "description": _(
                    "Alt text is required in the original language unless the image "
                    "is decorative or its description is pending."
                ),
                "fields": (
                    "title",
                    "caption",
                    "alt_text",
                    "decorative",
                    "description_pending",
                ),
            },
        ),
        (
            _("Credit and rights"),
            {
                "description": _(
                    "The credit says only what the source says of the image; "
                    "“Copyright Not Evaluated” until someone has looked into it."
                ),
                "fields": (
                    "credit",
                    "rights_statement",
                    "rights_note",
                    "permission_note",
                ),
            },
        ),
        text_origin_fieldset(),
        (_("Placement"), {"fields": ("article", "position")}),
        (
            _("File details"),
            {"fields": (("width", "height"), "sha256", TIMESTAMP_FIELDS)},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .defer(
                "article__source_document",
                "article__source_metadata",
                *(f"article__{column}" for column in columns("body", "summary")),
            )
        )

    def save_model(self, request, obj, form, change):
        # A new or cleared file is archived by the service (hash, renditions).
        if "file" in form.changed_data:
            archive_image_file(obj, form.cleaned_data["file"] or None)
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description=_("thumbnail"))
    def thumbnail(self, obj: Image) -> str:
        return image_thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj: Image) -> str:
        return image_thumbnail(obj if obj.pk else None, size=480, short=False)

    @admin.display(description=_("article"), ordering="article")
    def article_filter(self, obj: Image) -> str:
        """The image's article, linking to the list of that article's images."""
        if obj.article_id is None:
            return "—"
        return format_html(
            '<a href="?{}={}" title="{}">{}</a>',
            ChosenArticleFilter.parameter_name,
            obj.article_id,
            _("Only this article’s images"),
            obj.article,
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj: Image) -> str:
        if not (obj.width and obj.height):
            return "—"
        return f"{obj.width} × {obj.height}"

    def original_title_html(self, obj: Image) -> str:
        if not getattr(obj, "original_title", "") and not obj.text(
            "title", obj.original_language
        ):
            alt = obj.text("alt_text", obj.original_language)
            if alt:
                return format_html(
                    '<span lang="{}">{}</span>',
                    bcp47(obj.original_language),
                    Truncator(alt).chars(60),
                )
        return super().original_title_html(obj)
