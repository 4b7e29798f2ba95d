"""Article list and article detail in every language: text, fallback, metadata."""

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

from archive.models import Article, ArticleTranslation
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
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db

REMOTE_IMAGE = "https://mmbiz.example.com/photo.png"
LONG_URL = "https://example.com/a/very/long/original/address?with=query"


@pytest.fixture
def article() -> Article:
    """A Japanese original with an English translation and no Chinese one."""
    person = make_person(name_en="Alec Radford", name_ja="アレック・ラドフォード")
    event = make_event(title_en="Joins OpenAI", date="2016-05")
    article = make_article(
        key="radford-ja",
        title_ja="アレック・ラドフォード：生成AIの先駆者",
        body_ja=f"### 生年月日\n1993年4月\n生まれです。\n\n![]({REMOTE_IMAGE})\n",
        title_en="Alec Radford: Pioneer of Generative AI",
        body_en="### Birth\nBorn in April 1993.\n",
        subtitle_en="A biography",
        publisher_ja="ある出版社",
        author_en="Jane Writer",
        place_zh_hans="四川",
        original_url=LONG_URL,
        ai_generated=True,
        generator_model="x-ai/grok-4-fast",
        machine_translated=True,
        translated_from="",
        source_filename="000_26fa5280491dbf1f.txt",
        people=[person],
        events=[event],
    )
    make_translation(
        article,
        language="en",
        translator="Claude (Anthropic)",
        method=ArticleTranslation.Method.MACHINE,
    )
    make_reference(article, title="OpenAIの論文", url="https://openai.com/paper")
    make_image(
        article=article,
        position=1,
        source_url=REMOTE_IMAGE,
        original_language="ja",
        caption_ja="",
        alt_text_ja="研究室の写真",
    )
    return article


# -- every language ----------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_in_every_language(client, article, language):
    response = client.get(url_in(article, language))
    assert response.status_code == 200
    assertTemplateUsed(response, "archive/article_detail.html")
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    for tag in ("header", "nav", "main", "footer"):
        assert count_tag(response, tag) >= 1
    # Alternates for all three languages, x-default (English) and a canonical link.
    for code in LANGUAGES:
        href = f"http://testserver{url_in(article, code)}"
        assertContains(
            response,
            f'<link rel="alternate" hreflang="{BCP47[code]}" href="{href}">',
            html=True,
        )
    assertContains(
        response,
        f'<link rel="alternate" hreflang="x-default" '
        f'href="http://testserver{url_in(article, "en")}">',
        html=True,
    )
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver{url_in(article, language)}">',
        html=True,
    )
    # No inline style or script: the CSP allows neither.
    assert "style=" not in html and "<script" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_stays_on_the_article(client, article, language):
    response = client.get(url_in(article, language))
    for code in LANGUAGES:
        current = ' aria-current="page"' if code == language else ""
        name = {"en": "English", "ja": "日本語", "zh-hans": "简体中文"}[code]
        assertContains(
            response,
            f'<a href="{url_in(article, code)}" hreflang="{BCP47[code]}" '
            f'lang="{BCP47[code]}"{current}>{name}</a>',
            html=True,
        )


def test_english_visitor_reads_the_translation_with_its_provenance(client, article):
    response = client.get(url_in(article, "en"))
    assertContains(
        response, '<h1 lang="en">Alec Radford: Pioneer of Generative AI</h1>', html=True
    )
    html = page_text(response)
    assert tags_with(html, "div", {"class": "prose", "lang": "en"})
    assert "Born in April 1993." in html
    assert "Claude (Anthropic)" in html
    assert "Machine translation, unreviewed" in html
    # The original stays one click away, honestly labelled.
    assertContains(
        response,
        '<a href="?original=1" hreflang="ja">Read the original (Japanese)</a>',
        html=True,
    )
    assertContains(
        response,
        '<dd lang="ja">アレック・ラドフォード：生成AIの先駆者</dd>',
        html=True,
    )


def test_original_one_click_away_keeps_the_ui_language(client, article):
    response = client.get(url_in(article, "en") + "?original=1")
    assert response.status_code == 200
    html = page_text(response)
    assert '<html lang="en"' in html
    assertContains(
        response, '<h1 lang="ja">アレック・ラドフォード：生成AIの先駆者</h1>', html=True
    )
    assert tags_with(html, "div", {"class": "prose", "lang": "ja"})
    assert "You are reading the original Japanese text." in html
    assertContains(
        response,
        f'<a href="{url_in(article, "en")}">Read the English translation</a>',
        html=True,
    )
    # The canonical copy of the original text is its own page.
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver{url_in(article, "ja")}">',
        html=True,
    )
    # Switching language keeps the choice, except for the original's own language.
    assert f'href="{url_in(article, "zh-hans")}?original=1"' in html
    assert f'href="{url_in(article, "ja")}"' in html


