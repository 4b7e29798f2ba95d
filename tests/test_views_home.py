"""Home page, the root redirect, error pages and what every page shares."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import permission_denied, server_error
from pytest_django.asserts import assertContains

from archive.models import Article
from tests.factories import (
    BCP47,
    LANGUAGES,
    count_tag,
    make_article,
    make_event,
    make_image,
    make_person,
    page_text,
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("ja,en;q=0.5", "/ja/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("zh-Hans", "/zh-hans/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("fr-FR", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_sends_visitors_to_their_language(client, accept, target):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response["Location"] == target


def test_unprefixed_page_redirects_to_a_language(client):
    response = client.get("/timeline/", headers={"Accept-Language": "ja"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/timeline/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_in_every_language(client, language):
    person = make_person(name_en="Alec Radford", name_ja="アレック・ラドフォード")
    article = make_article(title_en="An English title", body_en="Text", people=[person])
    make_event(title_en="Born", date="1993-04")
    make_image()
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    assert count_tag(response, "h1") == 1
    assert url_in(article, language) in html
    assert url_in(person, language) in html
    assert tags_with(html, "a", {"class": "skip-link", "href": "#main"})
    assert '<main id="main"' in html
    with translation.override(language):
        assert gettext("Radford Archive") in html
    for code in LANGUAGES:
        assertContains(
            response,
            f'<link rel="alternate" hreflang="{BCP47[code]}" href="http://testserver/{code}/">',
            html=True,
        )
    assertContains(
        response,
        f'<link rel="canonical" href="http://testserver/{language}/">',
        html=True,
    )
    date = {"en": "April 1993", "ja": "1993年4月", "zh-hans": "1993年4月"}[language]
    assert f'<time datetime="1993-04">{date}</time>' in html


def test_home_counts_only_public_articles(client):
    make_article(title_en="Public", body_en="x")
    make_article(title_en="Draft", body_en="x", status=Article.Status.DRAFT)
    html = page_text(client.get("/en/"))
    assert "<strong>1</strong> article" in html
    # The public one is listed by its English title, so the draft's would show too.
    assert "Public" in html
    assert "Draft" not in html


def test_home_queries_are_bounded(client, django_assert_max_num_queries):
    counts = []
    for n in (2, 15):
        for _ in range(n):
            person = make_person()
            make_article(title_en="t", body_en="b", people=[person])
            make_event()
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert client.get("/ja/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.usefixtures("render_every_time")
def test_home_content_is_cached_per_language_and_follows_every_edit(client):
    person = make_person(name_en="Ada Lovelace", name_ja="エイダ")
    article = make_article(
        title_en="First notes", title_ja="最初のノート", people=[person]
    )
    for language, title in (("en", "First notes"), ("ja", "最初のノート")):
        cold = page_text(client.get(f"/{language}/"))
        with CaptureQueriesContext(connection) as warm_queries:
            warm = page_text(client.get(f"/{language}/"))
        # The page's content comes from the cache: no query at all.
        assert len(warm_queries) == 0 and warm == cold and title in warm
    # An edit, a new article and a new event show at once, in every language.
    person.name_en = "Augusta Ada King"
    person.save()
    make_article(title_en="Second notes", title_ja="第二のノート")
    make_event(title_en="A new event", title_ja="新しい出来事", date="2030")
    english = page_text(client.get("/en/"))
    assert "Augusta Ada King" in english and "Second notes" in english
    assert "A new event" in english
    assert "第二のノート" in page_text(client.get("/ja/"))
    article.status = Article.Status.DRAFT
    article.save()
    assert "First notes" not in page_text(client.get("/en/"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_page_is_a_translated_404(client, language):
    response = client.get(f"/{language}/no/such/page/")
    assert response.status_code == 404
    html = page_text(response)
    assert f'<html lang="{BCP47[language]}"' in html
    with translation.override(language):
        assert gettext("Page not found") in html
    # Its switcher offers the home page in each language.
    for code in LANGUAGES:
        assert tags_with(html, "a", {"href": f"/{code}/", "hreflang": BCP47[code]})
    assert 'name="robots" content="noindex"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page_renders_without_context_or_queries(language):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language), CaptureQueriesContext(connection) as ctx:
        response = server_error(request)
        expected = gettext("Something went wrong")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{BCP47[language]}"' in html
    assert expected in html
    assert html.count("<h1") == 1
    assert len(ctx) == 0


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/articles/", "/en/people/", "/en/timeline/", "/en/images/"],
)
def test_navigation_marks_the_current_section(client, path):
    html = page_text(client.get(path))
    assert html.count('aria-current="page"') >= 1
    assert tags_with(html, "nav", {"class": "site-nav", "aria-label": "Main"})
    switcher = {"class": "language-switcher", "aria-label": "Language"}
    assert tags_with(html, "nav", switcher)
    assert "archive/css/archive.css" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_request_page_is_translated(client, language):
    # A path that climbs out of MEDIA_ROOT is refused with the 400 page.
    response = client.get(
        "/media/../config/settings.py", headers={"Accept-Language": language}
    )
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override(language):
        expected = gettext("Bad request")
    assert f"<h1>{expected}</h1>" in html
    assert "SECRET" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_access_denied_page_is_translated(language):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
        expected = gettext("Access denied")
    assert response.status_code == 403
    assert f"<h1>{expected}</h1>" in response.content.decode()
