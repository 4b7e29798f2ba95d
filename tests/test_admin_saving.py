"""The editors' admin saving items: slugs, inlines, images, previews and publishing."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from archive.models import (
    Article,
    Event,
    Image,
    Person,
    PersonFact,
)
from archive.renditions import RENDITION_WIDTHS
from archive.services import import_source
from tests import admin_helpers
from tests.admin_helpers import (
    article_post,
    event_post,
    fact_rows,
    form_errors,
    image_post,
    management,
    person_post,
    url,
)
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_person,
    make_person_fact,
    make_reference,
    png_file,
    tags_with,
)

pytestmark = pytest.mark.django_db

# The shared admin fixtures, named here so that pytest finds them.
client = admin_helpers.client
editor = admin_helpers.editor


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
    response = client.post(url(Person, "add"), person_post(**fact_rows("1993-04")))
    assert response.status_code == 302, form_errors(response)
    born = Person.objects.get().facts.get()
    assert (born.kind, born.statement_en) == ("born", "Born")
    assert (str(born.date_start), str(born.date_end)) == ("1993-04-01", "1993-04-30")


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


def test_fact_change_page_previews_the_date(client):
    fact = make_person_fact(make_person(key="alec"), date="1993")
    html = client.get(url(PersonFact, "change", fact.pk)).content.decode()
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