def test_missing_language_falls_back_to_the_original_marked_up(client, article):
    response = client.get(url_in(article, "zh-hans"))
    html = page_text(response)
    assert '<html lang="zh-Hans"' in html
    assertContains(
        response, '<h1 lang="ja">アレック・ラドフォード：生成AIの先駆者</h1>', html=True
    )
    assert tags_with(html, "div", {"class": "prose", "lang": "ja"})
    assert "notice--fallback" in html
    with translation.override("zh-hans"):
        expected = gettext(
            "Not yet translated into %(language)s: shown in the original %(original)s."
        ) % {
            "language": gettext("Simplified Chinese"),
            "original": gettext("Japanese"),
        }
    assert expected in html
    # No "read the original" link when the original is what is shown.
    assert "?original=1" not in html.split("<main", 1)[1]


def test_original_language_visitor_sees_no_notice(client, article):
    response = client.get(url_in(article, "ja"))
    html = page_text(response)
    assert '<h1 lang="ja">' in html
    assert "notice--fallback" not in html
    assert "notice--translation" not in html


def test_body_not_translated_but_title_is(client, article):
    article.title_zh_hans = "亚历克·拉德福德"
    article.save()
    response = client.get(url_in(article, "zh-hans"))
    html = page_text(response)
    assertContains(response, '<h1 lang="zh-Hans">亚历克·拉德福德</h1>', html=True)
    # The body is Japanese and says so: never text marked with the wrong language.
    assert tags_with(html, "div", {"class": "prose", "lang": "ja"})
    assert html.count("notice--fallback") == 1


# -- metadata panel ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "moment", "zone"),
    [
        ("en", "Jan. 1, 2025, 12:05 p.m.", "China Standard Time, UTC+08:00"),
        ("ja", "2025年1月1日12:05", "（中国標準時、UTC+08:00）"),
        ("zh-hans", "2025年1月1日 12:05", "（中国标准时间，UTC+08:00）"),
    ],
)
def test_publication_time_in_the_visitors_locale_and_the_sources_zone(
    client, article, language, moment, zone
):
    html = page_text(client.get(url_in(article, language)))
    assert f'<time datetime="2025-01-01T12:05:00+08:00">{moment}</time>' in html
    assert zone in html


def test_metadata_panel(client, article):
    response = client.get(url_in(article, "en"))
    html = page_text(response)
    # Publisher only in Japanese: shown, marked as Japanese.
    assert '<span lang="ja">ある出版社</span>' in html
    assert "Jane Writer" in html
    assert '<span lang="zh-Hans">四川</span>' in html
    assertContains(
        response,
        f'<a class="url" href="{LONG_URL}" rel="noopener noreferrer nofollow">'
        f"{LONG_URL}</a>",
        html=True,
    )
    assert "x-ai/grok-4-fast" in html
    assert "from an unspecified language" in html
    assert article.source_sha256 in html
    assert "000_26fa5280491dbf1f.txt" in html
    assert "<details>" in html and "# source of radford-ja" in html
    # Available translations link to the article in each language.
    japanese = f'<a href="{url_in(article, "ja")}" hreflang="ja">Japanese</a>'
    assertContains(response, japanese, html=True)
    # People, events, references.
    assert "Alec Radford" in html and "Joins OpenAI" in html
    assertContains(response, '<time datetime="2016-05">May 2016</time>', html=True)
    assert tags_with(html, "a", {"href": "https://openai.com/paper", "lang": "ja"})


def test_machine_translation_from_a_named_language(client):
    article = make_article(
        title_en="From French",
        body_en="Text.",
        original_language="en",
        machine_translated=True,
        translated_from="fr",
    )
    html = page_text(client.get(url_in(article, "en")))
    assert "a machine translation from French" in html


def test_article_without_date_or_ai_flags(client):
    article = make_article(published_at=None, published_timezone="")
    html = page_text(client.get(url_in(article, "en")))
    assert "Not stated by the source" in html
    assert "notice--ai" not in html


def test_remote_image_is_a_placeholder_linking_to_the_original(client, article):
    response = client.get(url_in(article, "en") + "?original=1")
    html = page_text(response)
    assert "figure--missing" in html
    assert f'<a href="{REMOTE_IMAGE}"' in html
    assert f'src="{REMOTE_IMAGE}"' not in html
    assert "研究室の写真" in html


def test_cover_image_is_shown(client):
    cover = make_image(
        source_url="https://example.com/cover.jpg", caption_en="The cover"
    )
    article = make_article(cover_image=cover, title_en="Covered", body_en="Body.")
    html = page_text(client.get(url_in(article, "en")))
    assert "article__cover" in html and "The cover" in html


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
