"""The editors' admin, driven through its pages as a logged-in staff editor.

Validation must come back as form errors (status 200, the message on the page,
nothing saved), never as a 500.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    Image,
    Person,
    Reference,
)
from archive.models.common import LANGUAGE_CODES, localized
from archive.renditions import RENDITION_WIDTHS
from archive.services import import_source
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_person,
    make_reference,
    png_file,
    tags_with,
)

pytestmark = pytest.mark.django_db


# -- fixtures and form data --------------------------------------------------
@pytest.fixture
def editor(django_user_model):
    """A staff member who may edit the archive, and nothing else (not a superuser)."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw-for-tests", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    return user


@pytest.fixture
def client(client, editor):
    client.force_login(editor)
    return client


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def empty_columns(*fields: str) -> dict[str, str]:
    return {localized(field, code): "" for field in fields for code in LANGUAGE_CODES}


def article_post(**overrides) -> dict:
    """Every field of the article add form, its three inlines included (empty)."""
    data = {
        **empty_columns(
            "title",
            "subtitle",
            "summary",
            "body",
            "slug",
            "publisher",
            "author",
            "place",
        ),
        "key": "ja-only",
        "original_language": "ja",
        "text_origin": "editors",
        "text_author": "",
        "title_ja": "日本語だけの記事",
        "body_ja": "本文です。英語も中国語もありません。",
        "original_url": "",
        "published_at_0": "",
        "published_at_1": "",
        "published_timezone": "",
        "generator_model": "",
        "translated_from": "",
        "source_filename": "",
        "source_format": "other",
        "source_document": "",
        "source_metadata": "{}",
        "cover_image": "",
        "status": "draft",
        "published_on_site_0": "",
        "published_on_site_1": "",
        **management("images"),
        **management("references"),
        **management("translations"),
    }
    data.update(overrides)
    return data


def event_post(**overrides) -> dict:
    data = {
        **empty_columns("title", "description", "slug"),
        "key": "born",
        "original_language": "en",
        "text_origin": "editors",
        "text_author": "",
        "title_en": "Born",
        "date": "1993-04",
        "date_order": "0",
        "category": "life",
    }
    data.update(overrides)
    return data


def person_post(**overrides) -> dict:
    data = {
        **empty_columns("name", "bio", "slug"),
        "key": "alec-radford",
        "original_language": "en",
        "text_origin": "editors",
        "text_author": "",
        "name_en": "Alec Radford",
        "sort_name": "Radford, Alec",
        "birth_date": "1993",
        "portrait": "",
        **management("links"),
    }
    data.update(overrides)
    return data


def image_post(**overrides) -> dict:
    data = {
        **empty_columns("title", "caption", "alt_text", "credit", "rights"),
        "key": "cover",
        "original_language": "zh-hans",
        "text_origin": "editors",
        "text_author": "",
        "source_url": "https://mmbiz.qpic.cn/cover.jpg",
        "alt_text_zh_hans": "封面",
        "article": "",
        "position": "",
    }
    data.update(overrides)
    return data


def url(model: type, view: str, *args) -> str:
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def results(response) -> list:
    return list(response.context["cl"].result_list)


# -- pages -----------------------------------------------------------------------
@pytest.fixture
def one_of_each():
    person = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    event = make_event(key="gpt", date="2018-06")
    image = make_image(
        key="img", source_url="https://example.org/a.png", alt_text_en="A chart"
    )
    article = make_article(key="a1", title_ja="機械学習の研究者", cover_image=image)
    article.people.add(person)
    article.events.add(event)
    return {Article: article, Person: person, Event: event, Image: image}


