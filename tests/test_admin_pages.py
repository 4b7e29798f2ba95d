"""The editors' admin pages: change lists, forms, search, filters and query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import (
    Article,
    Event,
    Image,
    Person,
)
from tests import admin_helpers
from tests.admin_helpers import (
    results,
    url,
)
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_person,
    make_reference,
    png_file,
)

pytestmark = pytest.mark.django_db

# The shared admin fixtures, named here so that pytest finds them.
client = admin_helpers.client
editor = admin_helpers.editor


# -- pages -----------------------------------------------------------------------
@pytest.fixture
def one_of_each():
    person = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    event = make_event(key="gpt", date="2018-06")
    image = make_image(
        key="img", source_url="https://example.org/a.png", alt_text_en="A chart"
    )
    article = make_article(key="a1", title_ja="機械学習の研究者", cover_image=image)
    article.people.add(person)
    article.events.add(event)
    return {Article: article, Person: person, Event: event, Image: image}


@pytest.mark.parametrize("model", [Article, Person, Event, Image])
def test_changelist_add_and_change_pages_open_for_an_editor(client, one_of_each, model):
    obj = one_of_each[model]
    for page in (
        url(model, "changelist"),
        url(model, "add"),
        url(model, "change", obj.pk),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
    assert obj.key in client.get(url(model, "change", obj.pk)).content.decode()


def test_change_page_loads_tabs_from_our_own_static_files_without_inline_script(
    client, one_of_each
):
    response = client.get(url(Article, "change", one_of_each[Article].pk))
    html = response.content.decode()
    assert "/static/xstatic/jquery-ui/jquery-ui.min.js" in html
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in html
    assert "/static/archive/admin/translation_tabs.js" in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and not [
        s for s in sources if s.startswith(("http:", "https:", "//"))
    ]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline_scripts == []
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]


def test_article_form_has_the_fieldsets_and_inlines(client, one_of_each):
    html = client.get(url(Article, "change", one_of_each[Article].pk)).content.decode()
    for heading in ("Text", "Source and provenance", "Source document", "Relations"):
        assert f"{heading}</h2>" in html or f">{heading}<" in html, heading
    for prefix in ("images", "references", "translations"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    # (body_ja, the original's body, is read-only: the article has a raw source.)
    for column in ("title_en", "title_ja", "title_zh_hans", "body_en", "slug_zh_hans"):
        assert f'name="{column}"' in html
    # Read-only derived values are shown, not editable.
    assert 'name="source_sha256"' not in html
    assert str(Article._meta.get_field("source_sha256").verbose_name) in html
    # Autocomplete widgets for the relations.
    for field in ("cover_image", "people", "events"):
        assert re.search(rf'<select[^>]+name="{field}"[^>]+admin-autocomplete', html)


# -- search, filters, autocomplete ----------------------------------------------
def test_search_finds_cjk_substrings_in_every_language_column(client):
    ja = make_article(key="ja", title_ja="機械学習の研究者")
    zh = make_article(
        key="zh", original_language="zh-hans", title_zh_hans="生成式预训练模型的作者"
    )
    en = make_article(
        key="en", original_language="en", title_en="Unsupervised learning"
    )
    changelist = url(Article, "changelist")
    assert results(client.get(changelist, {"q": "学習の研"})) == [ja]
    assert results(client.get(changelist, {"q": "预训练"})) == [zh]
    assert results(client.get(changelist, {"q": "unsupervised"})) == [en]
    assert results(client.get(changelist, {"q": "ja"})) == [ja]  # the key


def test_person_and_image_search_in_japanese_and_chinese(client):
    alec = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    make_person(key="ilya", name_en="Ilya Sutskever")
    cover = make_image(
        key="cover",
        original_language="zh-hans",
        source_url="https://example.org/c.jpg",
        alt_text_zh_hans="一张拉德福德的照片",
    )
    assert results(client.get(url(Person, "changelist"), {"q": "ラドフォ"})) == [alec]
    assert results(client.get(url(Image, "changelist"), {"q": "拉德福德"})) == [cover]


def test_autocomplete_for_people_returns_json(client):
    alec = make_person(
        key="alec", original_language="ja", name_ja="アレック・ラドフォード"
    )
    make_person(key="ilya", name_en="Ilya Sutskever")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "archive",
            "model_name": "article",
            "field_name": "people",
            "term": "ラドフォード",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(alec.pk), "text": "アレック・ラドフォード"}
    ]


def test_nul_characters_in_search_terms_are_not_a_500(client):
    # PostgreSQL refuses NUL in queries; CI runs this on PostgreSQL too.
    make_person(key="alec", original_language="ja", name_ja="アレック・ラドフォード")
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "archive",
            "model_name": "article",
            "field_name": "people",
            "term": "ラド\x00",
        },
    )
    assert autocomplete.status_code == 200
    assert len(autocomplete.json()["results"]) == 1
    changelist = client.get(url(Person, "changelist"), {"q": "\x00ラド"})
    assert changelist.status_code == 200


def test_article_filters(client):
    published = make_article(
        key="p",
        status=Article.Status.PUBLISHED,
        published_at=datetime(2023, 5, 1, tzinfo=UTC),
        ai_generated=True,
    )
    draft = make_article(
        key="d",
        status=Article.Status.DRAFT,
        original_language="zh-hans",
        published_at=datetime(2019, 1, 1, tzinfo=UTC),
        machine_translated=True,
        title_en="Translated",
    )
    changelist = url(Article, "changelist")
    published_only = {"status__exact": Article.Status.PUBLISHED}
    assert results(client.get(changelist, published_only)) == [published]
    assert results(client.get(changelist, {"original_language__exact": "zh-hans"})) == [
        draft
    ]
    assert results(client.get(changelist, {"year": "2023"})) == [published]
    assert results(client.get(changelist, {"ai_generated__exact": "1"})) == [published]
    assert results(client.get(changelist, {"machine_translated__exact": "1"})) == [
        draft
    ]
    assert results(client.get(changelist, {"missing": "en"})) == [published]
    assert results(client.get(changelist, {"year": "not-a-year"})) == []
    response = client.get(changelist)
    html = response.content.decode()
    assert "?year=2023" in html and "?year=2019" in html  # the year filter's choices
    assert "published_at__year=2023" in html  # the date hierarchy


def test_event_filters_by_category_and_every_year_an_interval_touches(client):
    olin = make_event(key="olin", date="2011/2016", category="education")
    gpt = make_event(key="gpt", date="2018-06", category="research")
    changelist = url(Event, "changelist")
    assert results(client.get(changelist, {"category__exact": "education"})) == [olin]
    assert results(client.get(changelist, {"year": "2013"})) == [olin]
    assert results(client.get(changelist, {"year": "2018"})) == [gpt]
    html = client.get(changelist).content.decode()
    assert "?year=2016" in html and "?year=2011" in html


def test_image_filters_archived_or_not(client):
    archived = make_image(key="here", file=png_file(), alt_text_en="A")
    remote = make_image(key="there", source_url="https://example.org/x.jpg")
    changelist = url(Image, "changelist")
    assert results(client.get(changelist, {"archived": "yes"})) == [archived]
    assert results(client.get(changelist, {"archived": "no"})) == [remote]


def test_changelist_shows_original_title_and_language_badges(client):
    make_article(key="b", title_ja="機械学習の研究者", title_zh_hans="机器学习研究者")
    html = client.get(url(Article, "changelist")).content.decode()
    assert '<span lang="ja">機械学習の研究者</span>' in html
    assert 'archive-lang--original" title="Japanese: original">JA<' in html
    assert 'archive-lang--present" title="Simplified Chinese: translated">ZH<' in html
    assert 'archive-lang--missing" title="English: missing">EN<' in html


def test_article_changelist_queries_do_not_grow_with_rows(client):
    person = make_person(key="p", original_language="ja", name_ja="人")
    event = make_event(key="e")

    def add_articles(start: int, count: int) -> None:
        for n in range(start, start + count):
            article = make_article(
                key=f"a{n}", published_at=datetime(2020 + n % 3, 1, 1, tzinfo=UTC)
            )
            article.people.add(person)
            article.events.add(event)
            make_reference(article, position=1, title="t", url="https://e.org")
            make_image(
                key=f"i{n}",
                article=article,
                position=1,
                source_url="https://e.org/i.png",
            )

    changelist = url(Article, "changelist")
    add_articles(0, 3)
    client.get(changelist)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(results(client.get(changelist))) == 3
    add_articles(3, 27)
    client.get(changelist)  # the filters' choices, cached per table state (lists.py)
    with CaptureQueriesContext(connection) as many:
        response = client.get(changelist)
    assert len(results(response)) == 30
    assert len(many) == len(few)
    assert results(response)[0].reference_total == 1


@pytest.mark.parametrize("model", [Person, Event, Image])
def test_other_changelists_query_count_does_not_grow_with_rows(client, model):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            if model is Person:
                make_person(key=f"p{n}", original_language="ja", name_ja=f"人{n}")
            elif model is Event:
                make_event(key=f"e{n}", date=f"{2000 + n}")
            else:
                article = make_article(key=f"a{n}")
                make_image(
                    key=f"i{n}",
                    article=article,
                    position=0,
                    file=png_file(),
                    alt_text_en="x",
                )

    add(0, 3)
    client.get(url(model, "changelist"))
    with CaptureQueriesContext(connection) as few:
        client.get(url(model, "changelist"))
    add(3, 17)
    client.get(url(model, "changelist"))  # cached filter choices (lists.py)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(model, "changelist"))
    assert len(results(response)) == 20
    assert len(many) == len(few)
