"""An editor compares two revisions of an article and restores the older one.

In Debian's Chromium under the strict CSP: the history, compare and restore pages
must work with no inline script or style and no console error.
"""

from __future__ import annotations

import pytest
from reversion import create_revision, set_user

from archive.models import Article
from tests.factories import make_article, make_reference

PASSWORD = "a-long-test-password"


@pytest.mark.django_db(transaction=True)
def test_editor_compares_two_revisions_and_restores_one(
    page, live_server, django_user_model
):
    editor = django_user_model.objects.create_superuser(
        "editor", "editor@example.org", PASSWORD
    )
    with create_revision():
        set_user(editor)
        article = make_article(key="restored", title_ja="元の題")
        make_reference(article, position=1, url="https://example.org/kept")
        make_reference(article, position=2, url="https://example.org/lost")
    with create_revision():
        set_user(editor)
        article.references.get(position=2).delete()
        article.title_ja = "書き換えた題"
        article.body_ja = "本文の一行目です。\n\n書き換えた二段落目です。"
        article.save()

    page.goto(f"/admin/login/?next=/admin/archive/article/{article.pk}/history/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/history/")

    # The newest and the one before are chosen already: compare them.
    page.get_by_role("button", name="Compare the chosen revisions").click()
    page.wait_for_url("**/history/compare/**")
    title_row = page.locator("tr[data-field='title_ja']")
    assert title_row.locator("del").inner_text() == "元の題"
    assert title_row.locator("ins").inner_text() == "書き換えた題"
    body_row = page.locator("tr[data-field='body_ja']")
    assert body_row.locator("ins").first.inner_text() == "書き換えた"
    assert "removed" in page.locator(".archive-diff-row--removed").inner_text()
    page.screenshot(path="/tmp/revisions.png", full_page=True)

    page.locator("a.archive-restore-link").click()
    page.wait_for_url("**/history/*/")
    assert page.locator("#id_title_ja").input_value() == "元の題"
    assert page.locator(".archive-restore-note").is_visible()
    page.locator("input[name='_save']").last.click()
    page.locator(".messagelist .success").wait_for()

    article = Article.objects.get(key="restored")
    assert article.title_ja == "元の題"
    assert sorted(article.references.values_list("url", flat=True)) == [
        "https://example.org/kept",
        "https://example.org/lost",
    ]
    page.goto(f"/admin/archive/article/{article.pk}/history/")
    assert "Restored the version of" in page.locator("#change-history").inner_text()
    page.screenshot(path="/tmp/revisions-history.png", full_page=True)
    assert page.problems == []
