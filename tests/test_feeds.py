"""The Atom and RSS feeds of articles, read by feedparser as feed readers read them."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from archive import feeds
from archive.models import Article
from tests.factories import BCP47, LANGUAGES, make_article, tags_with, url_in

KINDS = {"atom": "article_feed_atom", "rss": "article_feed_rss"}
HOSTILE = "</script><script>alert(1)</script> & <b>bold</b>"


def feed_url(kind: str, language: str) -> str:
    with translation.override(language):
        return reverse(f"archive:{KINDS[kind]}")


def read(client, kind: str, language: str):
    response = client.get(feed_url(kind, language))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.fixture
def articles():
    """A Japanese original translated into English, a Chinese original without
    translations (from a source naming no author), and a draft."""
    translated = make_article(
        key="translated",
        title_ja="日本語の記事",
        title_en="The Japanese article",
        summary_en="What the article says, in English.",
        summary_ja="記事の要約。",
        author_ja="山田太郎",
        original_url="https://example.org/original?a=1&b=2",
    )
    chinese = make_article(
        key="chinese",
        original_language="zh-hans",
        title_zh_hans="中文文章",
        body_zh_hans="第一段**正文**。\n\n第二段。",
    )
    draft = make_article(
        key="draft", title_ja="下書き", status=Article.Status.DRAFT, published_at=None
    )
    return translated, chinese, draft


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_in_every_language(client, articles, kind, language):
    translated, chinese, _draft = articles
    response, parsed = read(client, kind, language)
    assert parsed.feed.language.lower() == language
    by_id = {entry.id: entry for entry in parsed.entries}
    assert len(by_id) == 2  # the draft is never in a feed
    assert not any("draft" in entry.id for entry in parsed.entries)

    # The translated article: in the feed's language where translated.
    entry = next(e for e in parsed.entries if "translated" in e.id)
    shown = language if language in ("en", "ja") else "ja"
    assert entry.title == translated.text("title", shown)
    assert entry.link == f"http://testserver{url_in(translated, language)}"
    entry_language = (
        entry.title_detail.language if kind == "atom" else entry.get("language")
    )
    assert entry_language == BCP47[shown]
    # The archive's summary in the entry's language, then the source's address.
    assert translated.text("summary", shown) in entry.summary
    assert "https://example.org/original?a=1&amp;b=2" in entry.summary
    assert entry.published_parsed[:3] == (2025, 1, 1)
    assert entry.author == "山田太郎"

    # The Chinese original, never translated: in Chinese in every feed, its
    # summary the opening of its text as plain text.
    entry = next(e for e in parsed.entries if "chinese" in e.id)
    assert entry.title == "中文文章"
    entry_language = (
        entry.title_detail.language if kind == "atom" else entry.get("language")
    )
    assert entry_language == "zh-Hans"
    assert "第一段正文。" in entry.summary and "<strong>" not in entry.summary
    # No author the source does not name.
    assert "author" not in entry


@pytest.mark.django_db
def test_original_link_in_atom_and_rss(client, articles):
    _response, atom = read(client, "atom", "en")
    entry = next(e for e in atom.entries if "translated" in e.id)
    via = [link.href for link in entry.links if link.rel == "via"]
    assert via == ["https://example.org/original?a=1&b=2"]
    _response, rss = read(client, "rss", "en")
    entry = next(e for e in rss.entries if "translated" in e.id)
    assert entry.dc_source == "https://example.org/original?a=1&b=2"


@pytest.mark.django_db
def test_guid_is_stable_across_title_edits(client, articles):
    translated = articles[0]
    _response, before = read(client, "atom", "en")
    translated.title_en, translated.slug_en = "A new title", ""
    translated.save()
    _response, after = read(client, "atom", "en")
    assert {e.id for e in before.entries} == {e.id for e in after.entries}
    assert any(e.title == "A new title" for e in after.entries)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_hostile_title_is_data(client, kind):
    make_article(key="hostile", title_ja=HOSTILE, summary_ja=HOSTILE)
    response, parsed = read(client, kind, "ja")
    assert parsed.entries[0].title == HOSTILE
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_feed_is_bounded_to_the_latest(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 3)
    for day in range(1, 6):
        make_article(
            key=f"day-{day}",
            published_at=datetime.datetime(2025, 1, day, tzinfo=datetime.UTC),
        )
    _response, parsed = read(client, "atom", "en")
    assert [entry.id.rstrip("/").rsplit("/", 1)[1] for entry in parsed.entries] == [
        "day-5",
        "day-4",
        "day-3",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_queries_do_not_grow_with_the_archive(client, kind):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(feed_url(kind, "ja")).status_code == 200
        return len(captured)

    make_article(key="first")
    few = queries()
    for number in range(12):
        make_article(key=f"more-{number}", summary_ja="要約")
    assert queries() == few
    assert few <= 2
    # A second poll is served from the cache.
    with CaptureQueriesContext(connection) as captured:
        client.get(feed_url(kind, "ja"))
    assert len(captured) <= 1


@pytest.mark.django_db
def test_feed_cache_follows_edits(client, articles):
    translated = articles[0]
    read(client, "rss", "en")
    translated.status = Article.Status.DRAFT
    translated.save()
    _response, parsed = read(client, "rss", "en")
    assert all("translated" not in entry.id for entry in parsed.entries)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_its_language_feeds(client, articles, language):
    for url in (url_in(articles[0], language), f"/{language}/", f"/{language}/people/"):
        response = client.get(url)
        atom = tags_with(
            response, "link", {"rel": "alternate", "type": "application/atom+xml"}
        )
        rss = tags_with(
            response, "link", {"rel": "alternate", "type": "application/rss+xml"}
        )
        assert [link["href"] for link in atom] == [feed_url("atom", language)]
        assert [link["href"] for link in rss] == [feed_url("rss", language)]
        assert atom[0]["title"]
