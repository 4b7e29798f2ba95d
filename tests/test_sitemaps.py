"""/sitemap.xml (an index of paged sections) and /robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article
from archive.sitemaps import LanguageSitemap
from tests.factories import (
    BCP47,
    LANGUAGES,
    make_article,
    make_event,
    make_image,
    make_person,
    url_in,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def get_xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver"
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def section_urls(client) -> list[str]:
    index = get_xml(client, "/sitemap.xml")
    return [local(loc.text) for loc in index.findall("sm:sitemap/sm:loc", NS)]


def all_entries(client) -> list[ET.Element]:
    entries = []
    for section in section_urls(client):
        entries += get_xml(client, section).findall("sm:url", NS)
    return entries


@pytest.fixture
def archive():
    person = make_person(name_en="Alec Radford", name_ja="アレック・ラドフォード")
    event = make_event(title_en="Joins OpenAI", date="2016-05")
    article = make_article(
        key="published", title_en="An article", people=[person], events=[event]
    )
    draft = make_article(key="draft", status=Article.Status.DRAFT, published_at=None)
    image = make_image(key="in-published", article=article, position=1)
    hidden = make_image(key="in-draft", article=draft, position=1)
    return {
        "person": person,
        "event": event,
        "article": article,
        "draft": draft,
        "image": image,
        "hidden": hidden,
    }


@pytest.mark.django_db
def test_index_lists_every_section(client, archive):
    assert section_urls(client) == [
        "/sitemap-pages.xml",
        "/sitemap-articles.xml",
        "/sitemap-people.xml",
        "/sitemap-events.xml",
        "/sitemap-images.xml",
    ]


@pytest.mark.django_db
def test_every_public_page_in_every_language_answers_200(client, archive):
    locations = [local(entry.find("sm:loc", NS).text) for entry in all_entries(client)]
    assert len(locations) == len(set(locations))
    for language in LANGUAGES:
        for key in ("person", "event", "article", "image"):
            assert url_in(archive[key], language) in locations
        for page in ("", "articles/", "people/", "timeline/", "images/"):
            assert f"/{language}/{page}" in locations
    # Drafts, and images of drafts, never.
    for language in LANGUAGES:
        assert url_in(archive["draft"], language) not in locations
        assert url_in(archive["hidden"], language) not in locations
    for location in locations:
        assert client.get(location).status_code == 200, location


@pytest.mark.django_db
def test_hreflang_alternates_on_every_entry(client, archive):
    for entry in all_entries(client):
        loc = entry.find("sm:loc", NS).text
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in entry.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        assert set(alternates) == {*BCP47.values(), "x-default"}
        assert loc in alternates.values()
        assert alternates["x-default"] == alternates["en"]
    article = archive["article"]
    entries = [
        e
        for e in all_entries(client)
        if local(e.find("sm:loc", NS).text) == url_in(article, "ja")
    ]
    (entry,) = entries
    alternates = {
        link.get("hreflang"): local(link.get("href"))
        for link in entry.findall("xhtml:link", NS)
    }
    for language in LANGUAGES:
        assert alternates[BCP47[language]] == url_in(article, language)
    assert entry.find("sm:lastmod", NS).text == article.updated_at.date().isoformat()


@pytest.mark.django_db
def test_large_sections_are_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(LanguageSitemap, "limit", 6)  # two items a page
    people = [make_person(key=f"person-{n}") for n in range(5)]
    sections = section_urls(client)
    people_pages = [url for url in sections if url.startswith("/sitemap-people.xml")]
    assert people_pages == [
        "/sitemap-people.xml",
        "/sitemap-people.xml?p=2",
        "/sitemap-people.xml?p=3",
    ]
    seen = []
    for page in people_pages:
        entries = get_xml(client, page).findall("sm:url", NS)
        assert len(entries) <= 6
        seen += [local(entry.find("sm:loc", NS).text) for entry in entries]
    assert seen == [url_in(person, code) for person in people for code in LANGUAGES]
    assert client.get("/sitemap-people.xml?p=4").status_code == 404
    assert client.get("/sitemap-people.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_archive(client, monkeypatch):
    monkeypatch.setattr(LanguageSitemap, "limit", 30)
    make_article(key="one")
    make_person(key="one")
    small = {
        url: _queries(client, url)
        for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-people.xml")
    }
    for number in range(25):
        make_article(key=f"article-{number}")
        make_person(key=f"person-{number}")
    large = {url: _queries(client, url) for url in small}
    assert large == small
    # A section page: its count (cached) and its rows.
    assert small["/sitemap-articles.xml"] <= 3
    # A later page of a large section costs the same.
    assert (
        _queries(client, "/sitemap-articles.xml?p=2") == small["/sitemap-articles.xml"]
    )


@pytest.mark.django_db
def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    for language in LANGUAGES:
        assert f"Disallow: /{language}/search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # Public pages stay open.
    assert not any(line in ("Disallow: /", "Disallow: /en/") for line in lines)


@pytest.mark.django_db
def test_scanned_public_images_are_the_public_images(archive):
    from archive import selectors

    loose = make_image(key="no-article")
    expected = {archive["image"].pk, loose.pk}
    assert set(selectors.public_images().values_list("pk", flat=True)) == expected
    assert set(selectors.public_images_scan().values_list("pk", flat=True)) == expected
