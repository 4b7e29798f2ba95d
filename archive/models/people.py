"""People the sources name."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive.dates import edtf_range, format_edtf, validate_edtf
from archive.links import validate_web_url

from .common import (
    KeyManagerMixin,
    MultilingualItem,
    TimeStampedModel,
    original_permission,
    slug_constraints,
)


class PersonManager(KeyManagerMixin, models.Manager):
    pass


class Person(MultilingualItem, TimeStampedModel):
    """A person named by a source, with their name in every script and a short bio."""

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
    birth_date = models.CharField(
        _("birth date (EDTF)"),
        max_length=50,
        blank=True,
        validators=[validate_edtf],
        help_text=_("As precise as the source: 1993, 1993-04 or 1993-04-20."),
    )
    birth_sort = models.DateField(
        _("birth date sort key"), null=True, blank=True, editable=False
    )
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
        indexes = [models.Index(fields=["sort_name", "key"], name="person_list_order")]

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:person_detail", kwargs={"slug": self.slug_for(get_language())}
        )

    def derive_fields(self) -> None:
        self.birth_sort = edtf_range(self.birth_date).start

    @property
    def birth_date_display(self) -> str:
        return format_edtf(self.birth_date)


class PersonLinkManager(models.Manager):
    def get_by_natural_key(self, person_key: str, url: str):
        return self.get(person__key=person_key, url=url)


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
