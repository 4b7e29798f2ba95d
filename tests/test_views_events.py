"""Timeline and event detail: grouping by year, real precision, filters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertTemplateUsed

from archive.models import Article, Event
from tests.factories import (
    BCP47,
    LANGUAGES,
    count_tag,
    make_article,
    make_event,
    make_person,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    alec = make_person(
        key="alec", name_en="Alec Radford", name_ja="アレック・ラドフォード"
    )
    born = make_event(
        key="born",
        title_en="Born",
        title_ja="誕生",
        date="1993-04",
        category=Event.Category.LIFE,
    )
    olin = make_event(
        key="olin",
        title_en="Studies at Olin",
        date="2011/2016",
        category=Event.Category.EDUCATION,
    )
    gpt = make_event(
        key="gpt",
        original_language="ja",
        title_ja="GPT論文",
        date="2018-06-11",
        category=Event.Category.PAPER,
    )
    for event in (born, olin, gpt):
        event.people.add(alec)
    other = make_event(key="other", title_en="Unrelated", date="2015~")
    return {"alec": alec, "born": born, "olin": olin, "gpt": gpt, "other": other}


@pytest.mark.parametrize(
    ("language", "month", "day"),
    [
        ("en", "April 1993", "June 11, 2018"),
        ("ja", "1993年4月", "2018年6月11日"),
        ("zh-hans", "1993年4月", "2018年6月11日"),
    ],
)
def test_timeline_in_every_language(client, events, language, month, day):
    response = client.get(f"/{language}/timeline/")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    # Each date at its real precision, never an invented day.
    assert f'<time datetime="1993-04">{month}</time>' in html
    assert f'<time datetime="2018-06-11">{day}</time>' in html
    assert "April 1, 1993" not in html and "1993年4月1日" not in html
    # Grouped by year, in order.
    for year in ("1993", "2011", "2015", "2018"):
        assert f'<h2 id="year-{year}">' in html
    assert (
        html.index('id="year-1993"')
        < html.index('id="year-2011"')
        < html.index('id="year-2018"')
    )
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver/{language}/timeline/">',
        html=True,
    )


def test_timeline_fallback_titles_are_marked(client, events):
    html = page_text(client.get("/en/timeline/"))
    assert '<span lang="ja">GPT論文</span>' in html
    japanese = page_text(client.get("/ja/timeline/"))
    assert ">誕生<" in japanese and '<span lang="en">Studies at Olin</span>' in japanese


def test_filter_by_person_and_category(client, events):
    by_person = page_text(client.get("/en/timeline/?person=alec"))
    assert "Born" in by_person and "Unrelated" not in by_person
    by_category = page_text(client.get("/en/timeline/?category=education"))
    assert "Studies at Olin" in by_category and "Born" not in by_category
    both = client.get("/en/timeline/?person=alec&category=life")
    assert "Born" in page_text(both) and "Studies at Olin" not in page_text(both)
    # The switcher keeps the filters.
    assert 'href="/ja/timeline/?person=alec&amp;category=life"' in page_text(both)


@pytest.mark.parametrize(
    "query",
    [
        "person=<script>alert(1)</script>",
        "person=" + "p" * 10000,
        "category=nonsense",
        "category=%00",
        "person=alec&person=other",
        "page=99999",
    ],
)
def test_hostile_filters_are_ignored(client, events, query):
    response = client.get(f"/en/timeline/?{query}")
    assert response.status_code == 200
    html = page_text(response)
    assert "<script>alert" not in html
    assert "Born" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_detail_in_every_language(client, events, language):
    article = make_article(title_en="Source", body_en="x", events=[events["born"]])
    response = client.get(url_in(events["born"], language))
    assert response.status_code == 200
    assertTemplateUsed(response, "archive/event_detail.html")
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert url_in(article, language) in html
    assert url_in(events["alec"], language) in html
    for code in LANGUAGES:
        assert (
            f'<a href="{url_in(events["born"], code)}" hreflang="{BCP47[code]}"' in html
        )
    if language == "zh-hans":
        assert '<h1 lang="en">Born</h1>' in html and "notice--fallback" in html
    else:
        assert "notice--fallback" not in html


def test_event_detail_hides_drafts(client, events):
    make_article(
        title_en="Hidden source",
        body_en="x",
        events=[events["olin"]],
        status=Article.Status.DRAFT,
    )
    html = page_text(client.get(url_in(events["olin"], "en")))
    assert "Hidden source" not in html
    assert "2011 – 2016" in html


def test_unknown_event_is_404(client):
    assert client.get("/ja/events/never-happened/").status_code == 404


def test_event_slug_redirects(client, events):
    response = client.get(f"/en/events/{events['born'].slug_ja}/")
    assert response.status_code == 301
    assert response["Location"] == url_in(events["born"], "en")


def test_timeline_queries_do_not_grow(client, django_assert_max_num_queries):
    counts = []
    for n in (5, 40):
        people = [make_person() for _ in range(3)]
        for index in range(n):
            event = make_event(date=f"{1990 + index % 30}-0{1 + index % 9}")
            event.people.set(people)
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get("/en/timeline/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_event_detail_queries_do_not_grow(client, django_assert_max_num_queries):
    counts = []
    for n in (3, 25):
        event = make_event()
        event.people.set([make_person() for _ in range(n)])
        for _ in range(n):
            make_article(title_en="a", body_en="b", events=[event])
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get(url_in(event, "en")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
