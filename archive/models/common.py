"""Building blocks shared by the archive's models: languages, per-item fallback."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


class Language(models.TextChoices):
    """The archive's three languages (``settings.LANGUAGES``)."""

    EN = "en", _("English")
    JA = "ja", _("Japanese")
    ZH_HANS = "zh-hans", _("Simplified Chinese")


def bcp47(code: str) -> str:
    """Django language code → BCP 47 tag: ``zh-hans`` → ``zh-Hans``."""
    if not code:
        return ""
    parts = code.replace("_", "-").split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4:
            tag.append(part.title())
        elif len(part) == 2:
            tag.append(part.upper())
        else:
            tag.append(part.lower())
    return "-".join(tag)


def localized(field: str, language: str) -> str:
    """``localized("title", "zh-hans")`` → ``"title_zh_hans"``."""
    return build_localized_fieldname(field, language)


class TextOrigin(models.TextChoices):
    """Who wrote the archive's own text of an item (not a source's text)."""

    EDITORS = "editors", _("Written by the archive's editors")
    AI = "ai", _("Written for the archive by an AI model, not yet reviewed by a person")
    AI_REVIEWED = (
        "ai-reviewed",
        _("Written for the archive by an AI model and reviewed by an editor"),
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class MultilingualItem(models.Model):
    """An item whose text exists in an original language and maybe in translations.

    ``TEXT_FIELDS`` lists translated fields; ``REQUIRED_FIELDS`` must be filled in
    the item's original language (an item written only in Japanese is valid).
    ``TITLE_FIELD`` decides which languages count as available and feeds the slug.
    """

    TEXT_FIELDS: tuple[str, ...] = ()
    REQUIRED_FIELDS: tuple[str, ...] = ()
    TITLE_FIELD = "title"
    HAS_SLUG = True

    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_(
            "Stable identifier (Latin letters, digits, hyphens) used by fixtures "
            "and imports. Never change it once published."
        ),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=Language.choices,
        default=Language.EN,
        help_text=_(
            "The language this item was first written in; visitors fall back to it."
        ),
    )

    text_origin = models.CharField(
        _("origin of the archive's text"),
        max_length=20,
        choices=TextOrigin.choices,
        default=TextOrigin.EDITORS,
        help_text=_(
            "Who wrote this item's descriptive text in each language (names, bios, "
            "descriptions, captions, summaries) — never a source's own text."
        ),
    )
    text_author = models.CharField(
        _("written by"),
        max_length=200,
        blank=True,
        help_text=_("The editor, or the AI model, e.g. “Claude (Anthropic)”."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Everything ``save()`` computes: empty slugs, then ``derive_fields()``.

        Every way of creating an item goes through here (``objects.create``, the
        admin, the importer, and ``loaddata``, whose raw saves skip ``save()``).
        """
        if self.HAS_SLUG:
            self.fill_slugs()
        self.derive_fields()

    def derive_fields(self) -> None:
        """Hook: compute the fields stored only for speed (sort keys, hashes)."""

    # -- per-item language logic -------------------------------------------------
    def text(self, field: str, language: str) -> str:
        return getattr(self, localized(field, language), "") or ""

    @property
    def available_languages(self) -> list[str]:
        """Languages with text in the title field, original first."""
        langs = [code for code in LANGUAGE_CODES if self.text(self.TITLE_FIELD, code)]
        if self.original_language in langs:
            langs.remove(self.original_language)
            langs.insert(0, self.original_language)
        return langs

    def has_language(self, language: str) -> bool:
        return bool(self.text(self.TITLE_FIELD, language))

    def display_language(self, language: str) -> str:
        """``language`` if the item has it, else its original language."""
        return language if self.has_language(language) else self.original_language

    def missing_languages(self) -> list[str]:
        return [code for code in LANGUAGE_CODES if not self.has_language(code)]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        language_name = dict(Language.choices).get(
            self.original_language, self.original_language
        )
        for field in self.REQUIRED_FIELDS:
            column = localized(field, self.original_language)
            if not self.text(field, self.original_language).strip():
                errors[column] = ValidationError(
                    _("Required in the original language (%(language)s)."),
                    code="required_original",
                    params={"language": language_name},
                )
        if self.HAS_SLUG:
            errors.update(self.slug_clashes())
        if errors:
            raise ValidationError(errors)

    def fill_slugs(self) -> None:
        """Give every language with a title a slug, unique in that language's column."""
        for code in LANGUAGE_CODES:
            column = localized("slug", code)
            if getattr(self, column) or not self.text(self.TITLE_FIELD, code):
                continue
            base = slugify(self.text(self.TITLE_FIELD, code), allow_unicode=True)[
                :80
            ].strip("-")
            base = base or self.key
            candidate, n = base, 2
            others = type(self)._default_manager.exclude(pk=self.pk)
            while others.filter(**{column: candidate}).exists():
                candidate, n = f"{base}-{n}", n + 1
            setattr(self, column, candidate)

    def slug_clashes(self) -> dict[str, ValidationError]:
        """A form error on each slug column another item already uses."""
        clashes = {}
        others = type(self)._default_manager.exclude(pk=self.pk)
        for code in LANGUAGE_CODES:
            column = localized("slug", code)
            value = getattr(self, column)
            if value and others.filter(**{column: value}).exists():
                clashes[column] = ValidationError(
                    _(
                        "Another item already uses the slug “%(slug)s” "
                        "in this language."
                    ),
                    code="slug_clash",
                    params={"slug": value},
                )
        return clashes

    def slug_for(self, language: str) -> str:
        """Slug for URLs in ``language``; falls back to the original's, then the key."""
        return (
            getattr(self, localized("slug", language), "")
            or getattr(self, localized("slug", self.original_language), "")
            or self.key
        )


def slug_constraints(model_name: str) -> list[models.UniqueConstraint]:
    """One UniqueConstraint per language column of ``slug`` (modeltranslation trap:
    ``unique=True`` on a translated field collides on the original column)."""
    constraints = []
    for code in LANGUAGE_CODES:
        column = localized("slug", code)
        constraints.append(
            models.UniqueConstraint(
                fields=[column],
                condition=~models.Q(**{column: ""}),
                name=f"{model_name}_unique_{column}",
                violation_error_message=_(
                    "Another item already uses this slug in this language."
                ),
            )
        )
    return constraints


class KeyManagerMixin:
    """Natural keys: fixtures refer to items by their ``key``."""

    def get_by_natural_key(self, key: str):
        return self.get(key=key)
