"""Import source documents (YAML front matter or WeChat export) as articles."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.services import import_source
from archive.sources import SourceError


class Command(BaseCommand):
    help = (
        "Import source documents as articles; re-importing a source updates its "
        "article (same content, or same original URL, else same file name), never "
        "duplicates it. Changing an article's original language or replacing its "
        "source with different content needs --replace. All files or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish the imported articles."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Let a source replace the different source its article holds, or "
                "change the article's original language."
            ),
        )

    def handle(self, *args, paths, publish, replace, **options):
        lines = []
        # One transaction: a bad file among several writes none of them.
        with transaction.atomic():
            for path in paths:
                result = self.import_one(path, publish=publish, replace=replace)
                if result.created:
                    verb = "Created"
                else:
                    verb = "Updated" if result.changed else "Unchanged"
                lines.append(f"{verb} {result.article.key} from {path.name}")
        for line in lines:
            self.stdout.write(line)

    def import_one(self, path: Path, *, publish: bool, replace: bool):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            return import_source(path, publish=publish, replace=replace)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except (SourceError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ValidationError as exc:
            problems = "; ".join(exc.messages)
            raise CommandError(f"{path}: {problems}") from exc
