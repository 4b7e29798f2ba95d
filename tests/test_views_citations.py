"""The article page's "Cite this" section, its Highwire ``citation_*`` meta tags and
the BibTeX / RIS / CSL-JSON downloads."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from archive.models import Article
from tests.factories import (
    BCP47,
    LANGUAGES,
    make_article,
    make_event,
    make_person,
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db

FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
HEADINGS = {
    "en": "Cite this article",
    "ja": "この記事を引用する",
    "zh-hans": "引用本文",
}


def citation_url(article: Article, language: str, fmt: str) -> str:
    with translation.override(language):
        return reverse(
            "archive:article_citation",
            kwargs={"slug": article.slug_for(language), "fmt": fmt},
        )


@pytest.fixture
def synced() -> Article:
    return make_article(
        key="synced-radford",
        original_language="zh-hans",
        title_zh_hans="没有博士学位却开启了GPT时代",
        body_zh_hans="正文。",
        title_en="He Ushered In the GPT Era Without a PhD",
        body_en="Text.",
        author_zh_hans="机器之心",
        author_en="Synced (机器之心)",
        publisher_zh_hans="机器之心",
        publisher_en="Synced (机器之心)",
        original_url="http://mp.weixin.qq.com/s?__biz=MzA3&mid=2650949806#rd",
        ai_generated=True,
    )


# -- the page ------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_article_page_has_a_cite_section_in_each_language(client, synced, language):
    response = client.get(url_in(synced, language))
    assert response.status_code == 200
    assertContains(response, f'<h2 id="cite-heading">{HEADINGS[language]}</h2>')
    today = timezone.localdate()
    date_text = {
        "en": f"{today:%B} {today.day}, {today.year}",
        "ja": f"{today.year}年{today.month}月{today.day}日",
        "zh-hans": f"{today.year}年{today.month}月{today.day}日",
    }[language]
    assertContains(response, date_text)  # the day of access
    assertContains(response, "没有博士学位却开启了GPT时代")
    for fmt, content_type in FORMATS.items():
        links = tags_with(response, "a", {"href": citation_url(synced, language, fmt)})
        assert len(links) == 1
        assert links[0]["type"] == content_type.split(";")[0]
        assert "download" in links[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_highwire_meta_tags(client, synced, language):
    response = client.get(url_in(synced, language))
    meta = {
        tag["name"]: tag["content"]
        for tag in tags_with(response, "meta", {})
        if (tag.get("name") or "").startswith("citation_")
    }
    author = "机器之心" if language != "en" else "Synced (机器之心)"
    assert meta == {
        "citation_title": "没有博士学位却开启了GPT时代",
        "citation_author": author,
        "citation_publication_date": "2025/01/01",
        "citation_publisher": author,
        "citation_language": BCP47["zh-hans"],
        "citation_public_url": f"http://testserver{url_in(synced, language)}",
        "citation_fulltext_html_url": f"http://testserver{url_in(synced, language)}",
    }


def test_no_author_meta_without_a_recorded_author(client):
    article = make_article(key="anonymous", title_ja="無署名")
    response = client.get(url_in(article, "en"))
    assert tags_with(response, "meta", {"name": "citation_author"}) == []
    assert tags_with(response, "meta", {"name": "citation_publisher"}) == []
    assert len(tags_with(response, "meta", {"name": "citation_title"})) == 1


def test_hostile_title_is_escaped_on_the_page(client):
    hostile = '</script><script>alert(1)</script>{%} \\ "q"'
    article = make_article(key="hostile", title_ja=hostile, author_ja="<b>x</b>")
    response = client.get(url_in(article, "en"))
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>x</b>" not in page
    titles = tags_with(response, "meta", {"name": "citation_title"})
    assert titles[0]["content"] == hostile


def test_a_cached_page_still_cites_today(client, synced):
    url = url_in(synced, "en")
    first = client.get(url)
    second = client.get(url)
    assert first.content == second.content
    assertContains(second, "Accessed")


def test_draft_preview_has_no_citation(client, django_user_model):
    draft = make_article(key="draft", status=Article.Status.DRAFT, title_ja="下書き")
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client.force_login(user)
    response = client.get(url_in(draft, "en"))
    assert response.status_code == 200
    assertNotContains(response, "cite-heading")
    assertNotContains(response, "citation_title")
    # Nor a download, even for an editor: a draft is not citable.
    for fmt in FORMATS:
        assert client.get(citation_url(draft, "en", fmt)).status_code == 404


# -- the downloads -------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_download_content_type_and_file_name(client, synced, fmt, language):
    response = client.get(citation_url(synced, language, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="synced-radford.{fmt}"'
    )
    assert response["X-Robots-Tag"] == "noindex"
    assert "没有博士学位却开启了GPT时代" in response.content.decode("utf-8")


def test_downloads_parse(client, synced):
    bib = client.get(citation_url(synced, "en", "bib")).content.decode()
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    assert library.entries[0]["title"] == "没有博士学位却开启了GPT时代"
    data = json.loads(client.get(citation_url(synced, "ja", "json")).content)
    assert data[0]["id"] == "synced-radford"
    assert data[0]["archive_location"] == f"http://testserver{url_in(synced, 'ja')}"
    assert data[0]["note"] == "AI生成"
    ris = client.get(citation_url(synced, "zh-hans", "ris")).content.decode()
    assert ris.startswith("TY  - ELEC\r\n") and ris.endswith("ER  - \r\n")
    assert "N1  - AI 生成\r\n" in ris


def test_drafts_unknown_formats_and_slugs_are_404(client, synced):
    draft = make_article(key="draft", status=Article.Status.DRAFT)
    assert client.get(citation_url(draft, "en", "bib")).status_code == 404
    assert client.get(citation_url(synced, "en", "pdf")).status_code == 404
    assert client.get(citation_url(synced, "en", "bib\x00")).status_code == 404
    assert client.get("/en/articles/no-such-article/citation.ris").status_code == 404
    # A slug of another language serves the URL's language.
    with translation.override("en"):
        url = reverse(
            "archive:article_citation",
            kwargs={"slug": synced.slug_for("zh-hans"), "fmt": "json"},
        )
    data = json.loads(client.get(url).content)
    assert data[0]["custom"]["translated-title"] == (
        "He Ushered In the GPT Era Without a PhD"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_download_query_count_is_constant(client, django_assert_num_queries, fmt):
    people = [make_person(name_en=f"Person {n}") for n in range(6)]
    events = [make_event(title_en=f"Event {n}", date="2016") for n in range(6)]
    small = make_article(key="small")
    large = make_article(key="large", people=people, events=events)
    for article in (small, large):
        with django_assert_num_queries(1):
            assert client.get(citation_url(article, "en", fmt)).status_code == 200


def test_article_page_query_count_unchanged_by_the_citation(
    client, synced, django_assert_num_queries, render_every_time
):
    # The article's own cache, beneath the whole page's.
    url = url_in(synced, "en")
    client.get(url)
    # Cached page: one query (the article), the citation included.
    with django_assert_num_queries(1):
        assertContains(client.get(url), "cite-heading")
