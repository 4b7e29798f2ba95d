"""The search page: results in every UI language, facets, snippets, hostile input,
query counts; the header's search box on every page; the admin's search."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from archive.models import Article, PersonName
from tests.factories import (
    BCP47,
    LANGUAGES,
    make_article,
    make_event,
    make_image,
    make_person,
    page_text,
    tags_with,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_every_time")]


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("archive:search")


def get(client, language: str = "en", **params):
    return client.get(search_url(language), params)


@pytest.fixture
def corpus():
    radford = make_person(
        key="alec-radford",
        name_en="Alec Radford",
        name_ja="アレック・ラドフォード",
        name_zh_hans="亚历克·拉德福德",
    )
    PersonName.objects.create(person=radford, name="Radford, A.", language="und-Latn")
    olin = make_event(
        key="olin",
        original_language="zh-hans",
        title_zh_hans="进入奥林工程学院",
        description_zh_hans="他是一个天才。",
        date="2011",
    )
    olin.people.set([radford])
    vae = make_article(
        key="vae",
        title_ja="変分オートエンコーダの話",
        body_ja="ラドフォードは変分オートエンコーダを研究した。天才だ。",
        title_en="The Café on the corner",
        body_en="Deep Learning and language models, said RADFORD.",
        people=[radford],
    )
    make_article(key="draft", status=Article.Status.DRAFT, title_en="Secret draft")
    make_image(key="photo", caption_en="Radford at the Olin campus")
    return {"radford": radford, "olin": olin, "vae": vae}


QUERIES = {
    "奥林工程学院": "olin",
    "ラドフォード": "vae",
    "変分オートエンコーダ": "vae",
    "天才": "olin",
    "RADFORD": "vae",
    "cafe": "vae",
    '"language models"': "vae",
    "deep models": "vae",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_issue_queries_in_every_ui_language(client, corpus, language):
    for text, key in QUERIES.items():
        response = get(client, language, q=text)
        assert response.status_code == 200
        item = corpus[key]
        with translation.override(language):
            url = item.get_absolute_url()
        assert f'href="{url}"' in page_text(response), (text, language)
        # The query stays in the URL's form and in the header's box.
        boxes = tags_with(response, "input", {"type": "search", "name": "q"})
        assert len(boxes) == 2 and all(b["value"] == text for b in boxes)
        assert '<meta name="robots" content="noindex">' in page_text(response)


def test_snippet_marks_matches_in_the_language_that_matched(client, corpus):
    html = page_text(get(client, "en", q="天才"))
    hits = re.findall(r'<p class="search-hit__snippet" lang="([^"]+)">(.*?)</p>', html)
    langs = {lang for lang, _text in hits}
    assert {"zh-Hans", "ja"} <= langs
    assert all("<mark>天才</mark>" in text for _lang, text in hits)
    titles = re.findall(r'<h2 class="search-hit__title" lang="([^"]+)">', html)
    assert BCP47["zh-hans"] in titles
    # Folded matches are marked in the original text.
    assert "<mark>Café</mark>" in page_text(get(client, "en", q="cafe"))


def test_facets_count_and_filter(client, corpus):
    response = get(client, "en", q="radford")
    html = page_text(response)
    assert response.context["total"] == 3  # person, article, image
    facets = {facet.name: values for facet, values in response.context["facets"]}
    assert {v.value: v.count for v, _url in facets["kind"]} == {
        "article": 1,
        "person": 1,
        "image": 1,
    }
    assert {v.value for v, _url in facets["person"]} == {"alec-radford"}
    assert {v.value for v, _url in facets["lang"]} == {"ja", "en"}
    assert "Alec Radford" in html
    only_articles = get(client, "en", q="radford", kind="article")
    assert only_articles.context["total"] == 1
    assert [r.kind for r in only_articles.context["results"]] == ["article"]
    by_person = get(client, "en", q="radford", person="alec-radford")
    assert {r.kind for r in by_person.context["results"]} == {"article", "person"}
    by_year = get(client, "en", q="天才", year="2011")
    assert [r.kind for r in by_year.context["results"]] == ["event"]
    # Unknown facet values are ignored, not errors.
    odd = get(client, "en", q="radford", kind="x", lang="xx", year="-1", person="?")
    assert odd.status_code == 200 and odd.context["total"] == 3


def test_empty_and_no_result_states(client, corpus):
    empty = get(client, "en")
    assert empty.status_code == 200
    assert "in English, Japanese and Chinese at once" in page_text(empty)
    none = get(client, "ja", q="zzqqxx")
    assert none.status_code == 200
    assert "ラドフォード" in page_text(none)  # the tip about other scripts
    assert none.context["results"] == []


def test_drafts_never_appear(client, corpus):
    response = get(client, "en", q="secret draft")
    assert response.context["total"] == 0
    assert "/articles/secret-draft/" not in page_text(response)


def test_unpublish_edit_delete_show_at_once(client, corpus):
    vae = corpus["vae"]
    assert get(client, "en", q="corner").context["total"] == 1
    vae.status = Article.Status.DRAFT
    vae.save()
    assert get(client, "en", q="corner").context["total"] == 0
    vae.status = Article.Status.PUBLISHED
    vae.title_en = "The Zeppelin"
    vae.save()
    assert get(client, "en", q="corner").context["total"] == 0
    assert get(client, "en", q="zeppelin").context["total"] == 1
    vae.delete()
    assert get(client, "en", q="zeppelin").context["total"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'\"",
        '"',
        "*",
        "NEAR(",
        "AND OR",
        "a\x00b",
        "x" * 1000,
        "%",
    ],
)
def test_hostile_queries_never_fail_nor_echo_unescaped(client, corpus, text):
    response = get(client, "en", q=text)
    assert response.status_code == 200
    html = page_text(response)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "\x00" not in html


def test_forgiving_pages(client):
    for n in range(25):
        make_event(key=f"zebra-{n}", title_en=f"Zebra crossing {n}", date="2000")
    first = get(client, "en", q="zebra")
    assert first.context["total"] == 25 and len(first.context["results"]) == 20
    assert 'rel="next"' in page_text(first)
    for page in ("abc", "-1", "99999", "2"):
        response = get(client, "en", q="zebra", page=page)
        assert response.status_code == 200
    assert len(get(client, "en", q="zebra", page="99999").context["results"]) == 5


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get(client, "en", **params)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_count_is_bounded_and_does_not_grow(client):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = make_person(name_en=f"Walrus keeper {i}")
            event = make_event(title_en=f"Walrus day {i}")
            event.people.set([person])
            make_article(title_en=f"Walrus story {i}", people=[person], events=[event])
            make_image(caption_en=f"Walrus photo {i}")

    add(3, 0)
    small = _queries(client, q="walrus")
    small_articles = _queries(client, q="walrus", kind="article")
    small_cached = _queries(client, q="walrus", page="1")
    add(30, 3)
    client.get("/")  # nothing cached from before
    large = _queries(client, q="walrus")
    large_articles = _queries(client, q="walrus", kind="article")
    # One query a kind shown on the page, at most: the first page at 33 is all
    # articles (title matches, articles first), at 3 all four kinds.
    assert small == 8 and large <= small
    assert small_articles == large_articles <= 12
    assert small_cached < small


def test_every_page_has_the_header_search_box(client, corpus):
    for language in LANGUAGES:
        with translation.override(language):
            urls = [reverse("archive:home"), corpus["vae"].get_absolute_url()]
        for url in urls:
            response = client.get(url)
            boxes = tags_with(response, "input", {"type": "search"})
            assert boxes and boxes[0]["name"] == "q"
            label = tags_with(response, "label", {"for": boxes[0]["id"]})
            assert label
            assert f'action="{search_url(language)}"' in page_text(response)
