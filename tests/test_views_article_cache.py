"""The article page's content is cached per article, edit, language and text
shown, and follows every change (its own, and of its people and events).

The whole-page cache (``archive/page_cache.py``, tests/test_page_cache.py) is off
here: these tests are about the content cache beneath it, which serves whenever a
page is rendered (a new content version, a logged-in editor)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article
from tests.factories import make_article, make_event, make_person, page_text, url_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("render_every_time"),
]


def get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return page_text(response), len(queries)


def test_second_visit_is_one_query_and_edits_show_at_once(client):
    person = make_person(name_en="Ada Lovelace")
    event = make_event(title_en="First program", date="1843")
    article = make_article(title_en="Notes", body_en="The *notes*.", people=[person])
    article.events.add(event)
    url = url_in(article, "en")
    html, cold = get(client, url)
    assert "Ada Lovelace" in html and "First program" in html
    html_again, warm = get(client, url)
    assert warm == 1 < cold
    assert html_again == html
    person.name_en = "Augusta Ada King"
    person.save()
    assert "Augusta Ada King" in get(client, url)[0]
    article.body_en = "Revised *notes*."
    article.save()
    assert "Revised" in get(client, url)[0]


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_each_language_and_the_original_are_cached_apart(client, language):
    article = make_article(
        title_ja="原題", body_ja="原文", title_en="Title", body_en="Text"
    )
    url = url_in(article, language)
    plain = get(client, url)[0]
    original = get(client, f"{url}?original=1")[0]
    assert "原文" in original
    if language == "en":
        assert "Text" in plain and "原文" not in plain


def test_drafts_are_never_cached(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", password="x")
    client.force_login(editor)
    article = make_article(
        title_en="Draft", subtitle_en="One", body_en="b", status=Article.Status.DRAFT
    )
    url = url_in(article, "en")
    get(client, url)
    # No signal, the same updated_at: only an uncached page can show it.
    Article.objects.filter(pk=article.pk).update(subtitle_en="Two")
    assert "Two" in get(client, url)[0]


def test_a_cached_page_reads_a_narrow_row_and_a_cold_one_the_whole_text(client):
    body = "A long body. " * 400
    article = make_article(title_en="Wide", body_en=body, body_ja="長い本文。" * 400)
    url = url_in(article, "en")
    cold, _ = get(client, url)
    assert "A long body." in cold
    with CaptureQueriesContext(connection) as queries:
        warm = page_text(client.get(url))
    assert warm == cold
    (query,) = queries.captured_queries
    # Neither the bodies nor the raw source travel when the content is cached,
    # nor the rest of the row (titles, summaries…), nor its cover.
    assert '"body' not in query["sql"] and "source_document" not in query["sql"]
    assert '"title' not in query["sql"] and "archive_image" not in query["sql"]


def test_the_head_is_cached_per_site_address(client, settings):
    settings.ALLOWED_HOSTS = ["archive.example.org", "mirror.example.net"]
    article = make_article(title_en="Addressed", summary_en="About it.")
    url = url_in(article, "en")
    for _round in ("rendered", "cached"):
        for host in ("archive.example.org", "mirror.example.net"):
            html = page_text(client.get(url, HTTP_HOST=host))
            assert f'<link rel="canonical" href="http://{host}{url}">' in html
            assert f'<meta property="og:url" content="http://{host}{url}">' in html
            assert f'content="http://{host}{url}"' in html  # citation_public_url
            other = ({"archive.example.org", "mirror.example.net"} - {host}).pop()
            assert other not in html
