"""Safe uploads (archive/uploads.py, archive_image_file): a file is checked for
size, format and pixels from its header, fully decoded, and only then archived;
a refusal leaves the archived copy and its renditions as they were."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from PIL import Image as PILImage

from archive.models import Image
from archive.renditions import RENDITION_WIDTHS
from archive.services import archive_image_file
from archive.uploads import ACCEPT, check_upload
from tests.factories import make_archived_image, make_image
from tests.test_settings import run_manage
from tests.upload_files import (
    NOT_ACCEPTED,
    corrupt_png,
    image_upload,
    not_accepted,
    png_bomb,
    truncated_jpeg,
)

pytestmark = pytest.mark.django_db

FORMAT_ERROR = (
    "Only JPEG, PNG, GIF and WebP images are accepted, and this file is none of "
    "them (its contents were checked, not its name)."
)
PIXEL_ERROR = (
    "This image has more than 40,000,000 pixels (width × height), the most the "
    "archive accepts. Scale it down and upload it again."
)


def refusal(file) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(file)
    return excinfo.value


def stored_state(image: Image) -> tuple:
    """The row's file columns and the bytes of every file it points at."""
    image.refresh_from_db()
    storage = image.file.storage
    names = [image.file.name, *image.renditions.values()]
    contents = {}
    for name in names:
        with storage.open(name) as handle:
            contents[name] = hashlib.sha256(handle.read()).hexdigest()
    return (
        image.file.name,
        image.sha256,
        image.width,
        image.height,
        dict(image.renditions),
        contents,
    )


@pytest.fixture
def archived():
    image = make_archived_image(image_upload("JPEG", (1200, 800)), key="live")
    assert len(image.renditions) == 3
    return image


# -- a failed replacement changes nothing ------------------------------------------
@pytest.mark.parametrize(
    "bad, code",
    [
        (truncated_jpeg, "image_damaged"),
        (corrupt_png, "image_damaged"),
        (png_bomb, "too_many_pixels"),
        (lambda: not_accepted("eps"), "image_format"),
    ],
)
def test_a_failed_replacement_leaves_the_file_and_renditions(
    archived, bad, code, django_capture_on_commit_callbacks
):
    before = stored_state(archived)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as excinfo:
            archive_image_file(archived, bad())
    assert excinfo.value.code == code
    assert callbacks == []  # nothing scheduled for deletion
    assert stored_state(archived) == before


def test_the_truncated_jpeg_is_refused_as_damaged_not_as_unreadable():
    error = refusal(truncated_jpeg())
    assert error.code == "image_damaged"
    assert error.messages == [
        "This JPEG image is damaged or incomplete: it could not be read to the end."
    ]
    assert refusal(corrupt_png()).messages[0].startswith("This PNG image is damaged")


# -- formats -----------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(NOT_ACCEPTED))
def test_only_jpeg_png_gif_and_webp_are_accepted(kind):
    error = refusal(not_accepted(kind))
    assert error.code == "image_format"
    assert error.messages == [FORMAT_ERROR]


def test_an_eps_file_is_never_handed_to_the_eps_plugin(monkeypatch):
    # Were the EPS plugin asked, it would parse the header (and load() would
    # run Ghostscript). Pillow is told which plugins it may use, so it never is.
    from PIL import EpsImagePlugin

    asked = []
    monkeypatch.setattr(
        EpsImagePlugin.EpsImageFile, "_open", lambda self: asked.append(self)
    )
    assert refusal(not_accepted("eps")).code == "image_format"
    assert asked == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP", "MPO"])
def test_each_accepted_format_is_archived_with_renditions(fmt):
    image = make_archived_image(image_upload(fmt, (700, 350), name="x.bin"))
    assert (image.width, image.height) == (700, 350)
    assert sorted(map(int, image.renditions)) == [
        width for width in RENDITION_WIDTHS if width < 700
    ]
    storage = image.file.storage
    for name in image.renditions.values():
        with storage.open(name) as handle, PILImage.open(handle) as rendition:
            assert rendition.format == "WEBP"
    # Stored under the extension of what it is, whatever it was called.
    extension = {"JPEG": "jpg", "MPO": "jpg", "WEBP": "webp"}.get(fmt, fmt.lower())
    assert re.search(rf"/x(_\w+)?\.{extension}$", image.file.name), image.file.name


