"""People list and person detail in every language."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pytest_django.asserts import assertContains, assertTemplateUsed

from archive.models import Article, PersonLink
from archive.models.common import TextOrigin
from tests.factories import (
    BCP47,
    LANGUAGES,
    count_tag,
    make_article,
    make_event,
    make_person,
    make_person_fact,
    make_person_link,
    page_text,
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = make_person(
        key="alec-radford",
        name_en="Alec Radford",
        name_ja="アレック・ラドフォード",
        bio_en="Machine-learning researcher.",
    )
    make_person_fact(person, date="1993-04")
    make_person_link(
        person, kind=PersonLink.Kind.WIKIDATA, url="https://www.wikidata.org/wiki/Q1"
    )
    return person


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_in_every_language(client, person, language):
    response = client.get(f"/{language}/people/")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert url_in(person, language) in html
    # Names in every script, each marked with its language.
    if language == "ja":
        assert '<span lang="en">Alec Radford</span>' in html
    else:
        assert '<span lang="ja">アレック・ラドフォード</span>' in html
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver/{language}/people/">',
        html=True,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_in_every_language(client, person, language):
    response = client.get(url_in(person, language))
    assert response.status_code == 200
    assertTemplateUsed(response, "archive/person_detail.html")
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    for code in LANGUAGES:
        href = f"http://testserver{url_in(person, code)}"
        assertContains(
            response,
            f'<link rel="alternate" hreflang="{BCP47[code]}" href="{href}">',
            html=True,
        )
        link = {"href": url_in(person, code), "hreflang": BCP47[code]}
        assert tags_with(html, "a", link)
    date = {"en": "April 1993", "ja": "1993年4月", "zh-hans": "1993年4月"}[language]
    assert f'<time datetime="1993-04">{date}</time>' in html
    assert 'href="https://www.wikidata.org/wiki/Q1"' in html


def test_detail_fallback_is_marked_and_announced(client, person):
    response = client.get(url_in(person, "zh-hans"))
    html = page_text(response)
    # No Chinese name: the original (English) one, marked as English.
    assertContains(response, '<h1 lang="en">Alec Radford</h1>', html=True)
    assert tags_with(html, "div", {"class": "bio", "lang": "en"})
    assert "notice--fallback" in html
    japanese = page_text(client.get(url_in(person, "ja")))
    assert '<h1 lang="ja">アレック・ラドフォード</h1>' in japanese
    assert "notice--fallback" not in japanese
    # Bio missing in Japanese: shown in English, marked English.
    assert tags_with(japanese, "div", {"class": "bio", "lang": "en"})


def test_detail_lists_timeline_and_only_published_articles(client, person):
    later = make_event(title_en="Later", date="2016")
    earlier = make_event(title_en="Earlier", date="2011/2014")
    later.people.add(person)
    earlier.people.add(person)
    public = make_article(title_en="Public piece", body_en="x", people=[person])
    draft = make_article(
        title_en="Draft piece",
        body_en="x",
        people=[person],
        status=Article.Status.DRAFT,
    )
    html = page_text(client.get(url_in(person, "en")))
    assert html.index("Earlier") < html.index("Later")
    assert "2011 – 2014" in html
    assert url_in(public, "en") in html
    assert url_in(draft, "en") not in html and "Draft piece" not in html


def test_slug_in_another_language_redirects(client, person):
    response = client.get(f"/en/people/{person.slug_ja}/")
    assert response.status_code == 301
    assert response["Location"] == url_in(person, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_person_is_404(client, language):
    response = client.get(f"/{language}/people/nobody-at-all/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")


def test_queries_do_not_grow(client, django_assert_max_num_queries):
    counts = []
    for n in (3, 25):
        person = make_person()
        for _ in range(n):
            make_event().people.add(person)
            make_article(title_en="a", body_en="b", people=[person])
            make_person_link(person, url=f"https://example.com/{_}/{n}")
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get(url_in(person, "en")).status_code == 200
        counts.append(len(ctx))
        with django_assert_max_num_queries(12):
            assert client.get("/en/people/").status_code == 200
    assert counts[0] == counts[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_bio_says_who_wrote_it(client, language):
    person = make_person(
        bio_en="A researcher.",
        text_origin=TextOrigin.AI,
        text_author="Claude (Anthropic)",
    )
    with translation.override(language):
        path = person.get_absolute_url()
        # The whole sentence from the visitor's catalogue, not a substring such
        # as "AI" that the English text (or the page's chrome) would also hold.
        expected = str(TextOrigin.AI.label)
    if language != "en":
        assert expected != str(TextOrigin.AI.label), "no translation in the catalogue"
    html = client.get(path).content.decode()
    notes = re.findall(r'<p class="text-origin"[^>]*>(.*?)</p>', html, flags=re.DOTALL)
    assert len(notes) == 1
    assert expected in notes[0] and "Claude (Anthropic)" in notes[0]
