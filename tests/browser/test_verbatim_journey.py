"""In Chromium, an editor saves an imported article without changing anything, then
changes only its summary: the source is untouched and only the summary is logged.

Chromium sends textareas with CRLF line endings; the admin must read them as LF.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry

from archive.models import Article
from archive.services import import_source
from tests.paths import SOURCES

PASSWORD = "a-long-test-password"


def row(article: Article) -> dict:
    """Every column of the article's row (``values()`` alone would name only the
    active language's columns)."""
    columns = [field.attname for field in Article._meta.concrete_fields]
    return Article.objects.filter(pk=article.pk).values(*columns).get()


@pytest.mark.django_db(transaction=True)
def test_saving_an_imported_article_in_chromium_changes_only_what_was_typed(
    page, live_server, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    article = import_source(SOURCES / "000_26fa5280491dbf1f.txt").article
    article.summary_en = "A summary\nover two lines.\n"
    article.body_en = "An English translation.\n\nIn two paragraphs.\n"
    article.save()
    before = row(article)

    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    change = f"/admin/archive/article/{article.pk}/change/"

    page.goto(change)
    # The original body and the raw source are shown, not editable.
    assert page.locator("textarea[name='body_ja']").count() == 0
    assert page.locator("textarea[name='source_document']").count() == 0
    page.locator("input[name='_continue']").first.click()
    page.wait_for_url(f"**{change}")
    assert row(article) == before  # every column, updated_at included
    assert not LogEntry.objects.exists()

    page.locator("a[href='#tab_id_summary_en']").click()
    page.fill("#id_summary_en", "A new summary\nover two lines.")
    page.locator("input[name='_continue']").first.click()
    page.wait_for_url(f"**{change}")
    after = row(article)
    assert after["summary_en"] == "A new summary\nover two lines."
    # modeltranslation's untranslated mirror column ("summary") holds whatever the
    # active language read at save time: it is no column of ours, so it is left out.
    changed = {name for name in before if before[name] != after[name]} - {"summary"}
    assert changed == {"summary_en", "updated_at"}
    entry = LogEntry.objects.get()
    assert json.loads(entry.change_message) == [
        {"changed": {"fields": ["Summary [en]"]}}
    ]
    assert page.problems == []