def test_a_png_named_html_is_stored_and_served_as_a_png(client):
    image = make_archived_image(image_upload("PNG", (40, 20), name="page.html"))
    assert re.search(r"/page(_\w+)?\.png$", image.file.name), image.file.name
    response = client.get(image.file.url)
    assert response["Content-Type"] == "image/png"


def test_the_upload_widget_accepts_the_same_types():
    widget = Image._meta.get_field("file").formfield().widget
    assert widget.attrs["accept"] == ACCEPT
    assert ACCEPT == "image/jpeg,image/png,image/gif,image/webp"


# -- limits --------------------------------------------------------------------------
def test_the_144_megapixel_bomb_is_refused_by_the_pixel_limit():
    bomb = png_bomb()
    assert bomb.size < 20_000  # 17 KB of file
    error = refusal(bomb)
    assert (error.code, error.messages) == ("too_many_pixels", [PIXEL_ERROR])


@override_settings(ARCHIVE_IMAGE_MAX_PIXELS=10_000)
def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded():
    error = refusal(image_upload("PNG", (200, 100)))  # 20,000 pixels
    assert error.code == "too_many_pixels"
    assert "more than 10,000 pixels" in error.messages[0]
    check_upload(image_upload("PNG", (100, 100)))  # exactly at the limit


@override_settings(ARCHIVE_IMAGE_MAX_BYTES=1000)
def test_a_file_over_the_byte_limit_is_refused_before_it_is_read():
    big = image_upload("PNG", (200, 100))
    assert big.size > 1000
    error = refusal(big)
    assert error.code == "image_too_large"
    assert error.messages == [
        f"This file is {big.size / 1024:.1f}\xa0KB; the archive accepts images of "
        "at most 1000\xa0bytes."
    ]
    # Refused whatever it contains: the size comes before the format.
    assert refusal(not_accepted("eps")).code == "image_format"


def test_limits_are_given_in_the_editors_language():
    with translation.override("ja"):
        message = refusal(png_bomb()).messages[0]
    assert "40,000,000" in message and "ピクセル" in message
    with translation.override("zh-hans"):
        assert "像素" in refusal(png_bomb()).messages[0]
        assert "JPEG" in refusal(not_accepted("pdf")).messages[0]


def test_pillow_bomb_guard_matches_the_pixel_limit():
    assert settings.ARCHIVE_IMAGE_MAX_PIXELS == 40_000_000
    assert settings.ARCHIVE_IMAGE_MAX_BYTES == 25 * 1024 * 1024
    assert PILImage.MAX_IMAGE_PIXELS == settings.ARCHIVE_IMAGE_MAX_PIXELS


# -- the model's own validation ---------------------------------------------------
def test_full_clean_refuses_a_wrong_format_but_passes_stored_files(archived):
    image = make_image(key="eps")
    image.file = not_accepted("eps")
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert excinfo.value.message_dict["file"] == [FORMAT_ERROR]
    # A stored file was checked when it was archived.
    archived.caption_en = "Changed"
    archived.full_clean()


def test_limits_come_from_the_environment():
    code = (
        "from django.conf import settings as s; from PIL import Image;"
        "print(s.ARCHIVE_IMAGE_MAX_BYTES, s.ARCHIVE_IMAGE_MAX_PIXELS,"
        " Image.MAX_IMAGE_PIXELS)"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_IMAGE_MAX_BYTES="1048576",
        DJANGO_IMAGE_MAX_PIXELS="1000000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1048576", "1000000", "1000000"]
    bad = run_manage("check", DJANGO_IMAGE_MAX_BYTES="25MB")
    assert bad.returncode != 0
    assert (
        "DJANGO_IMAGE_MAX_BYTES must be a positive whole number, not '25MB'."
        in bad.stderr
    )
