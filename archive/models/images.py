"""Images: archived files and/or the remote address they were found at."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.links import validate_web_url
from archive.rights import (
    permission_note_field,
    rights_note_field,
    rights_statement_field,
)
from archive.uploads import ImageUploadField, check_header

from .common import (
    MultilingualItem,
    TimeStampedModel,
    localized,
    original_permission,
)
from .natural_keys import KeyManagerMixin


def validate_image_file(file) -> None:
    """A new upload must be an image the archive accepts (size, format and pixels,
    from its header: ``archive.uploads``); the full decode is the upload form's
    and ``archive_image_file``'s. A file already stored was checked when it was
    archived and is not read again on every save."""
    if getattr(file, "_committed", False):
        return
    check_header(file)


class ArchivedImageField(models.ImageField):
    """An image file whose form field checks uploads (``ImageUploadField``)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})


class ImageQuerySet(models.QuerySet):
    def archived(self):
        """Images we hold a copy of."""
        return self.exclude(file="")

    def remote_only(self):
        """Images known only by the address they were published at."""
        return self.filter(file="")


class ImageManager(KeyManagerMixin, models.Manager.from_queryset(ImageQuerySet)):
    pass


class Image(MultilingualItem, TimeStampedModel):
    """An image a source shows: our archived copy and/or its remote origin."""

    # An image is in a language when it is described or captioned in it.
    LANGUAGE_FIELDS = ("alt_text", "caption")
    REQUIRED_FIELDS = ()
    HAS_SLUG = False

    file = ArchivedImageField(
        _("archived file"),
        upload_to="images/%Y/",
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text=_(
            "Our own copy. Leave empty when only the remote original is known."
        ),
    )
    source_url = models.URLField(
        _("source URL"),
        max_length=2000,
        blank=True,
        validators=[validate_web_url],
        help_text=_("Where the image was published (kept even once archived)."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Purely decorative images carry no alt text."),
    )
    description_pending = models.BooleanField(
        _("description pending"),
        default=False,
        help_text=_(
            "No one has described the image yet (as imports leave it): visitors "
            "read “Description pending”. Writing the alt text ends this state."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=300,
        blank=True,
        help_text=_(
            "Only what the source says of the image's origin (e.g. “From the "
            "Synced article”), never a guessed author."
        ),
    )
    rights_statement = rights_statement_field()
    rights_note = rights_note_field()
    permission_note = permission_note_field()
    article = models.ForeignKey(
        "archive.Article",
        verbose_name=_("source article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="images",
    )
    position = models.PositiveIntegerField(
        _("position in text"),
        null=True,
        blank=True,
        help_text=_(
            "0 for the cover, then 1, 2, … in the order the article shows them."
        ),
    )
    width = models.PositiveIntegerField(
        _("width"), null=True, blank=True, editable=False
    )
    height = models.PositiveIntegerField(
        _("height"), null=True, blank=True, editable=False
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    renditions = models.JSONField(
        _("renditions"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Resized copies for responsive images: width → stored file."),
    )

    objects = ImageManager()

    class Meta:
        ordering = ["article_id", "position", "key"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [original_permission("image")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                name="image_unique_article_position",
                violation_error_message=_(
                    "This article already has an image at this position."
                ),
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("archive:image_detail", kwargs={"key": self.key})

    def derive_fields(self) -> None:
        # Described (or decorative) is no longer pending, however it was saved.
        if self.decorative or self.has_description:
            self.description_pending = False

    def clean(self) -> None:
        super().clean()
        if not self.file and not self.source_url:
            raise ValidationError(
                _("Give an archived file, a source URL, or both."), code="no_image"
            )
        if self.decorative or self.has_description:
            self.description_pending = False
        elif not self.description_pending:
            raise ValidationError(
                {
                    localized("alt_text", self.original_language): _(
                        "Describe the image in its original language, mark it "
                        "decorative, or mark its description pending."
                    )
                },
                code="alt_required",
            )

    @property
    def is_archived(self) -> bool:
        return bool(self.file)

    @property
    def has_description(self) -> bool:
        """Alt text in the image's original language."""
        return bool(self.text("alt_text", self.original_language).strip())
