"""Two editors open the same article in two browsers; the second to save is told.

Each editor has a browser context of their own (own cookies, own session), like two
people at two desks. The refused page keeps the second editor's text, shows what
differs, and a deliberate second save goes through.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission

from archive.models import Article
from tests.factories import make_article

PASSWORD = "a-long-test-password"
SCREENSHOT = "/tmp/conflict.png"


@pytest.fixture
def open_editor(browser, live_server, django_user_model) -> Iterator:
    """Log an editor in, in a browser context of their own; return the page."""
    contexts, problems = [], []

    def open_as(username: str, first: str, last: str):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", PASSWORD, is_staff=True
        )
        user.first_name, user.last_name = first, last
        user.save()
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="archive")
        )
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: problems.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    open_as.problems = problems
    yield open_as
    for context in contexts:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_second_editor_is_told_and_loses_nothing(open_editor):
    article = make_article(key="radford", title_ja="ラドフォードの記事")
    ada = open_editor("ada", "Ada", "Lovelace")
    ben = open_editor("ben", "Ben", "Okri")
    change = f"/admin/archive/article/{article.pk}/change/"
    ada.goto(change)
    ben.goto(change)

    # Ada renames the article and saves.
    assert ada.locator("#id_title_ja").is_visible()  # the original's tab is open
    ada.fill("#id_title_ja", "アダが直した題名")
    ada.locator("input[name='_save']").last.click()
    ada.locator(".messagelist .success").wait_for()

    # Ben, whose form is older, writes a summary and saves.
    ben.fill("#id_summary_ja", "ベンの要約。\n二行目。")
    ben.locator("input[name='_save']").last.click()
    ben.locator(".errornote").wait_for()

    error = ben.locator(".errorlist.nonfield").inner_text()
    assert "changed by Ada Lovelace at" in error
    assert "since you opened it" in error
    table = ben.locator(".archive-conflict-table")
    title_row = table.locator("tr.archive-conflict-title_ja")
    assert title_row.locator("th").inner_text() == "Title (日本語)"
    assert title_row.locator("td").all_inner_texts() == [
        "アダが直した題名",
        "ラドフォードの記事",
    ]
    assert table.locator("tr.archive-conflict-summary_ja td").all_inner_texts() == [
        "—",
        "ベンの要約。\n二行目。",
    ]
    # Nothing was stored; Ben's text is still in his form.
    assert ben.locator("#id_summary_ja").input_value() == "ベンの要約。\n二行目。"
    stored = Article.objects.get(pk=article.pk)
    # Ben's summary was not stored (the column is empty: NULL or "").
    assert (stored.title_ja, stored.summary_ja or "") == ("アダが直した題名", "")
    ben.screenshot(path=SCREENSHOT, full_page=True)

    # Having read the differences, Ben keeps Ada's title and saves his summary.
    ben.fill("#id_title_ja", "アダが直した題名")
    ben.locator("input[name='_save']").last.click()
    ben.locator(".messagelist .success").wait_for()
    stored = Article.objects.get(pk=article.pk)
    assert stored.title_ja == "アダが直した題名"
    assert stored.summary_ja.replace("\r\n", "\n") == "ベンの要約。\n二行目。"
    assert open_editor.problems == []
