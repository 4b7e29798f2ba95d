"""Page bookmarks (``archive.paging``): every page found from its bookmark holds
exactly the rows the plain ``OFFSET`` slice of the same queryset holds, with ties and
NULLs in the sort keys, and late pages of the public lists skip no rows in SQL."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from archive import selectors
from archive.models import Article, Image, Person
from archive.paging import page_bookmarks, sort_keys
from archive.views.base import NarrowSortPaginator
from tests.factories import make_article, make_event, make_image, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_every_time")]


def plain_pages(queryset, per_page: int, orphans: int) -> list[list]:
    """The pages as Django's own Paginator slices them (OFFSET/LIMIT)."""
    from django.core.paginator import Paginator

    paginator = Paginator(queryset, per_page, orphans=orphans)
    return [list(paginator.page(n).object_list) for n in paginator.page_range]


def bookmarked_pages(queryset, per_page: int, orphans: int) -> list[list]:
    paginator = NarrowSortPaginator(queryset, per_page, orphans=orphans)
    calls = []

    def bookmarks():
        calls.append(1)
        return page_bookmarks(queryset, per_page)

    paginator.bookmarks = bookmarks
    pages = [list(paginator.page(n)) for n in paginator.page_range]
    # Every page between the first and the last went through its bookmark (the
    # last page is read backwards from the end).
    assert len(calls) == max(paginator.num_pages - 2, 0)
    return pages


def assert_same_pages(queryset, per_page: int = 4, orphans: int = 1) -> None:
    plain = plain_pages(queryset, per_page, orphans)
    assert len(plain) >= 3  # a first, a middle and a last page at least
    assert bookmarked_pages(queryset, per_page, orphans) == plain
    # Every row once, in the list's order.
    assert [row for page in plain for row in page] == list(queryset)


def test_article_pages_with_equal_and_missing_dates():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    same = datetime.datetime(2024, 5, 1, 9, 0, tzinfo=shanghai)
    for index in range(7):  # ties in the date, broken by the key
        make_article(key=f"tie-{index:02d}", published_at=same)
    for index in range(5):
        make_article(
            key=f"dated-{index}",
            published_at=datetime.datetime(2020 + index, 1, 1, tzinfo=shanghai),
        )
    for index in range(4):  # undated: last on every database
        make_article(key=f"undated-{index}", published_at=None)
    make_article(key="draft", status=Article.Status.DRAFT)
    articles = selectors.article_list()
    assert_same_pages(articles)
    assert_same_pages(selectors.article_list(year=2024), per_page=3, orphans=0)


def test_image_pages_grouped_by_article_with_loose_images():
    articles = [make_article(key=f"source-{index}") for index in range(3)]
    draft = make_article(key="hidden", status=Article.Status.DRAFT)
    for article in [*articles, draft]:
        for position in range(4):
            make_image(
                key=f"{article.key}-{position}", article=article, position=position
            )
    for index in range(6):  # no article: ties in position, broken by the key
        make_image(key=f"loose-{index}", position=0)
    images = selectors.image_list()
    assert not images.filter(article=draft).exists()
    assert_same_pages(images, per_page=5, orphans=2)


def test_timeline_pages_with_ties_and_undated_events():
    for index in range(6):
        make_event(key=f"same-{index}", date="1999")  # equal start, end and order
    for year in (1993, 2001, 2010):
        make_event(key=f"month-{year}", date=f"{year}-04")
        make_event(key=f"range-{year}", date=f"{year}/{year + 3}")
        make_event(key=f"open-{year}", date=f"{year}/..")  # no latest day
    for index in range(4):
        make_event(key=f"undated-{index}", date="")
    events = selectors.timeline_events()
    assert events.filter(date_end=None).exists()
    assert events.filter(date_start=None).exists()
    assert_same_pages(events, per_page=4, orphans=0)
    assert_same_pages(events, per_page=5, orphans=3)


def test_people_pages_with_equal_sort_names():
    for index in range(9):
        make_person(key=f"p{index}", sort_name="Wang" if index % 2 else "Li")
    assert_same_pages(selectors.person_list(), per_page=2, orphans=0)


def test_an_order_without_a_unique_last_key_is_not_bookmarked():
    assert sort_keys(Person.objects.order_by("sort_name")) is None
    assert sort_keys(Person.objects.order_by("?")) is None
    assert sort_keys(Person.objects.order_by(F("sort_name").desc(), "key")) is not None
    for index in range(7):
        make_person(key=f"q{index}", sort_name="Same")
    people = Person.objects.order_by("sort_name")
    paginator = NarrowSortPaginator(people, 3)
    paginator.bookmarks = lambda: pytest.fail("bookmarks asked for")
    assert [len(paginator.page(n)) for n in paginator.page_range] == [3, 3, 1]


def test_a_stale_bookmark_list_falls_back_to_the_narrow_sort():
    for index in range(10):
        make_person(key=f"r{index}")
    people = selectors.person_list()
    paginator = NarrowSortPaginator(people, 3)
    paginator.bookmarks = lambda: page_bookmarks(people, 3)[:2]  # content grew
    assert list(paginator.page(3)) == list(people)[6:9]
    assert list(paginator.page(4)) == list(people)[9:]


@pytest.mark.parametrize(
    ("url", "per_page"),
    [("/en/images/", 24), ("/en/articles/", 20), ("/en/timeline/", 30)],
)
def test_late_pages_skip_no_rows_in_sql(client, url, per_page):
    articles = [make_article(key=f"a{index:03d}") for index in range(per_page * 3)]
    for index, article in enumerate(articles):
        make_image(key=f"i{index:03d}", article=article)
        make_event(key=f"e{index:03d}", date=str(1900 + index))
    client.get(f"{url}?page=3")  # counts and bookmarks cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?page=3")
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert not re.search(r"\bOFFSET\b", sql), sql
    assert response.context["page_obj"].number == 3
    first = response.context["page_obj"].object_list[0]
    expected = {
        "/en/images/": lambda: selectors.image_list()[per_page * 2],
        "/en/articles/": lambda: selectors.article_list()[per_page * 2],
        "/en/timeline/": lambda: selectors.timeline_events()[per_page * 2],
    }[url]()
    assert first == expected
    assert Image.objects.count() == per_page * 3
