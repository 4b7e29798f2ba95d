"""Export the whole archive as a fixture that `loaddata` reads back without loss."""

import datetime
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch
from django.utils import translation

from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
    PersonName,
    Reference,
)

# Rows read per query: memory stays flat however large the archive grows.
CHUNK_SIZE = 500


def _key_only(relation: str, model: type[models.Model]) -> list[str]:
    """``defer()`` arguments leaving only the key of the row behind ``relation``:
    a natural foreign key needs nothing else (not an article's bodies)."""
    return [
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if field.name not in ("id", "key")
    ]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that a date-time keeps its microseconds.

    Django's cuts them to milliseconds: a row saved at 12:00:00.000123 was
    exported as ``12:00:00.000Z``, loaded back as 12:00:00 and exported again as
    ``12:00:00Z``. Values in whole milliseconds are written as Django writes them.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime) and o.microsecond % 1000:
            text = o.isoformat()
            return (
                text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
            )
        return super().default(o)


def archive_querysets() -> list:
    """Every archive row, in an order `loaddata` can read with natural keys.

    `dumpdata` cannot order these: Article and Image point at each other (cover,
    source article), and on such a cycle it gives up ordering, so a PersonLink may
    come before its Person — whose natural key it needs. Items named by their own
    ``key`` may refer forward; rows whose natural key goes through a parent follow it.
    Each row's foreign keys are read with it (only their keys), never one query each.
    """
    return [
        Person.objects.order_by("key")
        .select_related("portrait")
        .defer(*_key_only("portrait", Image)),
        PersonLink.objects.select_related("person", "source")
        .defer(*_key_only("person", Person), *_key_only("source", Article))
        .order_by("person__key", "url"),
        Event.objects.order_by("key").prefetch_related(_keys("people", Person)),
        Article.objects.order_by("key")
        .select_related("cover_image")
        .defer(*_key_only("cover_image", Image))
        .prefetch_related(_keys("people", Person), _keys("events", Event)),
        Image.objects.order_by("key")
        .select_related("article")
        .defer(*_key_only("article", Article)),
        # After the articles its ``source`` names (natural key: person, name, tag).
        PersonName.objects.select_related("person", "source")
        .defer(*_key_only("person", Person), *_key_only("source", Article))
        .order_by("person__key", "language", "name"),
        ArticleTranslation.objects.select_related("article")
        .defer(*_key_only("article", Article))
        .order_by("article__key", "language"),
        Reference.objects.select_related("article")
        .defer(*_key_only("article", Article))
        .order_by("article__key", "position"),
        PersonFact.objects.select_related("person")
        .defer(*_key_only("person", Person))
        .order_by("person__key", "position"),
        PersonFactCitation.objects.select_related("fact__person", "article")
        .defer(*_key_only("article", Article))
        .order_by("fact__person__key", "fact__position", "position"),
        EventCitation.objects.select_related("event", "article")
        .defer(*_key_only("event", Event), *_key_only("article", Article))
        .order_by("event__key", "position"),
    ]


def _keys(relation: str, model: type[models.Model]) -> Prefetch:
    """Prefetch a many-to-many relation's rows with only their keys, in the order
    the serializer writes them (the related model's ordering, as before)."""
    return Prefetch(relation, queryset=model.objects.only("id", "key"))


def archive_objects() -> Iterator[models.Model]:
    """Every row of ``archive_querysets()``, read ``CHUNK_SIZE`` rows at a time."""
    for queryset in archive_querysets():
        yield from queryset.iterator(chunk_size=CHUNK_SIZE)


class Command(BaseCommand):
    help = (
        "Export the whole archive as JSON with natural keys (no database ids), "
        "loadable elsewhere with `loaddata`. Writes to stdout, or atomically to -o."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write.")

    def handle(self, *args, output, **options):
        if output is None:
            self.write(sys.stdout)
            return
        directory = output.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"{output}: no such directory {directory}")
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                count = self.write(stream)
            os.replace(temporary, output)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.stdout.write(f"Exported {count} objects to {output}")

    def write(self, stream: TextIO) -> int:
        """Serialize every object into ``stream`` as it is read; return how many."""
        counted = _Counted(archive_objects())
        # modeltranslation's untranslated columns (``author``, ``title``…) are read
        # in the active language: export in the default one, whatever is active.
        with translation.override(settings.LANGUAGE_CODE):
            serializers.serialize(
                "json",
                counted,
                stream=stream,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                indent=2,
                ensure_ascii=False,
                cls=ExactJSONEncoder,
            )
        stream.write("\n")
        return counted.count


class _Counted:
    """An iterable that counts what passes through it."""

    def __init__(self, objects: Iterator[models.Model]) -> None:
        self.objects, self.count = objects, 0

    def __iter__(self) -> Iterator[models.Model]:
        for obj in self.objects:
            self.count += 1
            yield obj