@pytest.mark.parametrize("model", [Article, Person, Event, Image])
def test_changelist_add_and_change_pages_open_for_an_editor(client, one_of_each, model):
    obj = one_of_each[model]
    for page in (
        url(model, "changelist"),
        url(model, "add"),
        url(model, "change", obj.pk),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
    assert obj.key in client.get(url(model, "change", obj.pk)).content.decode()


def test_change_page_loads_tabs_from_our_own_static_files_without_inline_script(
    client, one_of_each
):
    response = client.get(url(Article, "change", one_of_each[Article].pk))
    html = response.content.decode()
    assert "/static/xstatic/jquery-ui/jquery-ui.min.js" in html
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in html
    assert "/static/archive/admin/translation_tabs.js" in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and not [
        s for s in sources if s.startswith(("http:", "https:", "//"))
    ]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline_scripts == []
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]


def test_article_form_has_the_fieldsets_and_inlines(client, one_of_each):
    html = client.get(url(Article, "change", one_of_each[Article].pk)).content.decode()
    for heading in ("Text", "Source and provenance", "Source document", "Relations"):
        assert f"{heading}</h2>" in html or f">{heading}<" in html, heading
    for prefix in ("images", "references", "translations"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    # (body_ja, the original's body, is read-only: the article has a raw source.)
    for column in ("title_en", "title_ja", "title_zh_hans", "body_en", "slug_zh_hans"):
        assert f'name="{column}"' in html
    # Read-only derived values are shown, not editable.
    assert 'name="source_sha256"' not in html
    assert str(Article._meta.get_field("source_sha256").verbose_name) in html
    # Autocomplete widgets for the relations.
    for field in ("cover_image", "people", "events"):
        assert re.search(rf'<select[^>]+name="{field}"[^>]+admin-autocomplete', html)


# -- search, filters, autocomplete ----------------------------------------------
def test_search_finds_cjk_substrings_in_every_language_column(client):
    ja = make_article(key="ja", title_ja="機械学習の研究者")
    zh = make_article(
        key="zh", original_language="zh-hans", title_zh_hans="生成式预训练模型的作者"
    )
    en = make_article(
        key="en", original_language="en", title_en="Unsupervised learning"
    )
    changelist = url(Article, "changelist")
    assert results(client.get(changelist, {"q": "学習の研"})) == [ja]
    assert results(client.get(changelist, {"q": "预训练"})) == [zh]
    assert results(client.get(changelist, {"q": "unsupervised"})) == [en]
    assert results(client.get(changelist, {"q": "ja"})) == [ja]  # the key


def test_person_and_image_search_in_japanese_and_chinese(client):
    alec = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    make_person(key="ilya", name_en="Ilya Sutskever")
    cover = make_image(
        key="cover",
        original_language="zh-hans",
        source_url="https://example.org/c.jpg",
        alt_text_zh_hans="一张拉德福德的照片",
    )
    assert results(client.get(url(Person, "changelist"), {"q": "ラドフォ"})) == [alec]
    assert results(client.get(url(Image, "changelist"), {"q": "拉德福德"})) == [cover]


def test_autocomplete_for_people_returns_json(client):
    alec = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    make_person(key="ilya", name_en="Ilya Sutskever")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "archive",
            "model_name": "article",
            "field_name": "people",
            "term": "ラドフォード",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(alec.pk), "text": "アレック・ラドフォード"}
    ]


def test_nul_characters_in_search_terms_are_not_a_500(client):
    # PostgreSQL refuses NUL in queries; CI runs this on PostgreSQL too.
    make_person(key="alec", original_language="ja", name_ja="アレック・ラドフォード")
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "archive",
            "model_name": "article",
            "field_name": "people",
            "term": "ラド\x00",
        },
    )
    assert autocomplete.status_code == 200
    assert len(autocomplete.json()["results"]) == 1
    changelist = client.get(url(Person, "changelist"), {"q": "\x00ラド"})
    assert changelist.status_code == 200


