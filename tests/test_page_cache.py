"""Public pages come from the cache, follow every write at once, and say how long
others may keep them (archive/page_cache.py)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from archive.models import Article, Event, Person
from archive.services.publishing import publish_articles, unpublish_articles
from tests.admin_forms import browser_post_data, change_form_id
from tests.archive_fixture import SOURCES
from tests.factories import make_article, make_event, make_person, url_in

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ja", "zh-hans")
NONCE = re.compile(r'nonce="([^"]+)"')


def visit(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def cached_twice(client: Client, url: str) -> str:
    """Visit ``url`` twice; the second answer is the cache's. Its HTML."""
    first, html = visit(client, url)
    assert first.status_code == 200 and first["X-Archive-Cache"] == "miss"
    second, again = visit(client, url)
    assert second["X-Archive-Cache"] == "hit"
    assert again == html
    return html


@pytest.fixture
def editor_client(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("boss", password="pw-for-tests")
    editor = Client()
    editor.force_login(user)
    return editor


def admin_save(editor: Client, item, **changes: str) -> None:
    """Change ``item`` through its admin change form, as a browser posts it."""
    model = type(item)
    url = reverse(f"admin:archive_{model._meta.model_name}_change", args=[item.pk])
    data = browser_post_data(editor.get(url).content.decode(), change_form_id(model))
    for name, value in changes.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


# -- served from the cache ------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_second_visit_is_the_same_page_with_no_query(client, language):
    article = make_article(title_en="Cached", body_en="Body")
    url = url_in(article, language)
    html = cached_twice(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.content.decode() == html
    assert len(queries) == 0
    assert response["Content-Language"] == language


def test_head_from_the_cache_has_the_length_and_no_body(client):
    article = make_article()
    url = url_in(article, "en")
    page = cached_twice(client, url).encode()
    head = client.head(url)
    assert head["X-Archive-Cache"] == "hit" and head.content == b""
    assert head["Content-Length"] == str(len(page))
    assert client.get(url)["Content-Length"] == str(len(page))


def test_a_page_is_kept_for_the_day_it_was_rendered_on(client):
    # Article pages say the day (the citation's "accessed" date): a page stored
    # on another day is rendered again, with today's date.
    from django.core.cache import cache

    from archive.page_cache import PageCacheMiddleware

    article = make_article(title_en="Cited today")
    url = url_in(article, "en")
    cached_twice(client, url)
    key = PageCacheMiddleware(lambda request: None).key(client.get(url).wsgi_request)
    # Stored as (content version, page) by archive.counting.versioned_set.
    version, entry = cache.get(key)
    assert entry["day"] == timezone.localdate().isoformat()
    cache.set(key, (version, {**entry, "day": "2001-01-01"}))
    response = client.get(url)
    assert response["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "hit"


def test_a_lost_version_key_never_brings_old_pages_back(client):
    # Redis may evict or lose the version (allkeys-lru, a restart without
    # persistence) while pages stored under old versions survive: the new version
    # is one never used, so they are all stale.
    from django.core.cache import cache

    from archive.counting import VERSION_KEY, bump_content_version, content_version

    article = make_article(title_en="Kept")
    url = url_in(article, "en")
    cached_twice(client, url)
    before = content_version()
    cache.delete(VERSION_KEY)
    assert content_version() > before
    assert client.get(url)["X-Archive-Cache"] == "miss"
    cache.delete(VERSION_KEY)
    bump_content_version()
    assert content_version() > before
    assert client.get(url)["X-Archive-Cache"] == "miss"


def test_each_language_and_query_is_its_own_page(client):
    article = make_article(
        title_ja="原題", body_ja="原文", title_en="Title", body_en="T"
    )
    pages = {
        url: cached_twice(client, url)
        for language in LANGUAGES
        for url in (
            url_in(article, language),
            url_in(article, language) + "?original=1",
        )
    }
    assert len(set(pages.values())) == len(pages)


def test_a_cached_page_gets_a_fresh_nonce(client, settings):
    # A page that uses the CSP nonce: each answer has its own, in the body and in
    # the Content-Security-Policy header alike.
    settings.ROOT_URLCONF = "tests.page_cache_urls"
    bodies, nonces = [], []
    for expected in ("miss", "hit", "hit"):
        response, html = visit(client, "/en/nonce-page/")
        assert response["X-Archive-Cache"] == expected
        (nonce,) = set(NONCE.findall(html))
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
        bodies.append(html.replace(nonce, "NONCE"))
    assert len(set(nonces)) == 3
    assert len(set(bodies)) == 1


def test_pages_with_a_csrf_token_or_that_vary_are_not_stored(client, settings):
    settings.ROOT_URLCONF = "tests.page_cache_urls"
    for url in ("/en/form-page/", "/en/varying-page/"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200 and "X-Archive-Cache" not in response
    assert "csrftoken" in client.get("/en/form-page/").cookies


def test_pages_that_are_not_plain_public_pages_are_not_cached(client):
    article = make_article(title_en="English title")
    assert "X-Archive-Cache" not in client.get("/en/articles/no-such-thing/")
    redirect = client.get(f"/en/articles/{article.slug_ja}/")  # not the en slug
    assert redirect.status_code == 301 and "X-Archive-Cache" not in redirect
    assert "X-Archive-Cache" not in client.get("/en/articles/?" + "q=x&" * 100)
    assert "X-Archive-Cache" not in client.get("/admin/login/")
    assert "X-Archive-Cache" not in client.get(reverse("healthz"))


def test_logged_in_visitors_are_never_served_or_stored(client, editor_client):
    article = make_article(title_en="Shared")
    url = url_in(article, "en")
    response = editor_client.get(url)
    assert "X-Archive-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    # Nothing the editor saw was stored: the visitor's first visit renders.
    assert visit(client, url)[0]["X-Archive-Cache"] == "miss"
    assert "X-Archive-Cache" not in editor_client.get(url)


# -- every write path moves the version on -----------------------------------------
def test_an_admin_edit_of_an_article_shows_at_once_in_every_language(
    client, editor_client
):
    article = make_article(title_en="Before", body_en="Old text")
    urls = [url_in(article, language) for language in LANGUAGES]
    for url in urls:
        cached_twice(client, url)
    admin_save(editor_client, article, title_en="After the edit")
    for url in urls:
        response, html = visit(client, url)
        assert response["X-Archive-Cache"] == "miss"
        assert "After the edit" in html or url != urls[0]
    assert "After the edit" in visit(client, urls[0])[1]


def test_an_admin_edit_of_a_person_changes_their_event_and_article_pages(
    client, editor_client
):
    person = make_person(name_en="Ada Lovelace")
    event = make_event(title_en="First program", date="1843")
    event.people.add(person)
    article = make_article(title_en="Notes", body_en="n", people=[person])
    pages = [url_in(event, "en"), url_in(article, "en")]
    for url in pages:
        assert "Ada Lovelace" in cached_twice(client, url)
    admin_save(editor_client, person, name_en="Augusta Ada King")
    for url in pages:
        html = visit(client, url)[1]
        assert "Augusta Ada King" in html and "Ada Lovelace" not in html


def test_publish_and_unpublish_through_the_admin(client, editor_client):
    draft = make_article(title_en="Soon", body_en="b", status=Article.Status.DRAFT)
    listing = reverse("archive:article_list")
    assert "Soon" not in cached_twice(client, listing)
    changelist = reverse("admin:archive_article_changelist")
    editor_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert "Soon" in visit(client, listing)[1]
    url = url_in(draft, "en")
    assert "Soon" in cached_twice(client, url)
    editor_client.post(
        changelist, {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    assert client.get(url).status_code == 404
    assert "Soon" not in visit(client, listing)[1]


def test_publish_and_unpublish_through_the_service(client):
    article = make_article(title_en="Service", body_en="b")
    url = url_in(article, "ja")
    cached_twice(client, url)
    unpublish_articles([article])
    assert client.get(url).status_code == 404
    publish_articles([Article.objects.get(pk=article.pk)])
    assert client.get(url).status_code == 200


def test_delete(client, editor_client):
    article = make_article(title_en="Gone soon", body_en="b")
    url = url_in(article, "en")
    home = reverse("archive:home")
    assert "Gone soon" in cached_twice(client, home)
    cached_twice(client, url)
    response = editor_client.post(
        reverse("admin:archive_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert "Gone soon" not in visit(client, home)[1]


def test_import(client):
    listing = "/zh-hans/articles/"
    before = cached_twice(client, listing)
    call_command(
        "import_article", str(SOURCES / "002_d55c27320bfb4ba1.txt"), "--publish"
    )
    response, after = visit(client, listing)
    assert response["X-Archive-Cache"] == "miss"
    imported = Article.objects.get()
    assert imported.title_zh_hans not in before
    assert imported.title_zh_hans in after


def test_loaddata(client):
    people = "/ja/people/"
    before = cached_twice(client, people)
    call_command("loaddata", "archive", verbosity=0)
    response, after = visit(client, people)
    assert response["X-Archive-Cache"] == "miss"
    assert after != before and Person.objects.exists()
    assert Event.objects.exists()


def test_a_write_in_a_transaction_moves_the_version_again_at_commit(
    django_capture_on_commit_callbacks,
):
    # A page rendered from the old rows between the write and the commit is
    # cached under the write's version: the commit must orphan it too.
    from archive.counting import content_version

    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = make_article()
        article.people.add(make_person())
        inside = content_version()
    assert len(callbacks) == 1  # one more move for the whole transaction
    assert before < inside < content_version()


# -- conditional GET and headers ------------------------------------------------
def test_conditional_get_answers_304_without_a_policy(client):
    article = make_article()
    url = url_in(article, "en")
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and modified
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert "Content-Security-Policy" not in again
    since = client.get(url, headers={"if-modified-since": modified})
    assert since.status_code == 304
    other = client.get(url, headers={"if-none-match": 'W/"something-else"'})
    assert other.status_code == 200 and "Content-Security-Policy" in other
    # After an edit the page (and its tag) is new.
    article.body_ja = "書き直した本文"
    article.save()
    edited = client.get(url, headers={"if-none-match": etag})
    assert edited.status_code == 200 and edited["ETag"] != etag


def test_public_pages_may_be_kept_briefly_by_browsers_and_a_cdn(client, settings):
    settings.ARCHIVE_PAGE_MAX_AGE = 30
    settings.ARCHIVE_PAGE_S_MAXAGE = 120
    article = make_article()
    for url in (url_in(article, "en"), reverse("archive:home"), "/ja/timeline/"):
        for response in (client.get(url), client.get(url)):
            directives = set(response["Cache-Control"].split(", "))
            assert directives == {"public", "max-age=30", "s-maxage=120"}
            assert "Set-Cookie" not in response
            assert "Vary" not in response or "Cookie" not in response["Vary"]


def test_the_admin_and_previews_are_never_stored(editor_client):
    for url in (reverse("admin:index"), reverse("admin:archive_article_changelist")):
        cache_control = editor_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
    assert "no-store" in Client().get(reverse("admin:login"))["Cache-Control"]
    draft = make_article(status=Article.Status.DRAFT)
    preview = editor_client.get(url_in(draft, "en"))
    assert preview.status_code == 200
    assert set(preview["Cache-Control"].split(", ")) >= {"private", "no-store"}
    assert "ETag" not in preview


def test_the_cache_can_be_turned_off(client, settings):
    settings.ARCHIVE_PAGE_CACHE = False
    article = make_article()
    response = client.get(url_in(article, "en"))
    assert response.status_code == 200 and "X-Archive-Cache" not in response
