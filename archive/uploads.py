"""What an uploaded image must be before the archive keeps it.

Checked in this order, each refusal a ``ValidationError`` with the limit in the
editor's language: the byte size (from the upload object, nothing read yet), the
format (from the decoded header, never the file name; only the JPEG, PNG, GIF and
WebP plugins of Pillow may parse an upload, so EPS/PS, PDF and the rest are never
opened and Ghostscript never runs), the pixel count (from the header), and last a
full decode (``load()``), which a truncated or corrupt file fails.

TIFF is not accepted: browsers do not show it (the original is offered in every
``srcset``), and libtiff's many codecs are a large surface for one more format
editors can convert to PNG without loss.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

# Pillow's format name → (name shown to editors, extension of the stored file).
# A camera JPEG carrying a second picture opens as MPO: it is a JPEG to everyone.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "MPO": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "GIF": ("GIF", "gif"),
    "WEBP": ("WebP", "webp"),
}
# The only Pillow plugins allowed to read an upload at all.
PILLOW_PLUGINS = ("JPEG", "PNG", "GIF", "WEBP")
# The upload widget's ``accept``: the same types.
ACCEPT = "image/jpeg,image/png,image/gif,image/webp"

# What Pillow raises on a file it cannot read (UnidentifiedImageError is an
# OSError).
DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    PILImage.DecompressionBombError,
)


def max_bytes() -> int:
    """The largest upload accepted, in bytes (``ARCHIVE_IMAGE_MAX_BYTES``)."""
    return settings.ARCHIVE_IMAGE_MAX_BYTES


def max_pixels() -> int:
    """The most pixels (width × height) accepted (``ARCHIVE_IMAGE_MAX_PIXELS``)."""
    return settings.ARCHIVE_IMAGE_MAX_PIXELS


def too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "This image has more than %(limit)s pixels (width × height), the most "
            "the archive accepts. Scale it down and upload it again."
        ),
        code="too_many_pixels",
        params={"limit": number_format(max_pixels(), force_grouping=True)},
    )


def not_accepted() -> ValidationError:
    return ValidationError(
        _(
            "Only JPEG, PNG, GIF and WebP images are accepted, and this file is "
            "none of them (its contents were checked, not its name)."
        ),
        code="image_format",
    )


def check_size(file: File) -> None:
    """Refuse a file over the byte limit before reading any of it."""
    if file.size is not None and file.size > max_bytes():
        raise ValidationError(
            _(
                "This file is %(size)s; the archive accepts images of at most "
                "%(limit)s."
            ),
            code="image_too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(max_bytes()),
            },
        )


def open_upload(file: File) -> PILImage.Image:
    """``file`` opened by Pillow, header only, once its size, format and pixel
    count pass; the caller closes it. ``ValidationError`` otherwise."""
    check_size(file)
    file.open("rb")
    file.seek(0)
    try:
        picture = PILImage.open(file, formats=PILLOW_PLUGINS)
    except PILImage.DecompressionBombError as exc:
        raise too_many_pixels() from exc
    except DECODE_ERRORS as exc:
        raise not_accepted() from exc
    # (Never ``picture.close()``: Pillow would close the upload too.)
    if picture.format not in ACCEPTED_FORMATS:
        raise not_accepted()
    if picture.width * picture.height > max_pixels():
        raise too_many_pixels()
    return picture


@contextmanager
def decoded_upload(file: File) -> Iterator[PILImage.Image]:
    """``file`` fully decoded (its first frame), after every check of
    ``open_upload``; the upload stays open and is rewound afterwards.
    ``ValidationError`` on a truncated or corrupt file."""
    try:
        with open_upload(file) as picture:
            try:
                picture.load()
            except DECODE_ERRORS as exc:
                raise ValidationError(
                    _(
                        "This %(format)s image is damaged or incomplete: it could "
                        "not be read to the end."
                    ),
                    code="image_damaged",
                    params={"format": format_name(picture)},
                ) from exc
            yield picture
    finally:
        file.seek(0)


def check_upload(file: File) -> None:
    """Every check, the full decode included (``ValidationError`` on failure)."""
    with decoded_upload(file):
        pass


def check_header(file: File) -> None:
    """The cheap checks (size, format, pixels), without decoding the image."""
    try:
        with open_upload(file):
            pass
    finally:
        file.seek(0)


def format_name(picture: PILImage.Image) -> str:
    """The format as editors know it: JPEG, PNG, GIF or WebP."""
    return ACCEPTED_FORMATS[picture.format][0]


def stored_name(name: str, picture: PILImage.Image) -> str:
    """``name`` with the extension of the format its contents are in, so that the
    file is served as what it is (``photo.html`` holding a PNG → ``photo.png``)."""
    stem = os.path.splitext(os.path.basename(name))[0] or "image"
    return f"{stem}.{ACCEPTED_FORMATS[picture.format][1]}"


class ImageUploadField(forms.FileField):
    """The upload field of the image forms: every check of ``check_upload``, so a
    bad file is a form error before the model ever holds it."""

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        with decoded_upload(upload) as picture:
            upload.content_type = PILImage.MIME.get(picture.format, "")
        return upload