def test_article_filters(client):
    published = make_article(
        key="p",
        status=Article.Status.PUBLISHED,
        published_at=datetime(2023, 5, 1, tzinfo=UTC),
        ai_generated=True,
    )
    draft = make_article(
        key="d",
        status=Article.Status.DRAFT,
        original_language="zh-hans",
        published_at=datetime(2019, 1, 1, tzinfo=UTC),
        machine_translated=True,
        title_en="Translated",
    )
    changelist = url(Article, "changelist")
    published_only = {"status__exact": Article.Status.PUBLISHED}
    assert results(client.get(changelist, published_only)) == [published]
    assert results(client.get(changelist, {"original_language__exact": "zh-hans"})) == [
        draft
    ]
    assert results(client.get(changelist, {"year": "2023"})) == [published]
    assert results(client.get(changelist, {"ai_generated__exact": "1"})) == [published]
    assert results(client.get(changelist, {"machine_translated__exact": "1"})) == [
        draft
    ]
    assert results(client.get(changelist, {"missing": "en"})) == [published]
    assert results(client.get(changelist, {"year": "not-a-year"})) == []
    response = client.get(changelist)
    html = response.content.decode()
    assert "?year=2023" in html and "?year=2019" in html  # the year filter's choices
    assert "published_at__year=2023" in html  # the date hierarchy


def test_event_filters_by_category_and_every_year_an_interval_touches(client):
    olin = make_event(key="olin", date="2011/2016", category="education")
    gpt = make_event(key="gpt", date="2018-06", category="research")
    changelist = url(Event, "changelist")
    assert results(client.get(changelist, {"category__exact": "education"})) == [olin]
    assert results(client.get(changelist, {"year": "2013"})) == [olin]
    assert results(client.get(changelist, {"year": "2018"})) == [gpt]
    html = client.get(changelist).content.decode()
    assert "?year=2016" in html and "?year=2011" in html


def test_image_filters_archived_or_not(client):
    archived = make_image(key="here", file=png_file(), alt_text_en="A")
    remote = make_image(key="there", source_url="https://example.org/x.jpg")
    changelist = url(Image, "changelist")
    assert results(client.get(changelist, {"archived": "yes"})) == [archived]
    assert results(client.get(changelist, {"archived": "no"})) == [remote]


def test_changelist_shows_original_title_and_language_badges(client):
    make_article(key="b", title_ja="機械学習の研究者", title_zh_hans="机器学习研究者")
    html = client.get(url(Article, "changelist")).content.decode()
    assert '<span lang="ja">機械学習の研究者</span>' in html
    assert 'archive-lang--original" title="Japanese: original">JA<' in html
    assert 'archive-lang--present" title="Simplified Chinese: translated">ZH<' in html
    assert 'archive-lang--missing" title="English: missing">EN<' in html


def test_article_changelist_queries_do_not_grow_with_rows(client):
    person = make_person(key="p", original_language="ja", name_ja="人")
    event = make_event(key="e")

    def add_articles(start: int, count: int) -> None:
        for n in range(start, start + count):
            article = make_article(
                key=f"a{n}", published_at=datetime(2020 + n % 3, 1, 1, tzinfo=UTC)
            )
            article.people.add(person)
            article.events.add(event)
            make_reference(article, position=1, title="t", url="https://e.org")
            make_image(
                key=f"i{n}",
                article=article,
                position=1,
                source_url="https://e.org/i.png",
            )

    changelist = url(Article, "changelist")
    add_articles(0, 3)
    client.get(changelist)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(results(client.get(changelist))) == 3
    add_articles(3, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(changelist)
    assert len(results(response)) == 30
    assert len(many) == len(few)
    assert results(response)[0].reference_total == 1


@pytest.mark.parametrize("model", [Person, Event, Image])
def test_other_changelists_query_count_does_not_grow_with_rows(client, model):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            if model is Person:
                make_person(key=f"p{n}", original_language="ja", name_ja=f"人{n}")
            elif model is Event:
                make_event(key=f"e{n}", date=f"{2000 + n}")
            else:
                article = make_article(key=f"a{n}")
                make_image(
                    key=f"i{n}",
                    article=article,
                    position=0,
                    file=png_file(),
                    alt_text_en="x",
                )

    add(0, 3)
    client.get(url(model, "changelist"))
    with CaptureQueriesContext(connection) as few:
        client.get(url(model, "changelist"))
    add(3, 17)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(model, "changelist"))
    assert len(results(response)) == 20
    assert len(many) == len(few)


