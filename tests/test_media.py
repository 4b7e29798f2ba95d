"""Archived image files: validated by Pillow, fixity and size recorded, served.

Files are archived through ``archive_image_file``, as the admin does.
"""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from archive.models import Image
from archive.renditions import RENDITION_WIDTHS
from archive.services import archive_image_file

pytestmark = pytest.mark.django_db


def png_bytes(width=12, height=8) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_archived_file_records_size_and_sha256_and_is_served(client):
    data = png_bytes()
    image = Image(key="red", alt_text_en="A red rectangle")
    image.file = SimpleUploadedFile("red.png", data, content_type="image/png")
    image.full_clean()
    archive_image_file(image, image.file)
    assert (image.width, image.height) == (12, 8)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data


def test_a_file_that_is_not_an_image_is_a_validation_error():
    image = Image(key="fake", alt_text_en="x")
    image.file = SimpleUploadedFile(
        "fake.png", b"not an image", content_type="image/png"
    )
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "file" in excinfo.value.message_dict


def upload(key: str, width: int, height: int) -> Image:
    image = Image(key=key, alt_text_en="A red rectangle")
    image.file = SimpleUploadedFile(
        f"{key}.png", png_bytes(width, height), content_type="image/png"
    )
    image.full_clean()
    return archive_image_file(image, image.file)


def test_renditions_are_made_for_every_width_narrower_than_the_original():
    image = upload("wide", 1200, 600)
    assert sorted(int(width) for width in image.renditions) == [
        width for width in RENDITION_WIDTHS if width < 1200
    ]
    storage = image.file.storage
    for width, name in image.renditions.items():
        with storage.open(name) as handle, PILImage.open(handle) as picture:
            assert picture.format == "WEBP"
            assert picture.size == (int(width), int(width) // 2)
    small = upload("small", 200, 100)
    assert small.renditions == {}


def test_replacing_the_file_replaces_its_renditions(
    django_capture_on_commit_callbacks,
):
    image = upload("swap", 700, 700)
    old = list(image.renditions.values())
    storage = image.file.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = SimpleUploadedFile("new.png", png_bytes(400, 200), "image/png")
        archive_image_file(image, new)
    # The old renditions outlive the transaction that replaced them.
    assert all(storage.exists(name) for name in old)
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in old)
    assert list(image.renditions) == [str(RENDITION_WIDTHS[0])]
    assert storage.exists(image.renditions[str(RENDITION_WIDTHS[0])])
    with django_capture_on_commit_callbacks(execute=True):
        archive_image_file(image, None)
    image.refresh_from_db()
    assert (image.file.name, image.renditions, image.sha256) == ("", {}, "")


def test_a_failed_replacement_keeps_the_archived_copy_and_its_renditions():
    image = upload("keep", 700, 700)
    before = (image.file.name, image.sha256, dict(image.renditions))
    bad = SimpleUploadedFile("bad.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        archive_image_file(image, bad)
    image.refresh_from_db()
    assert (image.file.name, image.sha256, image.renditions) == before
    assert all(image.file.storage.exists(name) for name in before[2].values())


def test_saving_an_image_never_reads_its_file():
    image = upload("quiet", 700, 700)
    image.file.storage.delete(image.file.name)
    image.caption_en = "A caption, changed"
    image.save()  # would raise if save() opened the file it no longer has
    stored = Image.objects.filter(pk=image.pk).values("caption_en", "sha256").get()
    assert stored == {"caption_en": "A caption, changed", "sha256": image.sha256}
    assert len(image.sha256) == 64


def test_archived_figures_offer_a_srcset_of_our_own_files():
    from archive.markdown import render_markdown, sanitize

    image = upload("figure", 1200, 600)
    image.source_url = "https://remote.example/pic.png"
    image.save()
    html = render_markdown(f"![]({image.source_url})", images={image.source_url: image})
    assert 'srcset="' in html and "1200w" in html and "320w" in html
    assert "remote.example/pic.png 1" not in html
    # A srcset naming another host is dropped by the sanitiser.
    hostile = '<img src="/media/a.png" srcset="https://evil.example/x.png 2x" alt="">'
    assert "srcset" not in sanitize(hostile)


def test_deleting_an_image_deletes_its_local_file_and_renditions(
    django_capture_on_commit_callbacks,
):
    image = upload("doomed", 700, 350)
    storage = image.file.storage
    names = [image.file.name, *image.renditions.values()]
    assert len(names) == 3 and all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(storage.exists(name) for name in names)


def test_a_recovered_image_whose_files_went_with_it_comes_back_remote_only(
    client, django_user_model, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from reversion import create_revision
    from reversion.models import Version

    from tests.admin_forms import browser_post_data

    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    )
    with create_revision():
        image = upload("recovered", 700, 350)
        image.source_url = "https://remote.example.org/recovered.png"
        image.save()
    storage, name = image.file.storage, image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not storage.exists(name)

    version = Version.objects.get_deleted(Image).get()
    url = reverse("admin:archive_image_recover", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, browser_post_data(page.text, "image_form"))
    assert response.status_code == 302
    restored = Image.objects.get(key="recovered")
    assert (restored.file.name, restored.sha256, restored.renditions) == ("", "", {})
    assert (restored.width, restored.height) == (None, None)
    assert restored.source_url == "https://remote.example.org/recovered.png"


def test_restoring_an_older_version_keeps_only_renditions_that_still_exist(
    django_capture_on_commit_callbacks,
):
    from reversion import create_revision
    from reversion.models import Version

    from archive.revisions import restore_version

    with create_revision():
        image = upload("older", 700, 350)
    first = Version.objects.get_for_object(image).get()
    old_file = image.file.name
    with django_capture_on_commit_callbacks(execute=True), create_revision():
        new = SimpleUploadedFile("new.png", png_bytes(400, 200), "image/png")
        archive_image_file(image, new)
    restore_version(first)
    image.refresh_from_db()
    # The original was kept; its renditions went when it was replaced.
    assert image.file.name == old_file
    assert image.renditions == {}
