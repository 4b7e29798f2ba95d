"""People the sources name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive import names
from archive.languages import LANGUAGE_CODES, localized
from archive.links import validate_web_url

from .common import (
    MultilingualItem,
    TimeStampedModel,
    original_permission,
    slug_constraints,
)
from .natural_keys import KeyManagerMixin


class PersonManager(KeyManagerMixin, models.Manager):
    pass


class Person(MultilingualItem, TimeStampedModel):
    """A person named by a source, with their name in every script and a short bio.

    What the sources state about them (birth, affiliations) are ``facts``
    (``archive.models.claims.PersonFact``), each with its sources."""

    REQUIRED_FIELDS = ("name",)
    TITLE_FIELD = "name"
    LANGUAGE_FIELDS = ("name",)

    name = models.CharField(_("name"), max_length=200, blank=True)
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        blank=True,
        help_text=_("Family name first, Latin script, e.g. “Radford, Alec”."),
    )
    bio = models.TextField(_("short biography"), blank=True)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    portrait = models.ForeignKey(
        "archive.Image",
        verbose_name=_("portrait"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PersonManager()

    class Meta:
        ordering = ["sort_name", "key"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [original_permission("person")]
        constraints = slug_constraints("person")
        # The people list pages through everyone in this order.
        indexes = [models.Index(fields=["sort_name", "key"], name="person_list_order")]

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:person_detail", kwargs={"slug": self.slug_for(get_language())}
        )

    def clean(self) -> None:
        """The preferred names follow the name policy (``archive.names``)."""
        errors = {}
        for code in LANGUAGE_CODES:
            error = names.policy_error(self.text("name", code))
            if error:
                errors[localized("name", code)] = error
        try:
            super().clean()
        except ValidationError as other:
            errors = {**other.update_error_dict({}), **errors}
        if errors:
            raise ValidationError(errors)


class PersonLinkManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("person__key", "url")


class PersonLink(models.Model):
    """A page about the person elsewhere (schema.org sameAs)."""

    class Kind(models.TextChoices):
        WIKIPEDIA = "wikipedia", _("Wikipedia")
        WIKIDATA = "wikidata", _("Wikidata")
        WEBSITE = "website", _("Website")
        SCHOLAR = "scholar", _("Scholarly profile")
        SOCIAL = "social", _("Social media")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="links"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    url = models.URLField(_("URL"), max_length=2000, validators=[validate_web_url])
    source = models.ForeignKey(
        "archive.Article",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The article that gives this link; empty when the archive added it."
        ),
    )

    objects = PersonLinkManager()

    class Meta:
        ordering = ["person", "kind", "url"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "url"], name="personlink_unique_url"
            )
        ]

    def __str__(self) -> str:
        return self.url

    def natural_key(self) -> tuple[str, str]:
        return (self.person.key, self.url)

    natural_key.dependencies = ["archive.person"]

    @property
    def added_by_archive(self) -> bool:
        """No source gives this link: the archive's editors added it."""
        return self.source_id is None
