"""Image gallery and image detail: archived copies, placeholders, credits."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from pytest_django.asserts import assertContains, assertTemplateUsed

from archive.models import Article
from tests.factories import (
    BCP47,
    LANGUAGES,
    count_tag,
    make_archived_image,
    make_article,
    make_image,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(width: int = 40, height: int = 30) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def archived():
    return make_archived_image(
        png(),
        key="archived-photo",
        title_en="Olin College",
        caption_en="The campus in 2011.",
        alt_text_en="A brick building",
        alt_text_ja="レンガ造りの建物",
        credit_en="Jane Photographer",
        rights_note_en="CC BY 4.0",
    )


@pytest.fixture
def remote():
    return make_image(
        key="remote-photo",
        original_language="zh-hans",
        source_url="https://mmbiz.example.com/remote.png",
        caption_zh_hans="",
        alt_text_zh_hans="奥特曼的推文截图",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_gallery_in_every_language(client, archived, remote, language):
    response = client.get(f"/{language}/images/")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert archived.file.url in html
    assert url_in(archived, language) in html and url_in(remote, language) in html
    # Not archived: a placeholder linking to the original, never the remote file.
    assert 'src="https://mmbiz.example.com/remote.png"' not in html
    assert 'href="https://mmbiz.example.com/remote.png"' in html
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver/{language}/images/">',
        html=True,
    )
    # Every <img> has an alt attribute.
    assert html.count("<img ") == html.count(" alt=")


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_in_every_language(client, archived, language):
    response = client.get(url_in(archived, language))
    assert response.status_code == 200
    assertTemplateUsed(response, "archive/image_detail.html")
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert "Jane Photographer" in html and "CC BY 4.0" in html
    assert archived.sha256 in html
    assert "40 × 30" in html
    if language == "ja":
        assert 'alt="レンガ造りの建物"' in html
    else:
        assert 'alt="A brick building"' in html
    for code in LANGUAGES:
        assert (
            f'<a href="/{code}/images/archived-photo/" hreflang="{BCP47[code]}"' in html
        )


def test_detail_of_a_remote_image_says_it_is_not_archived(client, remote):
    response = client.get(url_in(remote, "en"))
    html = page_text(response)
    assert "No: only the address of the original is known." in html
    assert "figure--missing" in html
    # The description is Chinese, marked as Chinese, with a notice.
    assert '<span lang="zh-Hans">奥特曼的推文截图</span>' in html
    assert "notice--fallback" in html


def test_decorative_image_has_empty_alt(client):
    image = make_archived_image(png(), key="ornament", decorative=True, alt_text_en="")
    html = page_text(client.get(url_in(image, "en")))
    assert 'alt=""' in html
    assert "Decorative" in html


def test_images_of_drafts_are_hidden(client):
    draft = make_article(title_en="Draft", body_en="x", status=Article.Status.DRAFT)
    image = make_image(key="draft-photo", article=draft, position=1)
    assert client.get(url_in(image, "en")).status_code == 404
    assert "draft-photo" not in page_text(client.get("/en/images/"))


def test_unknown_image_is_404(client):
    assert client.get("/zh-hans/images/no-such-image/").status_code == 404


@pytest.mark.parametrize(
    "query", ["page=99999", "page=abc", "page=-5", "page=" + "9" * 400]
)
def test_gallery_hostile_pages(client, remote, query):
    assert client.get(f"/en/images/?{query}").status_code == 200


def test_gallery_queries_do_not_grow(client, django_assert_max_num_queries):
    counts = []
    for n in (3, 20):
        article = make_article(title_en="a", body_en="b")
        for position in range(n):
            make_image(article=article, position=position)
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get("/en/images/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
