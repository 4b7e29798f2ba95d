"""What the Editor and Translator roles may do in the admin (archive/admin/roles.py),
driven through its pages with POSTs shaped as a browser's (textareas with CRLF line
endings) and forged ones a browser would not send: a translator's POST of read-only
fields is ignored while the translated columns save."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from archive.languages import LANGUAGE_CODES, localized
from archive.models import Article, ArticleTranslation, Event, Image, Person, Reference
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_person,
    make_person_link,
    make_reference,
)

pytestmark = pytest.mark.django_db

ARTICLE_TEXT = (
    "title",
    "subtitle",
    "summary",
    "body",
    "slug",
    "publisher",
    "author",
    "posting_location",
    "rights_note",
    "permission_note",
)
IMAGE_TEXT = (
    "title",
    "caption",
    "alt_text",
    "credit",
    "rights_note",
    "permission_note",
)


def member(django_user_model, name: str, role: str):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def translator(client, django_user_model):
    client.force_login(member(django_user_model, "translator", "Translator"))
    return client


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(member(django_user_model, "editor", "Editor"))
    return client


def url(model: type, view: str, *args) -> str:
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def forged_article_post(article: Article, **overrides) -> dict[str, str]:
    """Every field of the article form, as if none were read-only: what a forged
    POST sends. Unchanged values are the stored ones; textareas use CRLF."""
    data = {
        localized(field, code): (
            getattr(article, localized(field, code)) or ""
        ).replace("\n", "\r\n")
        for field in ARTICLE_TEXT
        for code in LANGUAGE_CODES
    }
    data.update(
        key=article.key,
        original_language=article.original_language,
        text_origin=article.text_origin,
        text_author=article.text_author,
        original_url=article.original_url,
        published_at_0="2025-01-01",
        published_at_1="04:05:00",
        published_timezone=article.published_timezone,
        generator_model="",
        translated_from="",
        source_filename=article.source_filename,
        source_format=article.source_format,
        source_document=article.source_document.replace("\n", "\r\n"),
        source_metadata="{}",
        rights_statement=article.rights_statement,
        source_rights_notice=article.source_rights_notice,
        cover_image="",
        status=article.status,
        published_on_site_0="",
        published_on_site_1="",
        **management("images"),
        **management("references"),
        **management("translations"),
    )
    data.update(overrides)
    return data


# -- a translator --------------------------------------------------------------------
def test_translator_saves_the_chinese_title_and_a_forged_original_is_ignored(
    translator,
):
    article = make_article(
        original_language="ja",
        status=Article.Status.DRAFT,
        title_ja="日本語の原文",
        body_ja="原文の本文。\n\n二段落目。",
    )
    make_reference(article, position=1, title="出典", url="https://example.org/a")
    before = Article.objects.get(pk=article.pk)
    data = forged_article_post(
        article,
        title_zh_hans="中文标题",
        summary_zh_hans="第一行\r\n第二行",
        body_ja="書き換えた本文",
        title_ja="書き換えた題",
        key="taken-over",
        status="published",
        original_language="zh-hans",
        source_document="forged\r\n",
        original_url="https://evil.example/",
        **{
            **management("references", total=1, initial=1),
            "references-0-id": str(article.references.get().pk),
            "references-0-article": str(article.pk),
            "references-0-position": "1",
            "references-0-title": "forged",
            "references-0-url": "https://evil.example/",
        },
    )
    response = translator.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title_zh_hans == "中文标题"
    assert "第二行" in article.summary_zh_hans
    assert article.slug_zh_hans  # filled from the new title, as for an editor
    for field in (
        "body_ja",
        "title_ja",
        "key",
        "status",
        "original_language",
        "source_document",
        "original_url",
        "published_at",
    ):
        assert getattr(article, field) == getattr(before, field), field
    reference = Reference.objects.get(article=article)
    assert (reference.title, reference.url) == ("出典", "https://example.org/a")


def test_translator_form_shows_the_original_read_only(translator):
    article = make_article(original_language="ja", title_ja="原題", body_ja="本文")
    make_image(article=article, position=1)
    page = translator.get(url(Article, "change", article.pk)).content.decode()
    for editable in ("title_zh_hans", "body_zh_hans", "title_en", "body_en"):
        assert f'name="{editable}"' in page
    for locked in (
        "title_ja",
        "body_ja",
        "key",
        "status",
        "original_language",
        "source_document",
        "original_url",
        "images-0-alt_text_ja",
        "images-0-file",
    ):
        assert f'name="{locked}"' not in page
    assert "本文" in page  # still shown, as text
    # Translation records are the translator's own: an empty form to add one.
    assert 'name="translations-__prefix__-language"' in page
    assert 'name="references-__prefix__-title"' not in page


def test_translator_adds_a_translation_record(translator):
    article = make_article(original_language="ja")
    data = forged_article_post(
        article,
        title_en="An English title",
        **{
            **management("translations", total=1),
            "translations-0-language": "en",
            "translations-0-translated_from": "ja",
            "translations-0-translator": "A. Translator",
            "translations-0-method": ArticleTranslation.Method.HUMAN,
            "translations-0-translated_on": "2026-11-27",
            "translations-0-notes": "一行目\r\n二行目",
            "translations-0-notes_language": "ja",
        },
    )
    response = translator.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = article.translations.get()
    assert (record.language, record.translator) == ("en", "A. Translator")


def test_translator_cannot_add_delete_or_publish(translator):
    draft = make_article(status=Article.Status.DRAFT)
    assert translator.get(url(Article, "add")).status_code == 403
    assert translator.post(url(Article, "add"), {"key": "new"}).status_code == 403
    assert not Article.objects.filter(key="new").exists()
    assert translator.get(url(Article, "delete", draft.pk)).status_code == 403
    assert (
        translator.post(url(Article, "delete", draft.pk), {"post": "yes"}).status_code
        == 403
    )
    changelist = translator.get(url(Article, "changelist"))
    # Publish, unpublish and delete were the list's only actions: none is offered.
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None
    for action in ("publish", "delete_selected"):
        response = translator.post(
            url(Article, "changelist"),
            {"action": action, "_selected_action": [draft.pk], "post": "yes"},
            follow=True,
        )
        # Without any action the list ignores the POST: no message, nothing done.
        assert response.status_code == 200
        assert not list(response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    for model, item in (
        (Person, make_person()),
        (Event, make_event()),
        (Image, make_image()),
    ):
        assert translator.get(url(model, "add")).status_code == 403
        assert (
            translator.post(url(model, "delete", item.pk), {"post": "yes"}).status_code
            == 403
        )
        assert model.objects.filter(pk=item.pk).exists()


def test_translator_changes_only_other_languages_of_a_person(translator):
    person = make_person(original_language="en", name_en="Alec Radford")
    make_person_link(person, kind="website", url="https://example.org/alec")
    link = person.links.get()
    data = {
        **{
            localized(f, c): "" for f in ("name", "bio", "slug") for c in LANGUAGE_CODES
        },
        "key": "forged",
        "original_language": "en",
        "name_en": "Forged Name",
        "name_ja": "アレック・ラドフォード",
        "bio_ja": "一行目\r\n二行目",
        "sort_name": "Forged",
        **management("alternative_names"),
        **management("facts"),
        **management("links", total=1, initial=1),
        "links-0-id": str(link.pk),
        "links-0-person": str(person.pk),
        "links-0-kind": "website",
        "links-0-url": "https://evil.example/",
    }
    response = translator.post(url(Person, "change", person.pk), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name_ja == "アレック・ラドフォード"
    assert (person.name_en, person.key, person.sort_name) == (
        "Alec Radford",
        person.key,
        "Person, " + person.key,
    )
    assert person.key != "forged"
    assert person.links.get().url == "https://example.org/alec"


def test_translator_translates_an_image_but_not_its_original(translator):
    image = make_image(original_language="zh-hans", alt_text_zh_hans="原文说明")
    data = {
        **{
            localized(f, c): getattr(image, localized(f, c)) or ""
            for f in IMAGE_TEXT
            for c in LANGUAGE_CODES
        },
        "rights_statement": image.rights_statement,
        "alt_text_zh_hans": "forged",
        "alt_text_en": "The description in English",
        "key": "forged",
        "source_url": "https://evil.example/x.jpg",
        "position": "",
        "article": "",
    }
    response = translator.post(url(Image, "change", image.pk), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text_en == "The description in English"
    assert image.alt_text_zh_hans == "原文说明"
    assert image.key != "forged" and image.source_url != "https://evil.example/x.jpg"


# -- an editor ---------------------------------------------------------------------
def test_editor_changes_the_original_publishes_and_deletes(editor):
    # Typed in by an editor, not imported: an imported source's body changes only
    # by re-import (the verbatim guard), whoever edits.
    article = make_article(
        original_language="ja", status=Article.Status.DRAFT, source_document=""
    )
    data = forged_article_post(article, body_ja="新しい本文\r\n", status="published")
    response = editor.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body_ja.startswith("新しい本文")
    assert article.status == Article.Status.PUBLISHED
    changelist = editor.get(url(Article, "changelist"))
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert {"publish", "unpublish", "delete_selected"} <= set(actions)
    editor.post(
        url(Article, "changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert editor.get(url(Article, "add")).status_code == 200
    response = editor.post(url(Article, "delete", article.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_status_needs_the_publish_permission_even_with_the_original_one(
    client, django_user_model
):
    """An account that may change originals but not publish sees the status
    read-only, and a forged status is ignored."""
    user = django_user_model.objects.create_user("writer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive").exclude(
            codename="publish_article"
        )
    )
    client.force_login(user)
    article = make_article(status=Article.Status.DRAFT)
    data = forged_article_post(article, status="published", title_en="Now in English")
    response = client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Now in English"
    assert article.status == Article.Status.DRAFT
    assert (
        'name="status"'
        not in client.get(url(Article, "change", article.pk)).content.decode()
    )
