"""The admin pieces every item's admin shares: fieldsets, count columns, filters."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from archive.models import Image
from tests.factories import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    client.force_login(editor)
    return client


def changelist(model: type, **params: str) -> tuple[str, dict[str, str]]:
    return reverse(f"admin:archive_{model._meta.model_name}_changelist"), params


def results(response) -> list:
    return list(response.context["cl"].result_list)


# -- filters -----------------------------------------------------------------------
def png_file() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def test_archived_filter_splits_copies_from_remote_only_images(client):
    remote = make_image()
    archived = make_image(file=png_file(), source_url="")
    url, params = changelist(Image, archived="yes")
    assert results(client.get(url, params)) == [archived]
    url, params = changelist(Image, archived="no")
    assert results(client.get(url, params)) == [remote]
    assert list(Image.objects.archived()) == [archived]
    assert list(Image.objects.remote_only()) == [remote]
