"""A visitor's journey in Chromium: the Chinese article in the English UI, switch
to Japanese and stay on it, open a person, walk the timeline."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.utils import translation

from archive.models import Article

ZH_KEY = "jiqizhixin-alec-radford-no-phd-gpt-era"


@pytest.fixture
def archive(transactional_db):
    call_command("loaddata", "archive", verbosity=0)
    return Article.objects.get(key=ZH_KEY)


def same_host(page, live_server) -> list[str]:
    """Requests that left the live server (there must be none)."""
    return [url for url in page.requests if not url.startswith(live_server.url)]


def test_visitor_reads_switches_language_and_walks_the_timeline(
    page, live_server, archive
):
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    with translation.override("en"):
        english_url = archive.get_absolute_url()
    with translation.override("ja"):
        japanese_url = archive.get_absolute_url()

    # The Chinese article, English UI: an English translation with the original
    # one click away, the source's images in place as placeholders.
    page.goto(english_url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1
    assert "GPT" in page.locator("h1").inner_text()
    assert page.get_by_role(
        "link", name="Read the original (Simplified Chinese)"
    ).count()
    assert page.locator("article figure").count() >= 11

    # Switch to Japanese: the same article, now in Japanese.
    page.locator(".language-switcher").get_by_role("link", name="日本語").click()
    page.wait_for_load_state()
    assert unquote(urlsplit(page.url).path) == unquote(japanese_url)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "アルトマン" in page.locator("main").inner_text()

    # The original stays one click away, marked as Chinese.
    page.locator("a[href*='original=1']").first.click()
    page.wait_for_load_state()
    assert page.locator("[lang='zh-Hans']").filter(has_text="奥特曼").count() >= 1

    # Open a person the article mentions.
    page.goto(japanese_url)
    page.locator("main a[href*='/ja/people/']").first.click()
    page.wait_for_load_state()
    assert "/ja/people/" in page.url
    assert page.locator("h1").count() == 1

    # Walk the timeline: grouped by year, dates at their real precision.
    page.locator(".site-nav").get_by_role("link", name="年表").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "1993年4月" in text
    assert "1993年4月1日" not in text  # never an invented day
    years = page.locator("main h2").all_inner_texts()
    assert len(years) >= 8

    assert page.problems == []
    assert same_host(page, live_server) == []


def test_keyboard_user_skips_to_the_content_and_sees_focus(page, live_server, archive):
    with translation.override("zh-hans"):
        page.goto(archive.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    # The focused skip link is on screen and outlined (visible focus).
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 0
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert in_main
    assert page.problems == []
