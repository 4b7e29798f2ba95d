"""Files for the upload tests: real images of each format, broken ones and
non-images, made in memory (small, except the 17 KB bomb of 144 megapixels)."""

from __future__ import annotations

import functools
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "MPO": "image/jpeg",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}


def noise(size: tuple[int, int]) -> PILImage.Image:
    """A picture that does not compress away, so a truncated copy lacks data."""
    rng = random.Random(size[0] * 7919 + size[1])
    return PILImage.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (700, 350), **options
) -> bytes:
    buffer = io.BytesIO()
    picture = noise(size)
    if fmt == "MPO":
        options = {"save_all": True, "append_images": [noise(size)], **options}
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_upload(
    fmt: str = "JPEG", size: tuple[int, int] = (700, 350), name: str = ""
) -> SimpleUploadedFile:
    name = name or f"picture.{fmt.lower()}"
    return upload(name, image_bytes(fmt, size), CONTENT_TYPES[fmt])


def truncated_jpeg(name: str = "truncated.jpg") -> SimpleUploadedFile:
    """A JPEG cut off half-way: its header is intact, its data is not."""
    data = image_bytes("JPEG", (800, 600))
    return upload(name, data[: len(data) // 2], "image/jpeg")


def corrupt_png(name: str = "corrupt.png") -> SimpleUploadedFile:
    """A PNG whose compressed data has been overwritten in the middle."""
    data = bytearray(image_bytes("PNG", (200, 200)))
    start = data.index(b"IDAT") + 200
    data[start : start + 64] = bytes(64)
    return upload(name, bytes(data), "image/png")


@functools.cache
def _bomb_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (12000, 12000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def png_bomb(name: str = "bomb.png") -> SimpleUploadedFile:
    """12000 × 12000 pixels (144 megapixels) in about 17 KB."""
    return upload(name, _bomb_bytes(), "image/png")


# Files no image plugin of ours may parse (EPS/PS would run Ghostscript).
NOT_ACCEPTED = {
    "eps": (
        "figure.eps",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
        b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n",
    ),
    "ps": (
        "page.ps",
        b"%!PS-Adobe-3.0\n%%Pages: 1\n%%EndComments\n"
        b"/Helvetica findfont 12 scalefont setfont 72 720 moveto (Hi) show\n"
        b"showpage\n%%EOF\n",
    ),
    "pdf": (
        "scan.pdf",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n",
    ),
    "svg": (
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
    ),
    "html": (
        "page.png",  # the name lies: the contents are checked
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    ),
    "tiff": ("scan.tiff", image_bytes("TIFF", (40, 20))),
    "bmp": ("old.bmp", image_bytes("BMP", (40, 20))),
}


def not_accepted(kind: str) -> SimpleUploadedFile:
    name, data = NOT_ACCEPTED[kind]
    return upload(name, data, "application/octet-stream")
