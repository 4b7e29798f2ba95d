"""Paging the public lists: the timeline's pages, decade index and go-to-year, the
people list, a person's first articles and events, cached counts kept true."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from archive import selectors
from archive.counting import bump_content_version, cached_count
from archive.models import Event, Person
from archive.views.base import NarrowSortPaginator
from archive.views.events import TimelineView
from archive.views.people import PersonListView
from tests.factories import (
    LANGUAGES,
    make_article,
    make_event,
    make_person,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db
PER_PAGE = TimelineView.paginate_by


@pytest.fixture
def decades():
    """Ten events a year from 1990 to 2009, and three undated: seven pages."""
    for year in range(1990, 2010):
        for month in range(1, 11):
            make_event(key=f"e{year}-{month:02d}", date=f"{year}-{month:02d}")
    for index in range(3):
        make_event(key=f"undated-{index}", date="")


def headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="year-(\w+)">', html)


def test_timeline_is_paginated_by_date(client, decades):
    first = page_text(client.get("/en/timeline/"))
    assert headings(first) == ["1990", "1991", "1992"]
    assert first.count('class="event"') == PER_PAGE
    assert "Page 1 of 7" in first
    last = page_text(client.get("/en/timeline/?page=7"))
    assert headings(last) == ["2008", "2009", "undated"]
    assert "203 events" in last


@pytest.mark.parametrize("language", LANGUAGES)
def test_decade_index_links_to_the_page_where_each_decade_begins(
    client, decades, language
):
    html = page_text(client.get(f"/{language}/timeline/"))
    index = re.search(r'<nav class="year-index".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == [
        f"/{language}/timeline/#year-1990",
        f"/{language}/timeline/?page=4#year-2000",
        f"/{language}/timeline/?page=7#year-undated",
    ]
    assert "(100)" in index
    assert "(3)" in index


def test_go_to_year_redirects_to_its_page_keeping_filters(client, decades):
    person = make_person(key="someone")
    for key in ("e1995-01", "e2003-04"):
        Event.objects.get(key=key).people.add(person)
    response = client.get("/en/timeline/?year=1995")
    assert response.status_code == 302
    assert response["Location"] == "/en/timeline/?page=2#year-1995"
    # A year without events: the next year that has some.
    response = client.get("/en/timeline/?person=someone&year=1999")
    assert response["Location"] == "/en/timeline/?person=someone#year-2003"
    # After the last year: the last page.
    assert client.get("/en/timeline/?year=2050")["Location"].endswith("?page=7")


@pytest.mark.parametrize("query", ["year=abc", "year=-4", "year=99999999999", "page=x"])
def test_timeline_hostile_jumps_are_ignored(client, decades, query):
    response = client.get(f"/en/timeline/?{query}")
    assert response.status_code == 200


def test_people_list_is_paginated_with_counts_of_its_rows(client):
    per_page = PersonListView.paginate_by
    people = [
        make_person(key=f"p{index:03d}", sort_name=f"P{index:03d}")
        for index in range(per_page + 3)
    ]
    make_article(people=[people[0], people[-1]])
    make_event().people.add(people[-1])
    first = page_text(client.get("/en/people/"))
    assert first.count('class="card card--person"') == per_page
    assert "1 article" in first
    second = page_text(client.get("/en/people/?page=2"))
    assert second.count('class="card card--person"') == 3
    assert url_in(people[-1], "en") in second
    assert "1 event" in second


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_page_shows_the_first_and_links_to_all(client, language):
    person = make_person(key="busy")
    for index in range(selectors.PERSON_ARTICLES + 2):
        make_article(title_en=f"A{index}", body_en="b", people=[person])
    for year in range(2000, 2000 + selectors.PERSON_EVENTS + 1):
        make_event(date=str(year)).people.add(person)
    with translation.override(language):
        response = client.get(url_in(person, language))
    html = page_text(response)
    assert html.count('class="card card--article"') == selectors.PERSON_ARTICLES
    assert html.count('class="event"') == selectors.PERSON_EVENTS
    assert f'/{language}/articles/?person=busy"' in html
    assert f'/{language}/timeline/?person=busy"' in html
    assert re.search(r"(?<!\d)12(?!\d)", html) and re.search(r"(?<!\d)11(?!\d)", html)


def test_person_page_follows_changes(client):
    person = make_person(key="changing")
    make_article(title_en="First", body_en="b", people=[person])
    assert "First" in page_text(client.get(url_in(person, "en")))
    make_article(title_en="Second", body_en="b", people=[person])
    assert "Second" in page_text(client.get(url_in(person, "en")))


def test_cached_counts_move_on_with_every_change():
    calls = []

    def count() -> int:
        calls.append(1)
        return Person.objects.count()

    assert cached_count("test", count) == 0
    assert cached_count("test", count) == 0
    assert len(calls) == 1
    make_person()  # post_save moves the version on
    assert cached_count("test", count) == 1
    article, person = make_article(), make_person()
    cached_count("test", count)
    before = len(calls)
    article.people.add(person)  # so do changes of links
    cached_count("test", count)
    assert len(calls) == before + 1
    bump_content_version()  # and writes that send no signal, by hand
    cached_count("test", count)
    assert len(calls) == before + 2


def test_narrow_sort_paginator_gives_the_plain_pages():
    for year in range(1990, 2013):
        make_event(date=str(year))
    events = selectors.timeline_events()
    narrow = NarrowSortPaginator(events, 5, orphans=2)
    for number in narrow.page_range:
        plain = list(events)[(number - 1) * 5 :][
            : 5 if number < narrow.num_pages else 8
        ]
        assert list(narrow.page(number)) == plain


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_lists_the_latest_articles_and_how_many(client, language):
    event = make_event(key="busy-event", date="2020")
    for index in range(selectors.EVENT_ARTICLES + 1):
        make_article(title_en=f"A{index}", body_en="b", events=[event])
    html = page_text(client.get(url_in(event, language)))
    assert html.count('class="card card--article"') == selectors.EVENT_ARTICLES
    assert re.search(r"(?<!\d)21(?!\d)", html)


def test_an_evicted_version_never_brings_back_older_figures():
    from django.core.cache import cache

    from archive.counting import VERSION_KEY

    calls = []
    assert cached_count("evicted", lambda: calls.append(1) or len(calls)) == 1
    cache.delete(VERSION_KEY)  # as a full local-memory cache culls it
    make_person()  # a change while no version is cached
    cache.delete(VERSION_KEY)
    assert cached_count("evicted", lambda: calls.append(1) or len(calls)) == 2
