"""The admin's change-list search reads the search index (archive.search), drafts
included, instead of scanning every language column."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article, Event, Image, Person, PersonName
from tests import admin_helpers
from tests.admin_helpers import results, url
from tests.factories import make_article, make_event, make_image, make_person

pytestmark = pytest.mark.django_db

client = admin_helpers.client
editor = admin_helpers.editor


def search(client, model, term: str):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in context.captured_queries)
    return {obj.key for obj in results(response)}, sql


def test_article_search_uses_the_index_and_finds_drafts(client):
    make_article(key="ja-one", body_ja="変分オートエンコーダの研究。天才。")
    make_article(
        key="draft",
        status=Article.Status.DRAFT,
        title_en="Café society",
        original_url="https://example.org/source",
    )
    keys, sql = search(client, Article, "オートエンコーダ")
    assert keys == {"ja-one"}
    assert "archive_search" in sql
    assert "body_ja" not in sql.split("WHERE", 1)[-1] or "LIKE" not in sql
    assert search(client, Article, "天才")[0] == {"ja-one"}
    assert search(client, Article, "cafe")[0] == {"draft"}
    assert search(client, Article, "draft")[0] == {"draft"}  # its key
    assert search(client, Article, "https://example.org/source")[0] == {"draft"}
    assert search(client, Article, '" NEAR( *')[0] == set()


def test_people_events_images_search_every_language(client):
    person = make_person(key="radford", name_en="Alec Radford", name_ja="ラドフォード")
    PersonName.objects.create(person=person, name="拉德福德", language="zh-Hans")
    make_event(key="olin", original_language="zh-hans", title_zh_hans="奥林工程学院")
    make_image(key="pic", alt_text_ja="レンガ造りの建物")
    assert search(client, Person, "拉德福德")[0] == {"radford"}
    assert search(client, Person, "ラドフォード")[0] == {"radford"}
    assert search(client, Event, "奥林")[0] == {"olin"}
    assert search(client, Image, "レンガ")[0] == {"pic"}
    search(client, Image, "a\x00b")  # no error (Django drops the term)
    assert search(client, Image, "zzqq")[0] == set()
