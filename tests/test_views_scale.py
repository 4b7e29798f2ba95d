"""Every public page is bounded: the same queries and about the same HTML at ten
times the rows (generated with ``generate_archive``, as the benchmark does)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from archive.models import Article, Event, Person
from tests.factories import url_in

pytestmark = pytest.mark.django_db

MAX_PAGE_BYTES = 100 * 1024
LIST_PAGES = ("people list", "timeline", "article list", "images")


def generate(articles: int, seed: int) -> None:
    call_command(
        "generate_archive",
        f"--articles={articles}",
        f"--seed={seed}",
        stdout=io.StringIO(),
    )


def pages() -> dict[str, str]:
    """One URL of every public page type, the busiest item of each kind."""
    person = Person.objects.annotate(n=Count("articles")).order_by("-n", "key")[0]
    event = Event.objects.annotate(n=Count("articles")).order_by("-n", "key")[0]
    article = Article.objects.published().order_by("key")[0]
    return {
        "home": "/en/",
        "people list": "/en/people/",
        "people list, last page": "/en/people/?page=9999",
        "person": url_in(person, "en"),
        "timeline": "/en/timeline/",
        "timeline, last page": "/en/timeline/?page=9999",
        "article list": "/en/articles/",
        "article list, last page": "/en/articles/?page=9999",
        "images": "/en/images/",
        "images, last page": "/en/images/?page=9999",
        "article": url_in(article, "en"),
        "event": url_in(event, "en"),
    }


def measure(client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Queries and bytes of each page, on a cold cache and then a warm one."""
    cache.clear()
    figures = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(url)
        figures[name] = (len(warm), len(response.content))
    return figures


def test_pages_cost_the_same_at_ten_times_the_rows(client):
    generate(150, seed=1)  # 30 people, 300 events, 450 images
    small = measure(client, pages())
    generate(1350, seed=2)  # 300 people, 3,000 events, 4,500 images in all
    large = measure(client, pages())
    for name in small:
        assert large[name][0] == small[name][0], (name, small[name], large[name])
        assert large[name][1] < MAX_PAGE_BYTES, (name, large[name])
    for name in LIST_PAGES:
        # Full pages at both sizes: the HTML does not grow with the archive.
        assert large[name][1] < small[name][1] * 1.25 + 2048, (name, small, large)


def test_person_filter_is_a_text_field_beyond_fifty_people(client):
    generate(150, seed=1)  # 30 people: a <select> of them all
    html = client.get("/en/articles/").content.decode()
    assert re.search(r'<select name="person"', html)
    generate(150, seed=2)  # 60 people: a text field
    html = client.get("/en/articles/").content.decode()
    assert not re.search(r'<select name="person"', html)
    assert re.search(r'<input type="text" name="person"', html)
    person = Person.objects.filter(key__startswith="gen-2-").first()
    response = client.get("/en/articles/", {"person": person.name_en})
    assert response.context["form"].valid_values()["person"] == person