# -- saving through the admin ------------------------------------------------------
def test_japanese_only_article_saves_through_the_admin(client):
    data = article_post(
        published_at_0="2023-05-01",
        published_at_1="09:30:00",
        published_timezone="Asia/Tokyo",
        **management("references", total=2),
        **{
            "references-0-position": "1",
            "references-0-title": "GPT-2 の論文",
            "references-0-url": "https://example.org/gpt2",
            "references-1-position": "2",
            "references-1-title": "CLIP",
            "references-1-url": "https://example.org/clip",
        },
        **management("translations", total=1),
        **{
            "translations-0-language": "en",
            "translations-0-translated_from": "ja",
            "translations-0-translator": "An editor",
            "translations-0-method": "human",
            "translations-0-translated_on": "",
            "translations-0-notes": "",
            "translations-0-notes_language": "en",
        },
    )
    response = client.post(url(Article, "add"), data)
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(key="ja-only")
    assert article.title_ja == "日本語だけの記事"
    assert not article.title_en and not article.body_en  # NULL: no English
    assert article.slug_ja == "日本語だけの記事" and not article.slug_en
    assert [r.title for r in article.references.all()] == ["GPT-2 の論文", "CLIP"]
    assert article.translations.get().translator == "An editor"
    assert article.source_metadata == {}


def test_the_admin_and_objects_create_give_the_same_slugs(client):
    fields = {"title_en": "Both Ways", "body_en": "Text.", "title_zh_hans": "两种"}
    response = client.post(url(Article, "add"), article_post(**fields))
    assert response.status_code == 302, form_errors(response)
    by_admin = Article.objects.get(key="ja-only")
    slugs = [by_admin.slug_en, by_admin.slug_ja, by_admin.slug_zh_hans]
    assert slugs == ["both-ways", "日本語だけの記事", "两种"]
    by_admin.delete()
    by_create = Article.objects.create(
        key="ja-only",
        original_language="ja",
        title_ja="日本語だけの記事",
        body_ja="本文です。",
        **fields,
    )
    assert [by_create.slug_en, by_create.slug_ja, by_create.slug_zh_hans] == slugs


def test_changing_an_article_keeps_its_inline_rows(client):
    article = make_article(key="keep", title_ja="元の題")
    ref = make_reference(article, position=1, title="x", url="https://e.org")
    image = make_image(
        key="pic",
        article=article,
        position=0,
        source_url="https://e.org/p.png",
        original_language="ja",
        alt_text_ja="写真",
    )
    data = article_post(
        key="keep",
        title_ja="新しい題",
        slug_ja=article.slug_ja,
        **management("references", total=1, initial=1),
        **{
            "references-0-id": str(ref.pk),
            "references-0-article": str(article.pk),
            "references-0-position": "1",
            "references-0-title": "y",
            "references-0-url": "https://e.org",
        },
        **management("images", total=1, initial=1),
        **{
            "images-0-id": str(image.pk),
            "images-0-article": str(article.pk),
            "images-0-position": "0",
            "images-0-key": "pic",
            **{f"images-0-alt_text_{c}": "" for c in ("en", "zh_hans")},
            "images-0-alt_text_ja": "写真",
        },
    )
    response = client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    ref.refresh_from_db()
    assert (article.title_ja, ref.title) == ("新しい題", "y")
    assert article.images.get() == image


def test_empty_source_metadata_saves_as_an_empty_mapping(client):
    response = client.post(url(Article, "add"), article_post(source_metadata=""))
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get().source_metadata == {}


