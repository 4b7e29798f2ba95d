"""Cached list rows (``archive.fragments``): a warm page is the same HTML as a cold
one, reads only its rows, and shows an edit, a new link or another language at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import fragments, selectors
from archive.models import Article, Event
from tests.factories import (
    LANGUAGES,
    make_article,
    make_event,
    make_image,
    make_person,
    page_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_every_time")]


LISTS = ("/{}/articles/", "/{}/people/", "/{}/timeline/", "/{}/images/")


@pytest.fixture
def archive():
    people = [make_person(key=f"p{index}") for index in range(3)]
    events = [make_event(key=f"e{index}", date=f"20{index:02d}") for index in range(5)]
    for index, event in enumerate(events):
        event.people.set(people[: index % 3 + 1])
    articles = [
        make_article(key=f"a{index}", people=people[:2], events=events[:index])
        for index in range(4)
    ]
    for index, article in enumerate(articles):
        make_image(key=f"i{index}", article=article)
    return articles


def get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = page_text(client.get(url))
    return html, len(queries)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", LISTS)
def test_a_warm_page_is_the_cold_page(client, archive, url, language):
    url = url.format(language)
    cold, cold_queries = get(client, url)
    warm, warm_queries = get(client, url)
    assert warm == cold
    assert warm_queries <= cold_queries


def test_warm_rows_read_nothing_about_their_relations(client, archive):
    get(client, "/en/timeline/")
    _html, queries = get(client, "/en/timeline/")
    assert queries == 1  # the page's events; no sources, people or counts
    get(client, "/en/people/")
    _html, queries = get(client, "/en/people/")
    assert queries == 1  # the page's people; their counts are in the cached cards


def test_an_edit_shows_on_the_list_at_once(client, archive):
    get(client, "/en/articles/")
    article = Article.objects.get(key="a1")
    article.title_ja = "新しい題名"
    article.save()
    assert "新しい題名" in get(client, "/en/articles/")[0]


def card_counts(html: str, name: str) -> str:
    card = html.split(f">{name}</a>")[1].split("</article>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def test_a_new_link_changes_the_cards_that_show_it(client, archive):
    person = make_person(key="newcomer")
    html, _ = get(client, "/en/people/")
    assert card_counts(html, "Person newcomer") == "0 articles · 0 events"
    make_event(key="late", date="2030").people.add(person)  # a link: no row edit
    html, _ = get(client, "/en/people/")
    assert card_counts(html, "Person newcomer") == "0 articles · 1 event"
    assert "Person newcomer" not in get(client, "/en/timeline/")[0].split("e0")[1]
    Event.objects.get(key="e0").people.add(person)  # the row cached before
    entry = get(client, "/en/timeline/")[0].split("Event e0")[1].split("</li>")[0]
    assert "Person newcomer" in entry


def test_each_language_has_its_own_rows(client, archive):
    assert "Original: Japanese" in get(client, "/en/articles/")[0]
    assert "原語：日本語" in get(client, "/ja/articles/")[0]
    assert "Original: Japanese" in get(client, "/en/articles/")[0]


def test_rows_render_their_template_once_per_item():
    people = [make_person(key=f"q{index}") for index in range(3)]
    prepared = []

    def prepare(items):
        prepared.append([person.key for person in items])
        selectors.add_person_counts(items)

    first = fragments.render_rows(
        people, "includes/person_card.html", "person", prepare=prepare
    )
    again = fragments.render_rows(
        [*people, make_person(key="q9")],
        "includes/person_card.html",
        "person",
        prepare=prepare,
    )
    # q9's save moved the content version on: every row is rendered again.
    assert prepared == [["q0", "q1", "q2"], ["q0", "q1", "q2", "q9"]]
    assert again[:3] == first
    # The same people read again from the database: every row is cached.
    people = selectors.person_list()
    card = "includes/person_card.html"
    fragments.render_rows(people, card, "person", prepare=prepare)
    assert len(prepared) == 2
    # With other options, the rows are other rows.
    fragments.render_rows(people, card, "person", prepare=prepare, heading="2")
    assert len(prepared) == 3
    assert fragments.render_rows([], "includes/person_card.html", "person") == []


def test_cached_person_filter_choices_follow_new_links(client):
    first = make_person(key="first")
    make_article(key="a", people=[first])
    html, cold = get(client, "/en/articles/")
    assert 'value="first"' in html
    html, warm = get(client, "/en/articles/")
    assert (cold, warm) == (4, 1)  # years, count, choices: all cached
    second = make_person(key="second")
    Article.objects.get(key="a").people.add(second)
    assert 'value="second"' in get(client, "/en/articles/")[0]
