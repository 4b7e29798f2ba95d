"""A translator fills the Chinese tab of a Japanese article, in a real browser,
and finds the Japanese original shown but not editable."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import connection

from archive.models import Article
from tests.factories import make_article

PASSWORD = "a-long-test-password"
SCREENSHOT = "/tmp/translator.png"

roles = importlib.import_module("archive.migrations.0010_roles_groups")


@pytest.mark.django_db(transaction=True)
def test_translator_fills_the_chinese_tab_and_cannot_touch_the_original(
    page, live_server, django_user_model
):
    # A transactional test starts from a flushed database: make the roles again
    # with the migration's own (idempotent) function.
    roles.create_roles(django_apps, SimpleNamespace(connection=connection))
    user = django_user_model.objects.create_user(
        "translator", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Translator"))
    article = make_article(
        key="ja-bio",
        original_language="ja",
        title_ja="アレック・ラドフォードの経歴",
        body_ja="原文の一段落目。\n\n原文の二段落目。",
        status=Article.Status.DRAFT,
    )
    original = Article.objects.get(pk=article.pk)

    page.goto("/admin/")
    page.fill("#id_username", "translator")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/archive/article/{article.pk}/change/")

    # The Japanese original is on the page as text, with no field to type in.
    assert page.locator("#id_title_ja, #id_body_ja, #id_key, #id_status").count() == 0
    assert page.get_by_text("原文の一段落目。").first.is_visible()
    # No delete link either.
    assert page.locator("a.deletelink").count() == 0

    page.locator("a[href='#tab_id_title_zh_hans']").click()
    page.fill("#id_title_zh_hans", "亚历克·拉德福德的经历")
    page.locator("a[href='#tab_id_body_zh_hans']").click()
    page.fill("#id_body_zh_hans", "第一段。\n\n第二段。")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.locator("input[name='_save']").last.click()

    success = page.locator(".messagelist .success")
    success.wait_for()
    article.refresh_from_db()
    assert article.title_zh_hans == "亚历克·拉德福德的经历"
    assert "第二段。" in article.body_zh_hans
    for field in ("title_ja", "body_ja", "key", "status", "source_document"):
        assert getattr(article, field) == getattr(original, field), field
    assert page.problems == []
