"""Resized copies of archived images for responsive ``srcset`` (WebP, by width)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image as PILImage
from PIL import ImageOps

if TYPE_CHECKING:
    from archive.models import Image

RENDITION_WIDTHS = (320, 640, 1024, 1600)
# How wide an article figure is drawn: the reading column, or the whole phone.
FIGURE_SIZES = "(min-width: 50rem) 46rem, 100vw"


def build_renditions(
    picture: PILImage.Image, sha256: str, storage: Storage
) -> dict[str, str]:
    """Write a WebP copy of the decoded ``picture`` (turned upright, which may
    change it in place) at each width narrower than it to ``storage`` and return
    {width: storage name}; nothing else is touched."""
    renditions: dict[str, str] = {}
    try:
        # In place: a copy of a 40-megapixel image would double the peak memory.
        ImageOps.exif_transpose(picture, in_place=True)
        if picture.mode not in ("RGB", "RGBA"):
            has_alpha = "A" in picture.getbands() or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        # Widest first, each from the one before: only the first resize reads
        # every pixel of the original (reducing_gap: a fast pre-shrink that
        # Pillow's docs call indistinguishable from a full pass in most cases).
        source = picture
        for width in sorted(RENDITION_WIDTHS, reverse=True):
            if width >= picture.width:
                continue
            height = max(1, round(picture.height * width / picture.width))
            source = source.resize(
                (width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
            )
            buffer = io.BytesIO()
            source.save(buffer, "WEBP", quality=82, method=4)
            name = f"renditions/{sha256[:2]}/{sha256}-{width}.webp"
            renditions[str(width)] = storage.save(name, ContentFile(buffer.getvalue()))
    except BaseException:
        # A half-built set is no use to anyone: leave nothing behind.
        delete_files(storage, renditions.values())
        raise
    return dict(sorted(renditions.items(), key=lambda item: int(item[0])))


def delete_files(storage: Storage, names: Iterable[str]) -> None:
    """Delete each stored file in ``names`` (missing ones are no error)."""
    for name in names:
        storage.delete(name)


def srcset(image: Image) -> str:
    """``url 320w, url 640w, …, original-url <width>w`` for an archived image."""
    if not image.file or not image.width:
        return ""
    storage = image.file.storage
    candidates = [
        f"{storage.url(name)} {width}w"
        for width, name in sorted(
            (image.renditions or {}).items(), key=lambda item: int(item[0])
        )
    ]
    if not candidates:
        return ""
    candidates.append(f"{image.file.url} {image.width}w")
    return ", ".join(candidates)
