"""Archived image files: validated by Pillow, fixity and size recorded, served."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from archive.models import Image

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
    image.save()
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
