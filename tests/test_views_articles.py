"""Article addresses, drafts, the article list and query counts."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from archive.models import Article
from tests import factories
from tests.factories import (
    BCP47,
    LANGUAGES,
    count_tag,
    make_article,
    make_event,
    make_image,
    make_person,
    make_reference,
    make_translation,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db

# The shared article fixture, named here so that pytest finds it.
article = factories.article


# -- addresses ---------------------------------------------------------------------
def test_slug_of_another_language_redirects_permanently(client, article):
    japanese_slug = article.slug_ja
    response = client.get(f"/en/articles/{japanese_slug}/?original=1")
    assert response.status_code == 301
    assert response["Location"] == url_in(article, "en") + "?original=1"


def test_key_is_accepted_and_redirects(client, article):
    response = client.get("/en/articles/radford-ja/")
    assert response.status_code == 301
    assert response["Location"] == url_in(article, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_slug_is_a_translated_404(client, language):
    response = client.get(f"/{language}/articles/no-such-article/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    with translation.override(language):
        assert gettext("Page not found") in html
    assert count_tag(response, "h1") == 1


def test_japanese_404_is_in_japanese(client):
    html = page_text(client.get("/ja/articles/no-such-article/"))
    assert "ページが見つかりません" in html


@pytest.mark.parametrize(
    "path",
    [
        "/en/articles/%00/",
        "/ja/people/a%00b/",
        "/zh-hans/events/%00/",
        "/en/articles/" + "x" * 3000 + "/",
        "/en/articles/%F0%9F%92%A9/",
        "/en/articles/%E3%81%82/",
    ],
)
def test_odd_slugs_are_404_never_500(client, path):
    assert client.get(path).status_code == 404


def test_drafts_are_not_public(client, admin_client):
    draft = make_article(status=Article.Status.DRAFT, title_en="Secret", body_en="x")
    assert client.get(url_in(draft, "en")).status_code == 404
    public = make_article(title_en="Open", body_en="x")
    listing = page_text(client.get("/en/articles/"))
    assert url_in(public, "en") in listing and "Open" in listing
    assert url_in(draft, "en") not in listing and "Secret" not in listing
    # Editors preview it at its future address.
    response = admin_client.get(url_in(draft, "en"))
    assert response.status_code == 200
    assert "notice--draft" in page_text(response)


ROBOTS_NOINDEX = '<meta name="robots" content="noindex">'


def staff(django_user_model, name: str, *permissions: str):
    """A staff account holding exactly ``permissions`` (codenames in archive)."""
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="archive", codename__in=permissions
        )
    )
    return user


def test_staff_without_view_permission_gets_404_for_a_draft(client, django_user_model):
    draft = make_article(status=Article.Status.DRAFT, title_en="Secret", body_en="x")
    client.force_login(staff(django_user_model, "clerk", "view_person"))
    for language in LANGUAGES:
        response = client.get(url_in(draft, language))
        assert response.status_code == 404
        assert "Secret" not in page_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_draft_preview_needs_view_article_and_is_private_and_noindex(
    client, django_user_model, language
):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(staff(django_user_model, "reader", "view_article"))
    response = client.get(url_in(draft, language))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert page_text(response).count(ROBOTS_NOINDEX) == 1
    # The banner, in the visitor's language.
    with translation.override(language):
        banner = gettext(
            "Draft: this article is not public yet. Only editors can see this page."
        )
    assertContains(response, banner)
    assertContains(response, "notice--draft")


def test_a_draft_reached_by_another_slug_redirects_privately(client, django_user_model):
    draft = make_article(status=Article.Status.DRAFT, title_en="Draft title")
    client.force_login(staff(django_user_model, "reader", "view_article"))
    response = client.get(f"/en/articles/{draft.key}/")
    assert response.status_code == 301
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_published_articles_are_neither_private_nor_noindex(client, django_user_model):
    article = make_article()
    client.force_login(staff(django_user_model, "reader", "view_article"))
    response = client.get(url_in(article, "en"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response
    assertNotContains(response, ROBOTS_NOINDEX)
    assertNotContains(response, "notice--draft")


def test_the_public_gets_404_for_a_draft_in_every_language(client):
    draft = make_article(status=Article.Status.DRAFT, title_en="Secret")
    for language in LANGUAGES:
        assert client.get(url_in(draft, language)).status_code == 404


# -- the list ----------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_list_in_every_language(client, article, language):
    response = client.get(f"/{language}/articles/")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert url_in(article, language) in html
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver/{language}/articles/">',
        html=True,
    )
    if language == "zh-hans":
        # The title falls back to Japanese, marked as such.
        assert '<span lang="ja">アレック・ラドフォード：生成AIの先駆者</span>' in html


def test_list_filters(client, article):
    other = make_article(
        original_language="zh-hans",
        title_zh_hans="中文文章",
        body_zh_hans="正文",
        published_at=datetime.datetime(2023, 5, 1, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )
    person = article.people.get()
    by_language = page_text(client.get("/en/articles/?lang=zh-hans"))
    assert (
        url_in(other, "en") in by_language and url_in(article, "en") not in by_language
    )
    by_year = page_text(client.get("/en/articles/?year=2023"))
    assert url_in(other, "en") in by_year and url_in(article, "en") not in by_year
    by_person = page_text(client.get(f"/en/articles/?person={person.key}"))
    assert url_in(article, "en") in by_person and url_in(other, "en") not in by_person


def test_list_switcher_and_canonical_keep_valid_filters(client, article):
    response = client.get("/en/articles/?lang=ja&year=abc&junk=1")
    html = page_text(response)
    assert 'href="/ja/articles/?lang=ja"' in html
    assertContains(
        response,
        '<link rel="canonical" href="http://testserver/en/articles/?lang=ja">',
        html=True,
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=99999",
        "page=-1",
        "page=0",
        "page=abc",
        "page=1e9",
        "year=abc",
        "year=99999999999999999999",
        "lang=xx",
        "person=<script>alert(1)</script>",
        "person=" + "x" * 5000,
        "year=" + "9" * 5000,
        "original=<b>",
        "lang=%00",
        "person=%00",
        "person=a%00b",
    ],
)
def test_hostile_query_strings_never_500(client, article, query):
    response = client.get(f"/en/articles/?{query}")
    assert response.status_code in (200, 404)
    assert "<script>alert" not in page_text(response)
    detail = client.get(f"{url_in(article, 'en')}?{query}")
    assert detail.status_code == 200


def test_pagination_out_of_range_shows_the_last_page(client):
    for n in range(23):
        make_article(key=f"bulk-{n}", title_en=f"Bulk {n}", body_en="x")
    last = client.get("/en/articles/?page=99999")
    assert last.status_code == 200
    assert "Page 2 of 2" in page_text(last)
    first = page_text(client.get("/en/articles/"))
    assert 'href="/en/articles/?page=2" rel="next"' in first
    assert "23 articles" in first


# -- query counts ------------------------------------------------------------------
def _article_with(n: int) -> Article:
    people = [make_person() for _ in range(n)]
    events = [make_event() for _ in range(n)]
    article = make_article(
        title_en="Many", body_en="Body", people=people, events=events
    )
    for position in range(1, n + 1):
        make_reference(article, position=position)
        make_image(article=article, position=position)
    make_translation(article)
    return article


def test_detail_queries_do_not_grow_with_related_rows(
    client, django_assert_max_num_queries
):
    counts = []
    for n in (3, 25):
        article = _article_with(n)
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get(url_in(article, "en")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_list_queries_do_not_grow_with_articles(client, django_assert_max_num_queries):
    counts = []
    for n in (3, 18):
        person = make_person()
        for _ in range(n):
            make_article(title_en="x", body_en="y", people=[person])
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get("/ja/articles/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_untranslated_note_on_cards(client, article):
    html = page_text(client.get("/zh-hans/articles/"))
    assertNotContains(client.get("/en/articles/"), "card__note")
    assert "card__note" in html


def test_cached_body_follows_edits_to_the_article_and_its_images(client, article):
    path = url_in(article, "ja")
    assert "研究室の写真" in page_text(client.get(path))
    image = article.images.get()
    image.alt_text_ja = "新しい説明"
    image.save()
    assert "新しい説明" in page_text(client.get(path))
    article.body_ja = article.body_ja.replace("生年月日", "誕生")
    article.save()
    html = page_text(client.get(path))
    assert "誕生" in html and "生年月日" not in html
