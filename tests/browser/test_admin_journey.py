"""An editor adds a Japanese-only article through the admin, in a real browser.

The page must work offline under the strict CSP: jQuery UI and the tabs come
from our own static files, no request leaves the live server, and the console
stays free of errors and CSP violations.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from archive.models import Article

PASSWORD = "a-long-test-password"


@pytest.fixture
def requests_made(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.mark.django_db(transaction=True)
def test_editor_adds_a_japanese_only_article(
    page, live_server, django_user_model, requests_made, tmp_path
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)

    page.goto("/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()
    page.wait_for_url("**/admin/archive/article/add/")

    # Tabs carry each language's own name; only one language is shown at a time.
    title_tabs = page.locator("a[href^='#tab_id_title_']")
    assert title_tabs.all_inner_texts()[:2] == ["English", "日本語"]
    assert "中文" in title_tabs.nth(2).inner_text()
    assert page.locator("#id_title_en").is_visible()
    assert not page.locator("#id_title_ja").is_visible()

    # Click the Japanese tab of the title: the Japanese field replaces the English.
    page.get_by_role("tab", name="日本語").first.click()
    assert page.locator("#id_title_ja").is_visible()
    assert not page.locator("#id_title_en").is_visible()
    page.fill("#id_title_ja", "日本語だけの記事")

    # Choosing the original language opens its tabs and marks them.
    page.fill("#id_key", "ja-only")
    assert page.locator("#id_body_en").is_visible()
    page.select_option("#id_original_language", "ja")
    assert page.locator("#id_body_ja").is_visible()
    assert "archive-tab--original" in (
        page.locator("a[href='#tab_id_body_ja']").get_attribute("class")
    )
    page.fill("#id_body_ja", "本文です。\n\n英語の版はまだありません。")
    page.locator("input[name='_save']").last.click()

    success = page.locator(".messagelist .success")
    success.wait_for()
    assert "was added successfully" in success.inner_text()
    article = Article.objects.get(key="ja-only")
    assert article.title_ja == "日本語だけの記事"
    assert not article.title_en
    assert article.slug_ja == "日本語だけの記事"

    # The change page opens on the original language's tabs.
    page.goto(f"/admin/archive/article/{article.pk}/change/")
    assert page.locator("#id_title_ja").is_visible()
    assert page.locator("#id_title_ja").input_value() == "日本語だけの記事"
    # Kept under pytest's temporary directory for a human to look at, never the repo.
    page.screenshot(path=str(tmp_path / "admin-article.png"), full_page=True)

    assert page.problems == []
    server = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requests_made if urlsplit(url).netloc != server]
    assert elsewhere == []
    assert any("/static/xstatic/jquery-ui/" in url for url in requests_made)


@pytest.mark.django_db(transaction=True)
def test_missing_original_text_shows_the_error_on_its_tab(
    page, live_server, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto("/admin/login/?next=/admin/archive/article/add/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/archive/article/add/")

    page.fill("#id_key", "no-japanese")
    page.select_option("#id_original_language", "ja")
    page.locator("a[href='#tab_id_title_en']").click()
    page.fill("#id_title_en", "Only English")
    page.locator("input[name='_save']").last.click()

    page.locator(".errornote").wait_for()
    # The tab with the error is the one shown, and it is flagged.
    assert page.locator("#id_title_ja").is_visible()
    assert "Required in the original language (Japanese)." in page.inner_text(
        "#tab_id_title_ja"
    )
    assert "ui-tab-has-errors" in (
        page.locator("a[href='#tab_id_title_ja']").locator("..").get_attribute("class")
    )
    assert not Article.objects.exists()
    assert page.problems == []
