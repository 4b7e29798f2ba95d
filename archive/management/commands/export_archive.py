"""Export the whole archive as a fixture that `loaddata` reads back without loss."""

import os
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
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


def archive_querysets() -> list:
    """Every archive row, in an order `loaddata` can read with natural keys.

    `dumpdata` cannot order these: Article and Image point at each other (cover,
    source article), and on such a cycle it gives up ordering, so a PersonLink may
    come before its Person — whose natural key it needs. Items named by their own
    ``key`` may refer forward; rows whose natural key goes through a parent follow it.
    """
    return [
        Person.objects.order_by("key"),
        PersonLink.objects.select_related("person", "source").order_by(
            "person__key", "url"
        ),
        Event.objects.order_by("key").prefetch_related("people"),
        Article.objects.order_by("key").prefetch_related("people", "events"),
        Image.objects.order_by("key"),
        # After the articles its ``source`` names (natural key: person, name, tag).
        PersonName.objects.select_related("person", "source").order_by(
            "person__key", "language", "name"
        ),
        ArticleTranslation.objects.select_related("article").order_by(
            "article__key", "language"
        ),
        Reference.objects.select_related("article").order_by(
            "article__key", "position"
        ),
        PersonFact.objects.select_related("person").order_by("person__key", "position"),
        PersonFactCitation.objects.select_related("fact__person", "article").order_by(
            "fact__person__key", "fact__position", "position"
        ),
        EventCitation.objects.select_related("event", "article").order_by(
            "event__key", "position"
        ),
    ]


class Command(BaseCommand):
    help = (
        "Export the whole archive as JSON with natural keys (no database ids), "
        "loadable elsewhere with `loaddata`. Writes to stdout, or atomically to -o."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write.")

    def handle(self, *args, output, **options):
        # modeltranslation's untranslated columns (``author``, ``title``…) are read
        # in the active language: export in the default one, whatever is active.
        with translation.override(settings.LANGUAGE_CODE):
            objects = [obj for queryset in archive_querysets() for obj in queryset]
            text = serializers.serialize(
                "json",
                objects,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                indent=2,
                ensure_ascii=False,
            )
        if output is None:
            sys.stdout.write(text + "\n")
            return
        directory = output.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"{output}: no such directory {directory}")
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
        os.replace(temporary, output)
        self.stdout.write(f"Exported {len(objects)} objects to {output}")
