"""Claims and their sources: where an article states an event or a fact about a person.

A citation names the article, the place in it (its heading, verbatim) and a short
quote in the source's language; its optional *reading* says, in the archive's words,
what this source says, for facts on which the sources differ. A fact whose every
source is AI-generated or machine-translated says so wherever it is shown
(``source_caution``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.dates import edtf_range, format_edtf, validate_edtf
from archive.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODES,
    field_text,
    language_choices,
    localized,
)

from .common import TextOrigin, TimeStampedModel
from .natural_keys import KeyManagerMixin


def source_caution(citations: Iterable[Citation]) -> str:
    """The label a claim carries when its only sources are AI-generated or
    machine-translated articles ("" when one source is neither, or none is given)."""
    articles = {citation.article_id: citation.article for citation in citations}
    if not articles:
        return ""
    ai = all(article.ai_generated for article in articles.values())
    machine = all(article.machine_translated for article in articles.values())
    if ai and machine:
        return gettext("Only source: AI-generated and machine-translated")
    if ai:
        return gettext("Only source: AI-generated")
    if machine:
        return gettext("Only source: machine-translated")
    flagged = all(a.ai_generated or a.machine_translated for a in articles.values())
    if flagged:
        return gettext("Only sources: AI-generated or machine-translated")
    return ""


class SourcedMixin:
    """For models with ``citations``: what templates show about their sources.
    Reads the prefetched citations (``archive.selectors``), never the database."""

    @property
    def cited_articles(self) -> list:
        """The articles cited, each once, in the order of the citations."""
        found = {}
        for citation in self.citations.all():
            found.setdefault(citation.article_id, citation.article)
        return list(found.values())

    @property
    def source_caution(self) -> str:
        return source_caution(self.citations.all())

    @property
    def sources_differ(self) -> bool:
        """Two or more citations give their own reading: the sources disagree."""
        return sum(1 for c in self.citations.all() if c.has_reading) >= 2


class Citation(models.Model):
    """This article states this claim, here (abstract: one table per kind of claim)."""

    article = models.ForeignKey(
        "archive.Article",
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    locator = models.CharField(
        _("heading"),
        max_length=300,
        blank=True,
        help_text=_(
            "The heading the passage stands under, verbatim as the source gives it; "
            "empty for the text before the first heading."
        ),
    )
    quote = models.TextField(
        _("quote"),
        help_text=_("A short passage, verbatim, in the source's language."),
    )
    reading = models.TextField(
        _("reading"),
        blank=True,
        help_text=_(
            "What this source says, in the archive's words: fill it in when the "
            "sources differ, so that each reading stays visible with its source."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.quote[:60]

    # Readings are the archive's words: shown in the page's language, else any.
    original_language = DEFAULT_LANGUAGE

    @property
    def has_reading(self) -> bool:
        return any(field_text(self, "reading", code) for code in LANGUAGE_CODES)


class EventCitationManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("event__key", "position")


class EventCitation(Citation):
    """A source of an event."""

    CLAIM_FIELD = "event"

    event = models.ForeignKey(
        "archive.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="citations",
    )

    objects = EventCitationManager()

    class Meta(Citation.Meta):
        verbose_name = _("source of the event")
        verbose_name_plural = _("sources of the event")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"],
                name="eventcitation_unique_position",
                violation_error_message=_("Two sources cannot share a position."),
            )
        ]

    def natural_key(self) -> tuple[str, int]:
        return (self.event.key, self.position)

    natural_key.dependencies = ["archive.event"]


class PersonFactManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("person__key", "position")


class PersonFact(SourcedMixin, TimeStampedModel):
    """A fact about a person (birth, an affiliation at a date…), with its sources."""

    LANGUAGE_FIELDS = ("statement",)

    class Kind(models.TextChoices):
        BORN = "born", _("Born")
        AFFILIATION = "affiliation", _("Affiliation")
        EDUCATION = "education", _("Education")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        "archive.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="facts",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    statement = models.CharField(
        _("statement"),
        max_length=500,
        blank=True,
        help_text=_("The fact in the archive's words, e.g. “Researcher at OpenAI”."),
    )
    date = models.CharField(
        _("date (EDTF)"),
        max_length=50,
        blank=True,
        validators=[validate_edtf],
        help_text=_(
            "When the fact held, as precise as the source: 1993-04, 2011/2016, "
            "2021-05 (as of that month). Empty if the sources give no date."
        ),
    )
    date_start = models.DateField(_("earliest day"), null=True, editable=False)
    date_end = models.DateField(_("latest day"), null=True, editable=False)
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=language_choices,
        default=DEFAULT_LANGUAGE,
        help_text=_("The language the statement was first written in."),
    )
    text_origin = models.CharField(
        _("origin of the archive's text"),
        max_length=20,
        choices=TextOrigin.choices,
        default=TextOrigin.EDITORS,
    )
    text_author = models.CharField(_("written by"), max_length=200, blank=True)

    objects = PersonFactManager()

    class Meta:
        ordering = ["person", "position", "pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "position"],
                name="personfact_unique_position",
                violation_error_message=_("Two facts cannot share a position."),
            )
        ]

    def __str__(self) -> str:
        return self.statement or self.get_kind_display()

    def save(self, *args, **kwargs) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, int]:
        return (self.person.key, self.position)

    natural_key.dependencies = ["archive.person"]

    def clean(self) -> None:
        super().clean()
        if not self.has_statement:
            raise ValidationError(
                {
                    localized("statement", self.original_language): _(
                        "Required in the original language."
                    )
                }
            )

    @property
    def has_statement(self) -> bool:
        return bool(field_text(self, "statement", self.original_language).strip())

    def fill_derived_fields(self) -> None:
        """The EDTF sort keys (``loaddata`` calls this on its raw saves too)."""
        dates = edtf_range(self.date)
        self.date_start, self.date_end = dates.start, dates.end

    @property
    def date_display(self) -> str:
        """The date in words; an affiliation at a single date holds "as of" it."""
        shown = format_edtf(self.date)
        if shown and self.kind == self.Kind.AFFILIATION and "/" not in self.date:
            return gettext("as of %(date)s") % {"date": shown}
        return shown


class PersonFactCitationManager(KeyManagerMixin, models.Manager):
    natural_key_lookups = ("fact__person__key", "fact__position", "position")


class PersonFactCitation(Citation):
    """A source of a fact about a person."""

    CLAIM_FIELD = "fact"

    fact = models.ForeignKey(
        PersonFact,
        verbose_name=_("fact"),
        on_delete=models.CASCADE,
        related_name="citations",
    )

    objects = PersonFactCitationManager()

    class Meta(Citation.Meta):
        verbose_name = _("source of the fact")
        verbose_name_plural = _("sources of the fact")
        constraints = [
            models.UniqueConstraint(
                fields=["fact", "position"],
                name="personfactcitation_unique_position",
                violation_error_message=_("Two sources cannot share a position."),
            )
        ]

    def natural_key(self) -> tuple[str, int, int]:
        return (*self.fact.natural_key(), self.position)

    natural_key.dependencies = ["archive.personfact"]
