"""Resized copies of archived images for responsive ``srcset`` (WebP, by width)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

if TYPE_CHECKING:
    from archive.models import Image

RENDITION_WIDTHS = (320, 640, 1024, 1600)
# How wide an article figure is drawn: the reading column, or the whole phone.
FIGURE_SIZES = "(min-width: 50rem) 46rem, 100vw"


def build_renditions(image: Image) -> dict[str, str]:
    """Write a WebP copy of ``image.file`` at each width narrower than the original,
    delete the previous set, and return {width: storage name}."""
    storage = image.file.storage
    for name in (image.renditions or {}).values():
        storage.delete(name)
    renditions: dict[str, str] = {}
    image.file.open("rb")
    try:
        with PILImage.open(image.file) as opened:
            picture = ImageOps.exif_transpose(opened)
            if picture.mode not in ("RGB", "RGBA"):
                has_alpha = "A" in picture.getbands() or "transparency" in picture.info
                picture = picture.convert("RGBA" if has_alpha else "RGB")
            for width in RENDITION_WIDTHS:
                if width >= picture.width:
                    break
                height = max(1, round(picture.height * width / picture.width))
                resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
                buffer = io.BytesIO()
                resized.save(buffer, "WEBP", quality=82, method=4)
                name = f"renditions/{image.sha256[:2]}/{image.sha256}-{width}.webp"
                renditions[str(width)] = storage.save(
                    name, ContentFile(buffer.getvalue())
                )
    finally:
        image.file.seek(0)
    return renditions


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
