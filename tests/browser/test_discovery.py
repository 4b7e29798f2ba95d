"""In Chromium, under the site's CSP: the JSON-LD data blocks parse and are never
run or blocked, and a feed reader finds the feeds from the page's <head>."""

from __future__ import annotations

import pytest
from django.utils import translation

from archive.models import Article
from tests.factories import make_article, make_event, make_person

HOSTILE = "</script><script>window.pwned = 1</script>"


@pytest.fixture
def items(transactional_db):
    article = make_article(key="hostile", title_ja=HOSTILE, title_en=HOSTILE)
    return [article, make_person(name_en=HOSTILE), make_event(title_en=HOSTILE)]


def url_in(item, language: str) -> str:
    with translation.override(language):
        return item.get_absolute_url()


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_json_ld_is_data_under_the_csp(page, items, language):
    for item in items:
        page.goto(url_in(item, language))
        data = page.eval_on_selector_all(
            'script[type="application/ld+json"]',
            "blocks => blocks.map(block => JSON.parse(block.textContent))",
        )
        assert len(data) == 1
        assert HOSTILE in (data[0].get("headline"), data[0].get("name")) or (
            data[0].get("translationOfWork", {}).get("headline") == HOSTILE
        )
        # The hostile title ran nowhere, and nothing was blocked or failed.
        assert page.evaluate("window.pwned") is None
        assert page.problems == []


def test_feed_links_lead_to_feeds(page, items):
    page.goto(url_in(items[0], "ja"))
    for kind in ("application/atom+xml", "application/rss+xml"):
        href = page.get_attribute(f'link[rel="alternate"][type="{kind}"]', "href")
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"].startswith(kind)
        assert HOSTILE in response.text() or "&lt;/script&gt;" in response.text()
    assert Article.objects.count() == 1
