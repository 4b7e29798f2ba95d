"""Building blocks shared by the archive's models (languages: archive.languages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from archive import languages
from archive.languages import LANGUAGE_CODES, localized

# KeyManagerMixin lives in natural_keys; still importable from here, where it was.
from .natural_keys import (
    KeyManagerMixin,  # noqa: F401
    written,
)


class TextOrigin(models.TextChoices):
    """Who wrote the archive's own text of an item (not a source's text)."""

    EDITORS = "editors", _("Written by the archive's editors")
    AI = "ai", _("Written for the archive by an AI model, not yet reviewed by a person")
    AI_REVIEWED = (
        "ai-reviewed",
        _("Written for the archive by an AI model and reviewed by an editor"),
    )


def original_permission(model_name: str) -> tuple[str, str]:
    """The permission to change an item's original text, key, source and status.

    Without it an account (the Translator role) changes only the columns of the
    languages other than the item's original, and translation records. Named
    ``change_original_<model>``, one per translated model; the name is stored data,
    in English like Django's own "Can change …" names.
    """
    return (
        f"change_original_{model_name}",
        "Can change the original text, key, sources and status",
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class MultilingualItem(models.Model):
    """An item whose text exists in an original language and maybe in translations.

    ``REQUIRED_FIELDS`` must be filled in the item's original language (an item
    written only in Japanese is valid). ``TITLE_FIELD`` feeds the slug and the
    admin's title column; ``LANGUAGE_FIELDS`` decide which languages the item has
    (archive.languages).
    """

    REQUIRED_FIELDS: tuple[str, ...] = ()
    TITLE_FIELD = "title"
    LANGUAGE_FIELDS: tuple[str, ...] = ("title",)
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
        choices=languages.language_choices,
        default=languages.DEFAULT_LANGUAGE,
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

    def __str__(self) -> str:
        return self.text(self.TITLE_FIELD, self.original_language) or self.key

    def save(self, *args, **kwargs) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.key,)

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

    # -- per-item languages: thin doors to archive.languages -------------------------
    def text(self, field: str, language: str) -> str:
        return languages.field_text(self, field, language)

    @property
    def available_languages(self) -> list[str]:
        """Languages the item has (``has_language``), original first."""
        return languages.available_languages(self)

    def has_language(self, language: str) -> bool:
        return languages.has_language(self, language)

    def display_language(self, language: str) -> str:
        """``language`` if the item has it, else its original language."""
        return languages.display_language(self, language)

    def missing_languages(self) -> list[str]:
        return languages.missing_languages(self)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        language_name = languages.language_name(self.original_language)
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
            while self.slug_taken(column, candidate):
                candidate, n = f"{base}-{n}", n + 1
            setattr(self, column, candidate)

    def slug_clashes(self) -> dict[str, ValidationError]:
        """A form error on each slug column another item already uses."""
        clashes = {}
        for code in LANGUAGE_CODES:
            column = localized("slug", code)
            value = getattr(self, column)
            if value and self.slug_taken(column, value):
                clashes[column] = ValidationError(
                    _(
                        "Another item already uses the slug “%(slug)s” "
                        "in this language."
                    ),
                    code="slug_clash",
                    params={"slug": value},
                )
        return clashes

    def slug_taken(self, column: str, value: str) -> bool:
        """True if another item uses ``value`` in the slug column ``column``."""
        memory = written(type(self))
        if memory is None:
            others = type(self)._default_manager.exclude(pk=self.pk)
            return others.filter(**{column: value}).exists()
        owner = memory.slugs.get((column, value))
        return owner is not None and owner != self.pk

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
