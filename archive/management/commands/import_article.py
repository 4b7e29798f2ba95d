"""Import source documents (YAML front matter or WeChat export) as articles."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive.services import import_source
from archive.sources import SourceError


class Command(BaseCommand):
    help = (
        "Import source documents as articles; re-importing a source updates its "
        "article (same file name, original URL or content), never duplicates it."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish the imported articles."
        )

    def handle(self, *args, paths, publish, **options):
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                result = import_source(path, publish=publish)
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
            except (SourceError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            except ValidationError as exc:
                problems = "; ".join(exc.messages)
                raise CommandError(f"{path}: {problems}") from exc
            verb = "Created" if result.created else "Updated"
            self.stdout.write(f"{verb} {result.article.key} from {path.name}")
