"""A person's other names: the name authority beside the preferred name.

The preferred name per language is the person's translated ``name`` (one per
language); every other form (alternative, former, a transliteration, a form exactly
as a source writes it) is a ``PersonName`` row, in a plain indexed column for search.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive import names

from .natural_keys import KeyManagerMixin
from .people import Person

BCP47_TAG = re.compile(
    r"^(?:[a-z]{2,3}|und)(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$"
)


def validate_language_tag(value: str) -> None:
    """A BCP 47 tag of language, optional script and region: ``ja``, ``zh-Hans``,
    ``en``, ``und-Latn`` (script known, language not), ``ja-Latn`` (romaji)."""
    if not BCP47_TAG.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a language tag such as ja, zh-Hans, en or "
                "und-Latn (language, then an optional Script and REGION)."
            ),
            code="invalid_language_tag",
            params={"value": value},
        )


class PersonNameManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("person__key", "name", "language")


class PersonName(models.Model):
    """One other form of a person's name, in a language and script."""

    class Kind(models.TextChoices):
        ALTERNATIVE = "alternative", _("Alternative name")
        FORMER = "former", _("Former name")
        TRANSLITERATION = "transliteration", _("Transliteration")
        AS_WRITTEN = "as-written", _("As written in a source")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="alternative_names",
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    language = models.CharField(
        _("language tag"),
        max_length=35,
        validators=[validate_language_tag],
        help_text=_(
            "BCP 47: ja, zh-Hans, en, or und-Latn when only the script is known."
        ),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ALTERNATIVE
    )
    source = models.ForeignKey(
        "archive.Article",
        verbose_name=_("source article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The article that writes the name this way, if any."),
    )

    objects = PersonNameManager()

    class Meta:
        ordering = ["person", "language", "name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name", "language"],
                name="personname_unique_name",
                violation_error_message=_(
                    "This person already has this name in this language."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str, str]:
        return (self.person.key, self.name, self.language)

    natural_key.dependencies = ["archive.person"]

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        if self.kind == self.Kind.AS_WRITTEN:
            if not self.source_id:
                raise ValidationError(
                    {"source": _("Say which source writes the name this way.")},
                    code="source_required",
                )
            return  # kept verbatim, whatever dot the source uses
        error = names.policy_error(self.name)
        if error:
            raise ValidationError({"name": error})
