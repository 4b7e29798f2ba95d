"""Events of the timeline, dated in EDTF at the precision the sources give."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from archive.dates import edtf_range, format_edtf, validate_edtf

from .claims import SourcedMixin
from .common import (
    MultilingualItem,
    TimeStampedModel,
    original_permission,
    slug_constraints,
)
from .natural_keys import KeyManagerMixin


class EventQuerySet(models.QuerySet):
    def in_year(self, year: int):
        """Events whose date range touches ``year``."""
        return self.filter(date_start__year__lte=year, date_end__year__gte=year)


class EventManager(KeyManagerMixin, models.Manager.from_queryset(EventQuerySet)):
    pass


class Event(SourcedMixin, MultilingualItem, TimeStampedModel):
    """Something that happened, as a source tells it."""

    REQUIRED_FIELDS = ("title",)

    class Category(models.TextChoices):
        LIFE = "life", _("Life")
        EDUCATION = "education", _("Education")
        COMPANY = "company", _("Company")
        CAREER = "career", _("Career")
        RESEARCH = "research", _("Research")
        PAPER = "paper", pgettext_lazy("event category", "Paper")
        MEDIA = "media", pgettext_lazy("event category", "Media coverage")
        RECOGNITION = "recognition", _("Recognition")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    date = models.CharField(
        _("date (EDTF)"),
        max_length=50,
        blank=True,
        validators=[validate_edtf],
        help_text=_(
            "As precise as the source: 1993, 1993-04, 2015-11~ (approximate), "
            "2024-12-XX (day unknown), 2012-41 (second half), [2016..2018] (one of "
            "them), 2011/2016 (interval). Empty if the sources give no date."
        ),
    )
    date_start = models.DateField(_("earliest day"), null=True, editable=False)
    date_end = models.DateField(_("latest day"), null=True, editable=False)
    date_order = models.PositiveSmallIntegerField(
        _("order on the same date"),
        default=0,
        help_text=_(
            "Where events share a date, the order the source tells them in (0 first)."
        ),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    people = models.ManyToManyField(
        "archive.Person", verbose_name=_("people"), blank=True, related_name="events"
    )

    objects = EventManager()

    class Meta:
        ordering = [
            F("date_start").asc(nulls_last=True),
            "date_end",
            "date_order",
            "key",
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [original_permission("event")]
        constraints = slug_constraints("event")
        indexes = [
            models.Index(fields=["date_start", "date_end"]),
            models.Index(fields=["updated_at"], name="event_updated"),
        ]

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:event_detail", kwargs={"slug": self.slug_for(get_language())}
        )

    def derive_fields(self) -> None:
        dates = edtf_range(self.date)
        self.date_start, self.date_end = dates.start, dates.end

    @property
    def date_display(self) -> str:
        return format_edtf(self.date)

    @property
    def year(self) -> int | None:
        """The year the event is listed under: None when undated."""
        day = self.date_start or self.date_end
        return day.year if day else None
