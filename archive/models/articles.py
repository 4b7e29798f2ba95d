"""Source articles, their references and the translations we made of them."""

from __future__ import annotations

import functools
import hashlib
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from archive.languages import DEFAULT_LANGUAGE, language_choices
from archive.links import validate_web_url
from archive.rights import (
    permission_note_field,
    rights_note_field,
    rights_statement_field,
)

from .common import (
    MultilingualItem,
    TimeStampedModel,
    original_permission,
    slug_constraints,
)
from .natural_keys import KeyManagerMixin


@functools.cache
def _timezones() -> frozenset[str]:
    """The IANA zone names (read from disk once: 6–24 ms a call otherwise)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value and value not in _timezones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone such as Asia/Shanghai."),
            code="invalid_timezone",
            params={"value": value},
        )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see."""
        return self.filter(status=Article.Status.PUBLISHED)

    def for_cards(self):
        """Without the long texts (bodies in every language, the raw source) that
        lists and cards never show."""
        return self.defer("body", "summary", "source_document", "source_metadata")


class ArticleManager(KeyManagerMixin, models.Manager.from_queryset(ArticleQuerySet)):
    pass


class Article(MultilingualItem, TimeStampedModel):
    """A source article, kept verbatim with everything its source says about it."""

    REQUIRED_FIELDS = ("title", "body")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", pgettext_lazy("status", "Published")

    class SourceFormat(models.TextChoices):
        FRONT_MATTER = "front-matter", _("Markdown with YAML front matter")
        WECHAT = "wechat", _("WeChat article export")
        OTHER = "other", _("Other / entered by hand")

    title = models.CharField(_("title"), max_length=300, blank=True)
    subtitle = models.CharField(
        _("subtitle"),
        max_length=500,
        blank=True,
        help_text=_(
            "As the source gives it, and only then: the archive's own description "
            "goes in the summary."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("body (Markdown)"),
        blank=True,
        help_text=_(
            "In the original language: the source text verbatim. "
            "Elsewhere: a translation."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    posting_location = models.CharField(
        _("posting location (as shown by the platform)"),
        max_length=200,
        blank=True,
        help_text=_(
            "The place a platform displays with the post (WeChat's 发布地), not "
            "where the publisher is."
        ),
    )

    original_url = models.URLField(
        _("original URL"), max_length=2000, blank=True, validators=[validate_web_url]
    )
    published_at = models.DateTimeField(
        _("published (date and time)"), null=True, blank=True
    )
    published_timezone = models.CharField(
        _("time zone of publication"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_(
            "IANA name, e.g. Asia/Shanghai: the zone the source's time is given in."
        ),
    )
    generator_model = models.CharField(
        _("generator model"),
        max_length=200,
        blank=True,
        help_text=_("The AI model that generated the text, when the source says so."),
    )
    # Yes, no, or None: the source does not say (never assumed either way).
    ai_generated = models.BooleanField(
        _("AI-generated"),
        null=True,
        blank=True,
        default=None,
        help_text=_("As the source states it; unknown when it does not."),
    )
    machine_translated = models.BooleanField(
        _("machine-translated"),
        null=True,
        blank=True,
        default=None,
        help_text=_("As the source states it; unknown when it does not."),
    )
    translated_from = models.CharField(
        _("translated from"),
        max_length=20,
        blank=True,
        help_text=_(
            "Language code the source was machine-translated from; empty if unknown."
        ),
    )

    source_format = models.CharField(
        _("source format"),
        max_length=20,
        choices=SourceFormat.choices,
        default=SourceFormat.OTHER,
    )
    source_filename = models.CharField(
        _("source file name"), max_length=255, blank=True
    )
    source_document = models.TextField(
        _("raw source document"),
        blank=True,
        help_text=_("The file exactly as received."),
    )
    source_sha256 = models.CharField(
        _("SHA-256 of the source"), max_length=64, blank=True
    )
    source_metadata = models.JSONField(
        _("source metadata"),
        default=dict,
        blank=True,
        help_text=_("Every field of the source's front matter or header, as given."),
    )

    rights_statement = rights_statement_field()
    source_rights_notice = models.TextField(
        _("rights notice in the source"),
        blank=True,
        help_text=_(
            "The source's own rights or reprint notice, verbatim, in its language."
        ),
    )
    rights_note = rights_note_field()
    permission_note = permission_note_field()

    cover_image = models.ForeignKey(
        "archive.Image",
        verbose_name=_("cover image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    people = models.ManyToManyField(
        "archive.Person",
        verbose_name=_("people mentioned"),
        blank=True,
        related_name="articles",
    )
    events = models.ManyToManyField(
        "archive.Event",
        verbose_name=_("events mentioned"),
        blank=True,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_on_site = models.DateTimeField(
        _("published on this site"), null=True, blank=True
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "key"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            original_permission("article"),
            ("publish_article", "Can publish and unpublish articles"),
        ]
        constraints = slug_constraints("article")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The admin list walks its ordering and reads its table state
            # (archive/admin/lists.py) along these, at any size.
            models.Index(fields=["-published_at", "key"], name="article_list_order"),
            models.Index(fields=["updated_at"], name="article_updated"),
        ]

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:article_detail", kwargs={"slug": self.slug_for(get_language())}
        )

    def derive_fields(self) -> None:
        if self.source_metadata is None:
            self.source_metadata = {}
        # The import records the file's checksum; a source typed in by hand gets
        # one on its first save. Never recomputed: that would hide an alteration
        # (``verify_fixity``, ``loaddata`` compare it with the text instead).
        if not self.source_sha256:
            self.source_sha256 = self.source_checksum()
        if self.status == self.Status.PUBLISHED and not self.published_on_site:
            self.published_on_site = timezone.now()

    def clean(self) -> None:
        super().clean()
        if self.translated_from and self.translated_from == self.original_language:
            raise ValidationError(
                {
                    "translated_from": _(
                        "A text cannot be translated from its own language."
                    )
                }
            )

    def source_checksum(self) -> str:
        """The SHA-256 of the raw source as stored now ("" without one): equal to
        ``source_sha256`` unless the source was altered since it was received."""
        if not self.source_document:
            return ""
        return hashlib.sha256(self.source_document.encode("utf-8")).hexdigest()

    @property
    def published_local(self):
        """Publication time in the zone the source gave it in."""
        if not self.published_at:
            return None
        if self.published_timezone:
            return self.published_at.astimezone(
                zoneinfo.ZoneInfo(self.published_timezone)
            )
        return self.published_at


class ArticleTranslationManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("article__key", "language")


class ArticleTranslation(models.Model):
    """Provenance of one language version we made: who, from what, how."""

    class Method(models.TextChoices):
        HUMAN = "human", _("Human translation")
        MACHINE_ASSISTED = "machine-assisted", _("Machine-assisted, reviewed")
        MACHINE = "machine", _("Machine translation, unreviewed")

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    translated_from = models.CharField(
        _("translated from"), max_length=10, choices=language_choices
    )
    translator = models.CharField(
        _("translator"),
        max_length=200,
        help_text=_("Who or what made the translation."),
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    translated_on = models.DateField(_("date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_language = models.CharField(
        _("language of the notes"),
        max_length=10,
        choices=language_choices,
        default=DEFAULT_LANGUAGE,
        help_text=_(
            "The language the translator's name and the notes are written in: "
            "pages in other languages mark them as such."
        ),
    )

    objects = ArticleTranslationManager()

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"],
                name="articletranslation_unique_language",
                violation_error_message=_(
                    "This language already has a translation record."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.language}]"

    def natural_key(self) -> tuple[str, str]:
        return (self.article.key, self.language)

    natural_key.dependencies = ["archive.article"]

    def clean(self) -> None:
        if self.language and self.language == self.translated_from:
            raise ValidationError(
                {
                    "translated_from": _(
                        "A translation needs a different source language."
                    )
                }
            )
        if (
            self.article_id
            and self.language
            and self.language == self.article.original_language
        ):
            raise ValidationError(
                {
                    "language": _(
                        "This is the article's original language, not a translation."
                    )
                }
            )


class ReferenceManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("article__key", "position")


class Reference(models.Model):
    """A link a source lists (its references or inline citations), kept as given."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="references",
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(
        _("title as given"),
        max_length=500,
        help_text=_("The link text exactly as the source gives it."),
    )
    url = models.URLField(_("URL"), max_length=2000, validators=[validate_web_url])

    objects = ReferenceManager()

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                name="reference_unique_position",
                violation_error_message=_("Two references cannot share a position."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, int]:
        return (self.article.key, self.position)

    natural_key.dependencies = ["archive.article"]