def test_event_and_person_save_with_derived_sort_keys(client):
    response = client.post(url(Event, "add"), event_post(date="2011/2016"))
    assert response.status_code == 302, form_errors(response)
    event = Event.objects.get()
    assert (str(event.date_start), str(event.date_end)) == ("2011-01-01", "2016-12-31")
    response = client.post(url(Person, "add"), person_post(birth_date="1993-04"))
    assert response.status_code == 302, form_errors(response)
    assert str(Person.objects.get().birth_sort) == "1993-04-01"


def test_image_uploads_and_shows_a_thumbnail(client):
    data = image_post(source_url="", file=png_file("chart.png", (300, 150)))
    response = client.post(url(Image, "add"), data)
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height, len(image.sha256)) == (300, 150, 64)
    # Narrower than every rendition: the thumbnail is the file itself.
    assert image.renditions == {}
    html = client.get(url(Image, "changelist")).content.decode()
    thumbnail = {"src": image.file.url, "alt": "封面", "width": "96", "height": "48"}
    assert tags_with(html, "img", thumbnail)
    html = client.get(url(Image, "change", image.pk)).content.decode()
    assert f'<img src="{image.file.url}"' in html


def test_thumbnails_use_the_smallest_rendition(client):
    data = image_post(source_url="", file=png_file("wide.png", (1000, 500)))
    assert client.post(url(Image, "add"), data).status_code == 302
    image = Image.objects.get()
    smallest = image.file.storage.url(image.renditions[str(RENDITION_WIDTHS[0])])
    html = client.get(url(Image, "changelist")).content.decode()
    assert f'<img src="{smallest}"' in html


def test_remote_only_image_shows_a_badge_and_a_link_never_a_remote_img(client):
    make_image(
        key="remote",
        source_url="https://mmbiz.qpic.cn/pic.jpg",
        title_en="<b>bold</b>",
        alt_text_en="x",
    )
    html = client.get(url(Image, "changelist")).content.decode()
    assert "not archived" in html
    assert 'href="https://mmbiz.qpic.cn/pic.jpg"' in html
    assert not re.search(r'<img[^>]+src="https?://', html)
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


def test_event_change_page_previews_the_date_in_every_language(client):
    event = make_event(key="born", date="1993-04")
    html = client.get(url(Event, "change", event.pk)).content.decode()
    assert '<dd lang="en">April 1993</dd>' in html
    assert '<dd lang="ja">1993年4月</dd>' in html
    assert "1993-04-01 – 1993-04-30" in html
    assert "2015-11~ (approximate)" in html  # the field's help text


def test_person_change_page_previews_the_birth_date(client):
    person = make_person(key="alec", name_en="Alec Radford", birth_date="1993")
    html = client.get(url(Person, "change", person.pk)).content.decode()
    assert '<dd lang="zh-Hans">1993年</dd>' in html
    assert "1993-01-01 – 1993-12-31" in html


def test_view_on_site_goes_to_the_public_page(client):
    article = make_article(key="site", title_ja="公開ページ")
    html = client.get(url(Article, "change", article.pk)).content.decode()
    content_type = ContentType.objects.get_for_model(Article)
    shortcut = reverse("admin:view_on_site", args=[content_type.pk, article.pk])
    assert shortcut in html
    response = client.get(shortcut)
    assert response.status_code == 302
    assert unquote(response["Location"]).endswith(f"/en/articles/{article.slug_ja}/")


