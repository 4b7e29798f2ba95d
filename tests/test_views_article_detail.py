"""Article detail in every language: text, fallback, metadata."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertTemplateUsed

from tests import factories
from tests.factories import (
    BCP47,
    LANGUAGES,
    LONG_URL,
    REMOTE_IMAGE,
    count_tag,
    make_article,
    make_image,
    page_text,
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db

# The shared article fixture, named here so that pytest finds it.
article = factories.article


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
    # No inline style or script: the CSP allows neither. (JSON-LD is a data block,
    # never run: tests/test_structured_data.py.)
    code = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html)
    assert "style=" not in code and "<script" not in code


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
    assert "Not stated in the source" in html
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
