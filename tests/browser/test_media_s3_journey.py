"""Chromium shows archived images from an S3 bucket (moto on loopback): signed URLs
load, the CSP allows them, and nothing else is fetched from elsewhere."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import make_placed_figure


@pytest.fixture
def figure(transactional_db, s3_media):
    return make_placed_figure("bucket-figure")


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_bucket_images_load_on_the_article_and_image_pages(
    page, live_server, figure, s3_media, language
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    bucket = f"{s3_media.server.endpoint}/{s3_media.bucket}/"
    for item in (figure.article, figure):
        with translation.override(language):
            url = item.get_absolute_url()
        page.goto(url)
        image = page.locator("figure img").first
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert image.evaluate("img => img.currentSrc").startswith(bucket)
    assert page.problems == []
    elsewhere = [
        url for url in requests if not url.startswith((live_server.url, bucket))
    ]
    assert elsewhere == []