def test_publish_and_unpublish_actions(client, editor):
    first = make_article(key="one", status=Article.Status.DRAFT)
    second = make_article(key="two", status=Article.Status.DRAFT)
    changelist = url(Article, "changelist")
    response = client.post(
        changelist,
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "2 articles published." in response.content.decode()
    first.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED
    assert first.published_on_site is not None
    assert LogEntry.objects.filter(user=editor, object_id=str(first.pk)).exists()

    response = client.post(
        changelist, {"action": "unpublish", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 article unpublished" in response.content.decode()
    assert Article.objects.get(pk=first.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=second.pk).status == Article.Status.PUBLISHED


def test_the_action_the_form_and_the_importer_publish_alike(
    client, editor, tmp_path, caplog
):
    caplog.set_level(logging.INFO, logger="archive")
    by_action = make_article(key="by-action", status=Article.Status.DRAFT)
    by_form = make_article(key="by-form", status=Article.Status.DRAFT)
    source = tmp_path / "by-import.txt"
    source.write_text("---\nlang: ja\ntitle: 記事\n---\n本文。\n", encoding="utf-8")
    by_import = import_source(source).article
    assert Article.objects.filter(status="draft").count() == 3

    client.post(
        url(Article, "changelist"),
        {"action": "publish", "_selected_action": [by_action.pk]},
    )
    response = client.post(
        url(Article, "change", by_form.pk),
        article_post(key="by-form", title_ja="記事 by-form", status="published"),
    )
    assert response.status_code == 302
    import_source(source, publish=True)

    rows = [Article.objects.get(pk=item.pk) for item in (by_action, by_form, by_import)]
    assert {(row.status, row.published_on_site is not None) for row in rows} == {
        ("published", True)
    }
    publications = LogEntry.objects.filter(change_message="Published")
    assert sorted(publications.values_list("object_id", "user")) == sorted(
        [(str(by_action.pk), editor.pk), (str(by_form.pk), editor.pk)]
    )
    assert caplog.messages == [
        "Published article by-action (by editor)",
        "Published article by-form (by editor)",
        f"Published article {by_import.key} (by no user)",
    ]


# -- validation surfaces as form errors -----------------------------------------------
def assert_rejected(response, model, count: int = 0) -> str:
    assert response.status_code == 200
    assert model.objects.count() == count
    return response.content.decode()


def test_article_without_text_in_its_original_language_is_refused(client):
    data = article_post(
        title_ja="", body_ja="", title_en="English only", body_en="Text"
    )
    response = client.post(url(Article, "add"), data)
    assert_rejected(response, Article)
    errors = form_errors(response)
    assert errors["title_ja"] == ["Required in the original language (Japanese)."]
    assert errors["body_ja"] == ["Required in the original language (Japanese)."]
    assert "title_en" not in errors


def test_invalid_edtf_is_a_form_error(client):
    response = client.post(url(Event, "add"), event_post(date="April 1993"))
    html = assert_rejected(response, Event)
    assert "is not a valid EDTF date" in form_errors(response)["date"][0]
    assert "Use forms such as 1993" in html

    response = client.post(url(Person, "add"), person_post(birth_date="1993-13-45"))
    assert_rejected(response, Person)
    assert "is not a valid EDTF date" in form_errors(response)["birth_date"][0]


def test_invalid_edtf_on_an_existing_event_is_a_form_error(client):
    event = make_event(key="gpt", date="2018-06")
    response = client.post(
        url(Event, "change", event.pk), event_post(key="gpt", date="?")
    )
    assert response.status_code == 200
    assert "date" in form_errors(response)
    event.refresh_from_db()
    assert event.date == "2018-06"


@pytest.mark.parametrize("column", ["slug_ja", "slug_en", "slug_zh_hans"])
def test_slug_clash_in_any_language_column_is_a_form_error(client, column):
    make_article(key="first", title_ja="最初", **{column: "same-slug"})
    response = client.post(url(Article, "add"), article_post(**{column: "same-slug"}))
    assert_rejected(response, Article, count=1)
    assert "Another item already uses the slug “same-slug”" in str(
        form_errors(response)[column]
    )


def test_slug_clash_on_events_and_people(client):
    make_event(key="first", slug_en="born")
    response = client.post(url(Event, "add"), event_post(slug_en="born"))
    assert_rejected(response, Event, count=1)
    assert "slug_en" in form_errors(response)
    make_person(key="alec", name_en="Alec", slug_en="alec")
    response = client.post(url(Person, "add"), person_post(key="other", slug_en="alec"))
    assert_rejected(response, Person, count=1)
    assert "slug_en" in form_errors(response)


def test_duplicate_reference_position_is_an_inline_error(client):
    rows = {}
    for n in range(2):
        rows |= {
            f"references-{n}-position": "1",
            f"references-{n}-title": f"ref {n}",
            f"references-{n}-url": "https://example.org",
        }
    response = client.post(
        url(Article, "add"),
        article_post(**management("references", total=2), **rows),
    )
    html = assert_rejected(response, Article)
    assert Reference.objects.count() == 0
    assert "Please correct the duplicate data for position" in html


def test_bad_timezone_is_a_form_error(client):
    response = client.post(
        url(Article, "add"), article_post(published_timezone="Mars/Olympus_Mons")
    )
    assert_rejected(response, Article)
    assert "is not an IANA time zone" in form_errors(response)["published_timezone"][0]


def test_translated_from_its_own_language_is_a_form_error(client):
    response = client.post(url(Article, "add"), article_post(translated_from="ja"))
    assert_rejected(response, Article)
    assert "translated_from" in form_errors(response)


def test_translation_record_for_the_original_language_is_an_inline_error(client):
    article = make_article(key="rec")
    data = article_post(
        key="rec",
        slug_ja=article.slug_ja,
        **management("translations", total=1),
        **{
            "translations-0-language": "ja",
            "translations-0-translated_from": "en",
            "translations-0-translator": "someone",
            "translations-0-method": "human",
        },
    )
    response = client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert "This is the article&#x27;s original language" in response.content.decode()
    assert ArticleTranslation.objects.count() == 0


def test_image_needs_a_file_or_a_source_and_alt_text_in_its_language(client):
    response = client.post(url(Image, "add"), image_post(source_url=""))
    html = assert_rejected(response, Image)
    assert "Give an archived file, a source URL, or both." in html
    response = client.post(url(Image, "add"), image_post(alt_text_zh_hans=""))
    assert_rejected(response, Image)
    assert "alt_text_zh_hans" in form_errors(response)
    response = client.post(
        url(Image, "add"), image_post(alt_text_zh_hans="", decorative="on")
    )
    assert response.status_code == 302


def test_article_inline_image_errors_are_form_errors(client):
    data = article_post(
        **management("images", total=1),
        **{
            "images-0-position": "1",
            "images-0-key": "inline-pic",
            "images-0-file": png_file(),
            **{f"images-0-alt_text_{c}": "" for c in ("en", "ja", "zh_hans")},
        },
    )
    response = client.post(url(Article, "add"), data)
    assert_rejected(response, Article)
    assert Image.objects.count() == 0
    assert "Describe the image in its original language" in response.content.decode()


def test_new_inline_image_takes_its_articles_language(client):
    data = article_post(
        **management("images", total=1),
        **{
            "images-0-position": "1",
            "images-0-key": "inline-pic",
            "images-0-file": png_file(),
            **{f"images-0-alt_text_{c}": "" for c in ("en", "zh_hans")},
            "images-0-alt_text_ja": "グラフ",
        },
    )
    response = client.post(url(Article, "add"), data)
    assert response.status_code == 302, response.context and form_errors(response)
    image = Image.objects.get(key="inline-pic")
    assert (image.article.key, image.position) == ("ja-only", 1)
    assert image.original_language == "ja"
    assert (image.width, image.height) == (40, 20)
    # Archived by the same service as the image's own page: hashed on the way in.
    image.file.open("rb")
    assert image.sha256 == hashlib.sha256(image.file.read()).hexdigest()
    image.file.close()
    html = client.get(url(Article, "change", image.article.pk)).content.decode()
    assert '<span data-original-language="ja"><img src="' in html
