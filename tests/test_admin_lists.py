"""Change lists that stay fast as the archive grows (archive/admin/lists.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article, Event, Image, Person
from archive.models.common import localized
from tests import admin_helpers
from tests.admin_helpers import results, url
from tests.factories import make_article, make_event, make_image

pytestmark = pytest.mark.django_db

client = admin_helpers.client
editor = admin_helpers.editor


def test_year_choices_follow_new_rows_at_once(client):
    make_article(key="a", published_at=datetime(2019, 5, 1, tzinfo=UTC))
    assert "?year=2019" in client.get(url(Article, "changelist")).content.decode()
    make_article(key="b", published_at=datetime(2021, 5, 1, tzinfo=UTC))
    html = client.get(url(Article, "changelist")).content.decode()
    assert "?year=2021" in html and "?year=2019" in html
    Article.objects.filter(key="b").delete()
    assert "?year=2021" not in client.get(url(Article, "changelist")).content.decode()


def test_event_year_choices_cached_until_the_table_changes(client):
    make_event(key="e1", date="1999")
    client.get(url(Event, "changelist"))
    with CaptureQueriesContext(connection) as cached:
        html = client.get(url(Event, "changelist")).content.decode()
    assert "?year=1999" in html
    # The years themselves are not read again: only the table's state is.
    assert not any("DISTINCT" in query["sql"] for query in cached)
    make_event(key="e2", date="2004")
    assert "?year=2004" in client.get(url(Event, "changelist")).content.decode()


def test_no_full_table_count_besides_the_paginators(client):
    make_article(key="a")
    with CaptureQueriesContext(connection) as queries:
        client.get(url(Article, "changelist") + "?q=zzz")
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    # The one count is the search's (through the search index: archive.search).
    assert len(counts) == 1 and "archive_search" in counts[0]


def filter_panel(html: str) -> str:
    return html.split('<search id="changelist-filter"')[1].split("</search>")[0]


def test_image_list_filters_by_one_article_without_listing_all(client):
    first, second = make_article(key="a1"), make_article(key="a2")
    make_image(key="i1", article=first, position=0, source_url="https://e.org/1")
    make_image(key="i2", article=second, position=0, source_url="https://e.org/2")
    changelist = url(Image, "changelist")
    html = client.get(changelist).content.decode()
    assert f'href="?article={first.pk}"' in html  # the column offers the filter
    assert f"?article={second.pk}" not in filter_panel(html)
    response = client.get(f"{changelist}?article={first.pk}")
    assert [image.key for image in results(response)] == ["i1"]
    filters = filter_panel(response.content.decode())
    assert str(first) in filters
    assert response.status_code == 200
    assert results(client.get(f"{changelist}?article=x")) == []


@pytest.mark.parametrize("model", [Article, Person, Event, Image])
def test_row_checkbox_is_djangos_markup(model):
    model_admin = admin.site._registry[model]
    obj = model(pk=7, key="k<")
    assert model_admin.action_checkbox(obj) == ModelAdmin.action_checkbox(
        model_admin, obj
    )


def test_date_hierarchy_years_are_cached_and_drill_down_still_works(client):
    make_article(key="a", published_at=datetime(2019, 5, 1, tzinfo=UTC))
    make_article(key="b", published_at=datetime(2021, 7, 1, tzinfo=UTC))
    changelist = url(Article, "changelist")
    client.get(changelist)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(changelist).content.decode()
    assert "published_at__year=2019" in html and "published_at__year=2021" in html
    assert [q["sql"] for q in queries if "DISTINCT" in q["sql"]] == []
    make_article(key="c", published_at=datetime(2023, 1, 1, tzinfo=UTC))
    assert "published_at__year=2023" in client.get(changelist).content.decode()
    months = client.get(changelist + "?published_at__year=2021").content.decode()
    assert "published_at__month=7" in months


def test_date_hierarchy_costs_the_same_queries_with_one_year_or_many(client):
    changelist = url(Article, "changelist")
    make_article(key="a", published_at=datetime(2021, 5, 1, tzinfo=UTC))
    make_article(key="b", published_at=datetime(2021, 7, 1, tzinfo=UTC))
    client.get(changelist)
    with CaptureQueriesContext(connection) as one_year:
        html = client.get(changelist).content.decode()
    # Django's own top level for a single year: that year's months.
    assert "published_at__month=5" in html and "published_at__month=7" in html
    make_article(key="c", published_at=datetime(2023, 1, 1, tzinfo=UTC))
    client.get(changelist)
    with CaptureQueriesContext(connection) as two_years:
        html = client.get(changelist).content.decode()
    assert "published_at__year=2021" in html and "published_at__year=2023" in html
    assert "published_at__month=" not in html
    assert len(one_year) == len(two_years)
    # The query string of the list (its sort) stays in the hierarchy's links.
    html = client.get(changelist + "?o=2").content.decode()
    assert "?o=2&amp;published_at__year=2023" in html


def result_table(html: str) -> str:
    return html.split('<table id="result_list">')[1].split("</table>")[0]


@pytest.mark.parametrize("model", [Article, Person, Event, Image])
def test_cached_rows_are_djangos_rows_and_follow_edits(client, model):
    from tests.factories import make_person

    person = make_person(key="p1")
    article = make_article(key="a1", people=[person])
    make_event(key="e1", date="2001").people.add(person)
    make_image(key="i1", article=article, position=0)
    changelist = url(model, "changelist")
    cold = client.get(changelist).content.decode()
    warm = client.get(changelist).content.decode()
    assert result_table(warm) == result_table(cold)
    # Sorted, filtered or in a popup, the rows' links keep what Django's keep.
    sorted_html = client.get(changelist + "?o=-1").content.decode()
    assert "_changelist_filters=o%3D-1" in result_table(sorted_html)
    popup = client.get(changelist + "?_popup=1&_to_field=id").content.decode()
    assert "data-popup-opener" in result_table(popup)
    assert "data-popup-opener" not in result_table(
        client.get(changelist).content.decode()
    )
    # An edit of the row shows at once.
    item = model.objects.get()
    setattr(item, localized(item.TITLE_FIELD, item.original_language), "Renamed")
    item.save()
    assert "Renamed" in result_table(client.get(changelist).content.decode())


def test_cached_rows_follow_counts_of_related_rows(client):
    article = make_article(key="a1")
    changelist = url(Article, "changelist")
    client.get(changelist)
    assert '<td class="field-image_count">0</td>' in result_table(
        client.get(changelist).content.decode()
    )
    make_image(key="i1", article=article, position=0)  # not an edit of the row
    html = client.get(changelist).content.decode()
    assert '<td class="field-image_count">1</td>' in result_table(html)
