"""A visitor searches from the header box, reads the results and follows one."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def archive(transactional_db):
    call_command("loaddata", "archive", verbosity=0)


def test_search_from_the_header_and_follow_a_result(page, live_server, archive):
    page.goto("/ja/")
    box = page.get_by_role("searchbox", name="アーカイブを検索").first
    box.fill("天才")
    box.press("Enter")
    page.wait_for_url("**/ja/search/?q=*")
    assert "q=%E5%A4%A9%E6%89%8D" in page.url  # the query is kept in the URL
    hits = page.locator(".search-hit")
    assert hits.count() >= 2
    first = hits.first
    assert first.locator("mark").first.inner_text() == "天才"
    assert first.locator(".search-hit__snippet").get_attribute("lang") in (
        "ja",
        "zh-Hans",
    )
    # Narrow by kind, then follow a result to its page.
    page.locator(".facets").get_by_role("link", name="記事").click()
    assert page.locator(".search-hit").count() >= 1
    assert all(
        tag == "記事" for tag in page.locator(".search-hit .tag").all_inner_texts()
    )
    title = page.locator(".search-hit__title a").first
    title_text = title.inner_text()
    title.click()
    page.wait_for_load_state()
    assert "/ja/articles/" in page.url
    assert title_text.strip()[:8] in page.locator("h1").inner_text()
    # Searching for nothing findable shows the helpful empty state, not an error.
    box = page.get_by_role("searchbox", name="アーカイブを検索").first
    box.fill('"<script>')
    box.press("Enter")
    page.wait_for_url("**/ja/search/?q=*")
    assert "一致するものはありません" in page.locator("main").inner_text()
    assert page.problems == []
