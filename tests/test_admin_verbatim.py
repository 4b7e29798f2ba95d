"""The verbatim guard in the admin: an unchanged save changes nothing, an imported
article's source and original body are read-only.

Forms are posted back as Chromium posts them (``tests.admin_forms``): every field
as shown, textareas with CRLF line endings.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from modeltranslation.translator import translator

from archive.models import Article, Event, Image, Person
from archive.services import import_source
from tests import admin_helpers
from tests.admin_forms import browser_post_data, change_form_id
from tests.factories import (
    make_archived_image,
    make_article,
    make_event,
    make_image,
    make_person,
    make_person_link,
    make_reference,
    make_translation,
    png_file,
)
from tests.test_fixture import snapshot

pytestmark = pytest.mark.django_db

ADMIN_MODELS = (Article, Person, Event, Image)
CRLF_SOURCE = (
    "\ufeff---\r\ntitle: 取り込んだ記事\r\nlang: ja\r\n---\r\n"
    "一段落目。\r\n\r\n二段落目。\r\n"
).encode()


# The admin tests' editor (all archive permissions, not a superuser), logged in.
editor = admin_helpers.editor
client = admin_helpers.client


@pytest.fixture
def imported(tmp_path) -> Article:
    """An article imported from a CRLF file with a byte-order mark."""
    path = tmp_path / "imported.txt"
    path.write_bytes(CRLF_SOURCE)
    article = import_source(path).article
    article.title_en = "An imported article"
    article.save()
    return article


@pytest.fixture
def archive(imported) -> dict:
    """A row of every archive model, multi-line text wherever a model has it."""
    person = make_person(
        key="alec",
        name_en="Alec Radford",
        bio_en="First line.\n\nSecond paragraph.",
    )
    make_person_link(person, url="https://en.wikipedia.org/wiki/Alec_Radford")
    # Text stored with CRs or spaces around it (say, by an older import) stays.
    legacy = make_person(
        key="legacy", name_en=" Legacy ", bio_en="old\r\ntext\rhere\r\n"
    )
    event = make_event(key="gpt", description_en="Released.\nWidely read.")
    article = make_article(
        key="typed",
        summary_en="A summary\nover two lines.",
        body_en="An English translation.\n\nIn two paragraphs.\n",
        source_document="",
        people=[person],
        events=[event],
    )
    make_reference(article, title="A title given\non two lines")
    make_translation(article, notes="Checked\nby hand.")
    make_image(
        key="inline",
        article=article,
        position=1,
        original_language="ja",
        alt_text_ja="図",
        caption_ja="一行目\n二行目",
    )
    archived = make_archived_image(png_file(), key="archived", caption_en="A\nchart")
    return {
        "items": [imported, person, legacy, event, article, archived],
        "article": article,
    }


def url(obj) -> str:
    return reverse(f"admin:archive_{obj._meta.model_name}_change", args=[obj.pk])


def post_as_shown(client, obj, **changes):
    """Post ``obj``'s change form back as the browser shows it, with ``changes``."""
    page = client.get(url(obj))
    assert page.status_code == 200
    data = browser_post_data(page.content.decode(), change_form_id(type(obj)))
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url(obj), data)


def test_the_browser_sends_textareas_with_crlf(client, archive):
    page = client.get(url(archive["article"])).content.decode()
    data = browser_post_data(page, change_form_id(Article))
    assert data["summary_en"] == ["A summary\r\nover two lines."]
    assert data["references-0-title"] == ["A title given\r\non two lines"]


def test_an_unchanged_post_of_every_change_form_changes_and_logs_nothing(
    client, archive
):
    before = snapshot()
    posted = set()
    for model in ADMIN_MODELS:
        for obj in model.objects.all():
            response = post_as_shown(client, obj)
            assert response.status_code == 302, response.context["adminform"].errors
            posted.add(obj._meta.label)
    assert posted == {model._meta.label for model in ADMIN_MODELS}
    # Every column of every archive table, updated_at included: nothing is written.
    assert snapshot() == before
    assert not LogEntry.objects.exists()
    imported = archive["items"][0]
    imported.refresh_from_db()
    assert imported.source_document.encode("utf-8") == CRLF_SOURCE
    legacy = Person.objects.get(key="legacy")
    assert (legacy.name_en, legacy.bio_en) == (" Legacy ", "old\r\ntext\rhere\r\n")


def test_a_real_change_writes_and_logs_only_the_changed_field(client, archive):
    article = archive["article"]
    translated = translator.get_options_for_model(Article).all_fields
    columns = [
        field.attname
        for field in Article._meta.concrete_fields
        if field.attname not in translated  # the active language's column again
    ]
    before = Article.objects.filter(pk=article.pk).values(*columns).get()
    response = post_as_shown(client, article, summary_en="A new\r\nsummary.")
    assert response.status_code == 302
    after = Article.objects.filter(pk=article.pk).values(*columns).get()
    changed = {name for name in columns if before[name] != after[name]}
    assert changed == {"summary_en", "updated_at"}
    assert after["summary_en"] == "A new\nsummary."
    entry = LogEntry.objects.get()
    assert json.loads(entry.change_message) == [
        {"changed": {"fields": ["Summary [en]"]}}
    ]


def test_a_change_to_one_inline_row_logs_only_that_row(client, archive):
    article = archive["article"]
    reference = article.references.get()
    response = post_as_shown(
        client, article, **{"references-0-url": "https://example.org/moved"}
    )
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.url == "https://example.org/moved"
    assert reference.title == "A title given\non two lines"
    (change,) = json.loads(LogEntry.objects.get().change_message)
    assert change["changed"]["fields"] == ["URL"]
    assert change["changed"]["object"] == reference.title


# -- an imported article's source is read-only ----------------------------------
SOURCE_COLUMNS = (
    "body_ja",
    "source_document",
    "source_filename",
    "source_format",
    "source_metadata",
    "source_sha256",
)


def test_an_imported_articles_source_and_original_body_are_read_only(client, imported):
    html = client.get(url(imported)).content.decode()
    for column in SOURCE_COLUMNS:
        assert f'name="{column}"' not in html, column
    assert "一段落目。" in html  # still shown
    # Translations stay editable.
    assert 'name="body_en"' in html and 'name="title_ja"' in html


def test_a_post_changing_an_imported_source_is_ignored(client, imported):
    columns = ("body_ja", *SOURCE_COLUMNS[1:])
    before = Article.objects.filter(pk=imported.pk).values(*columns).get()
    response = post_as_shown(
        client,
        imported,
        body_ja="書き換えた本文",
        source_document="---\r\ntitle: forged\r\n---\r\nforged",
        source_filename="forged.txt",
        source_format="other",
        source_metadata='{"forged": true}',
        source_sha256="0" * 64,
        title_en="A translated title",
    )
    assert response.status_code == 302
    assert Article.objects.filter(pk=imported.pk).values(*columns).get() == before
    imported.refresh_from_db()
    assert imported.title_en == "A translated title"  # the rest of the form saves
    assert imported.source_document.encode("utf-8") == CRLF_SOURCE


def test_an_article_typed_in_by_hand_keeps_an_editable_body(client):
    article = make_article(key="typed", source_document="")
    html = client.get(url(article)).content.decode()
    assert 'name="body_ja"' in html and 'name="source_document"' in html
    response = post_as_shown(client, article, body_ja="直した本文\r\n二行目\r\n")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_ja == "直した本文\n二行目\n"  # LF, and not stripped
