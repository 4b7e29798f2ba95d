"""verify_fixity: recompute every stored checksum and report what no longer matches.

Checked: each article's raw source (the SHA-256 of ``source_document``'s UTF-8
bytes against ``source_sha256``) and each archived image file (its bytes, read
from storage in chunks, against ``Image.sha256``; a file missing from storage is
a mismatch too). One line per mismatch, then a summary; the exit status is
non-zero when anything does not match. Rows are streamed (``iterator()``,
``only()``), so memory stays flat however large the archive.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError

from archive.models import Article, Image

CHUNK_ROWS = 200


@dataclass(frozen=True)
class Mismatch:
    """One stored checksum that the stored data no longer gives."""

    model: str
    key: str
    what: str
    expected: str
    found: str

    def __str__(self) -> str:
        return (
            f"{self.model} '{self.key}': {self.what}: expected sha256 "
            f"{self.expected or '(none recorded)'}, found {self.found}"
        )


def file_sha256(image: Image) -> str:
    """The SHA-256 of ``image``'s stored file, read in chunks (OSError if missing)."""
    digest = hashlib.sha256()
    with image.file.storage.open(image.file.name, "rb") as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def source_mismatches(counts: dict[str, int]) -> Iterator[Mismatch]:
    """Articles whose raw source no longer has its recorded SHA-256."""
    articles = (
        Article.objects.order_by("pk")
        .only("pk", "key", "source_document", "source_sha256")
        .iterator(chunk_size=CHUNK_ROWS)
    )
    for article in articles:
        if not (article.source_document or article.source_sha256):
            continue
        counts["sources"] += 1
        found = article.source_checksum() or "(no source)"
        if found != article.source_sha256:
            yield Mismatch(
                Article._meta.label,
                article.key,
                "raw source",
                article.source_sha256,
                found,
            )


def image_mismatches(counts: dict[str, int]) -> Iterator[Mismatch]:
    """Archived images whose file is missing or no longer has its SHA-256."""
    images = (
        Image.objects.archived()
        .order_by("pk")
        # With its dimensions: ImageField reads them when a row is loaded.
        .only("pk", "key", "file", "width", "height", "sha256")
        .iterator(chunk_size=CHUNK_ROWS)
    )
    for image in images:
        counts["images"] += 1
        try:
            found = file_sha256(image)
        except OSError as exc:
            found = f"no readable file ({type(exc).__name__})"
        if found != image.sha256:
            yield Mismatch(
                Image._meta.label,
                image.key,
                f"file {image.file.name}",
                image.sha256,
                found,
            )


class Command(BaseCommand):
    help = (
        "Recompute every stored checksum (articles' raw sources, archived image "
        "files); print one line per mismatch and exit non-zero on any."
    )

    def handle(self, *args, **options) -> None:
        counts = {"sources": 0, "images": 0}
        mismatches = 0
        checks = itertools.chain(source_mismatches(counts), image_mismatches(counts))
        for found in checks:
            mismatches += 1
            self.stdout.write(str(found))
        summary = (
            f"Checked {counts['sources']} raw source(s) and {counts['images']} "
            f"image file(s): {mismatches} mismatch(es)."
        )
        if mismatches:
            raise CommandError(summary)
        self.stdout.write(summary)
