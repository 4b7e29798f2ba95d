"""Uploads through the admin's own forms (image page and the article's image
rows): every bad file is a form error, never a 500, and the live copy stays."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from archive.models import Article, Image
from tests.admin_forms import browser_post_data
from tests.factories import make_archived_image, make_article
from tests.test_uploads import FORMAT_ERROR, PIXEL_ERROR, stored_state
from tests.upload_files import (
    corrupt_png,
    image_upload,
    not_accepted,
    png_bomb,
    truncated_jpeg,
)

pytestmark = pytest.mark.django_db

DAMAGED_JPEG = (
    "This JPEG image is damaged or incomplete: it could not be read to the end."
)


@pytest.fixture
def client(client, django_user_model):
    editor = django_user_model.objects.create_user(
        "uploader", "uploader@example.org", "pw-for-tests", is_staff=True
    )
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    client.force_login(editor)
    return client


@pytest.fixture
def article():
    return make_article(key="with-images")


@pytest.fixture
def live(article):
    """An archived image with renditions, shown in its article."""
    image = make_archived_image(
        image_upload("JPEG", (1200, 800)), key="live", article=article, position=1
    )
    assert len(image.renditions) == 3
    return image


def change_url(obj) -> str:
    return reverse(f"admin:archive_{obj._meta.model_name}_change", args=[obj.pk])


def post_image_form(client, image: Image, file, **headers):
    """The image's change form as the page gives it, with ``file`` chosen."""
    page = client.get(change_url(image))
    assert page.status_code == 200
    data = browser_post_data(page.content.decode(), "image_form")
    data["file"] = file
    return client.post(change_url(image), data, **headers)


def post_article_form(client, article: Article, row: int, file):
    """The article's change form as the page gives it, with ``file`` chosen for
    its image row ``row``."""
    page = client.get(change_url(article))
    assert page.status_code == 200
    data = browser_post_data(page.content.decode(), "article_form")
    data[f"images-{row}-file"] = file
    return client.post(change_url(article), data)


def image_form_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("file", [])


def inline_errors(response) -> list:
    for formset in response.context["inline_admin_formsets"]:
        if formset.formset.prefix == "images":
            return [form.errors for form in formset.formset.forms]
    raise AssertionError("no image rows on the article form")


def test_the_admins_form_posts_back_unchanged(client, live):
    before = stored_state(live)
    response = post_image_form(client, live, "")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored_state(live) == before


@pytest.mark.parametrize(
    "bad, message",
    [
        (truncated_jpeg, DAMAGED_JPEG),
        (corrupt_png, DAMAGED_JPEG.replace("JPEG", "PNG")),
        (png_bomb, PIXEL_ERROR),
        (lambda: not_accepted("eps"), FORMAT_ERROR),
        (lambda: not_accepted("ps"), FORMAT_ERROR),
        (lambda: not_accepted("pdf"), FORMAT_ERROR),
        (lambda: not_accepted("svg"), FORMAT_ERROR),
        (lambda: not_accepted("html"), FORMAT_ERROR),
        (lambda: not_accepted("tiff"), FORMAT_ERROR),
    ],
)
def test_a_bad_replacement_on_the_image_page_is_a_form_error(
    client, live, bad, message, django_capture_on_commit_callbacks
):
    before = stored_state(live)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_image_form(client, live, bad())
    assert response.status_code == 200
    assert image_form_errors(response) == [message]
    assert message in response.content.decode()
    assert stored_state(live) == before


def test_a_truncated_jpeg_in_the_articles_image_row_is_a_form_error(
    client, article, live, django_capture_on_commit_callbacks
):
    before = stored_state(live)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_article_form(client, article, 0, truncated_jpeg())
    assert response.status_code == 200
    assert inline_errors(response) == [{"file": [DAMAGED_JPEG]}]
    assert stored_state(live) == before


def test_a_bomb_in_the_articles_image_row_is_a_form_error(client, article, live):
    before = stored_state(live)
    response = post_article_form(client, article, 0, png_bomb())
    assert response.status_code == 200
    assert inline_errors(response) == [{"file": [PIXEL_ERROR]}]
    assert stored_state(live) == before


def test_over_the_byte_limit_is_a_form_error_in_the_editors_language(
    client, live, settings
):
    settings.ARCHIVE_IMAGE_MAX_BYTES = 1000
    before = stored_state(live)
    response = post_image_form(
        client, live, image_upload("PNG", (200, 100)), HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 200
    [message] = image_form_errors(response)
    assert message.startswith("このファイルは ") and "1000" in message
    assert stored_state(live) == before


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_a_good_replacement_replaces_the_file_and_its_renditions(
    client, live, fmt, django_capture_on_commit_callbacks
):
    old = stored_state(live)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_image_form(client, live, image_upload(fmt, (700, 350)))
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.width, live.height) == (700, 350)
    assert sorted(live.renditions) == ["320", "640"]
    storage = live.file.storage
    assert all(storage.exists(name) for name in live.renditions.values())
    assert not any(storage.exists(name) for name in old[4].values())


def test_a_good_replacement_in_the_articles_image_row(client, article, live):
    response = post_article_form(client, article, 0, image_upload("GIF", (700, 350)))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.file.name.endswith(".gif")
    assert sorted(live.renditions) == ["320", "640"]


def test_the_upload_inputs_accept_only_the_allowed_types(client, article, live):
    accept = 'accept="image/jpeg,image/png,image/gif,image/webp"'
    for obj in (live, article):
        html = client.get(change_url(obj)).content.decode()
        assert accept in html
