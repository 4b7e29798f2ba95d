"""Pages from the cache in Chromium: the same page for the next visitor, its
scripts allowed by a fresh nonce, and a reload revalidated (304) that keeps the
page and its policy together."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from archive.models import Article


@pytest.fixture
def archive(transactional_db):
    call_command("loaddata", "archive", verbosity=0)
    return Article.objects.first()


@pytest.fixture
def next_visitor(browser, live_server):
    """A second browser profile: its own cache, so it asks the server."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def reload_statuses(page) -> list[int]:
    """The statuses the server sent for a reload, as they came over the wire
    (Playwright's response, and DevTools' merged one, show the kept page: 200)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    statuses: list[int] = []
    session.on(
        "Network.responseReceivedExtraInfo",
        lambda event: statuses.append(event["statusCode"]),
    )
    page.reload()
    session.detach()
    return statuses


def test_a_cached_article_reads_the_same_and_revalidates(page, next_visitor, archive):
    with translation.override("ja"):
        url = archive.get_absolute_url()
    first = page.goto(url)
    assert first.status == 200 and first.headers["x-archive-cache"] == "miss"
    heading = page.locator("h1").inner_text()
    second = next_visitor.goto(url)
    assert second.headers["x-archive-cache"] == "hit"
    assert next_visitor.locator("h1").inner_text() == heading
    assert reload_statuses(page)[0] == 304  # asked with its ETag
    assert page.locator("h1").inner_text() == heading
    assert page.problems == []


@override_settings(ROOT_URLCONF="tests.page_cache_urls")
def test_an_inline_script_runs_from_the_cache_and_after_a_304(
    page, next_visitor, transactional_db
):
    assert page.goto("/en/nonce-page/").headers["x-archive-cache"] == "miss"
    assert next_visitor.goto("/en/nonce-page/").headers["x-archive-cache"] == "hit"
    for visitor in (page, next_visitor):
        assert visitor.evaluate("document.documentElement.dataset.ran") == "yes"
    assert reload_statuses(next_visitor)[0] == 304
    assert next_visitor.evaluate("document.documentElement.dataset.ran") == "yes"
    assert page.problems == []
