"""Selectors: what the public may see, slug lookup in any language, grouping."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import translation

from archive import selectors
from archive.models import Article
from tests.factories import make_article, make_event, make_image, make_person

pytestmark = pytest.mark.django_db


def test_public_articles_exclude_drafts_and_put_undated_last():
    dated = make_article(key="dated")
    undated = make_article(key="undated", published_at=None)
    make_article(key="draft", status=Article.Status.DRAFT)
    assert list(selectors.public_articles()) == [dated, undated]


def test_find_by_slug_in_any_language_column_or_key():
    article = make_article(title_en="English title", title_ja="日本語の題")
    queryset = Article.objects.all()
    assert selectors.find_by_slug(queryset, slug="english-title") == article
    assert selectors.find_by_slug(queryset, slug=article.slug_ja) == article
    assert selectors.find_by_slug(queryset, slug=article.key) == article
    assert selectors.find_by_slug(queryset, slug="nothing") is None


def test_find_by_slug_prefers_the_active_languages_column():
    first = make_article(key="first", title_en="Shared")
    second = make_article(key="second", title_en="Other", slug_ja="shared")
    with translation.override("ja"):
        assert selectors.find_by_slug(Article.objects.all(), slug="shared") == second
    with translation.override("en"):
        assert selectors.find_by_slug(Article.objects.all(), slug="shared") == first


def test_article_lookup_hides_drafts_unless_asked():
    draft = make_article(status=Article.Status.DRAFT, title_en="Draft")
    assert selectors.article_lookup(slug="draft") is None
    assert selectors.article_lookup(slug="draft", include_drafts=True) == draft


def test_article_lookup_reads_only_what_finds_and_keys_the_page():
    make_article(title_en="Narrow", summary_en="A summary", body_en="A body")
    found = selectors.article_lookup(slug="narrow")
    assert found.slug_for("en") == "narrow"
    # Values converted as the ORM converts them (an aware datetime on SQLite too).
    stored = Article.objects.get(pk=found.pk)
    assert found.updated_at == stored.updated_at and found.updated_at.tzinfo
    assert (found.status, found.key) == (stored.status, stored.key)
    assert {"title_en", "summary_en", "body_en", "cover_image_id"} <= (
        found.get_deferred_fields()
    )
    head = selectors.article_head(pk=found.pk)
    assert head.title_en == "Narrow" and "body_en" in head.get_deferred_fields()
    found.delete()
    assert selectors.article_head(pk=head.pk) is None


def test_article_list_filters():
    person = make_person()
    old = make_article(
        key="old",
        original_language="zh-hans",
        title_zh_hans="旧文",
        published_at=datetime.datetime(2020, 6, 1, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )
    new = make_article(key="new", people=[person])
    assert list(selectors.article_list(original_language="zh-hans")) == [old]
    assert list(selectors.article_list(year=2020)) == [old]
    assert list(selectors.article_list(person=person)) == [new]
    assert selectors.article_years() == [2025, 2020]


def test_people_with_articles_ignores_drafts():
    public, hidden = make_person(key="public"), make_person(key="hidden")
    make_article(people=[public])
    make_article(people=[hidden], status=Article.Status.DRAFT)
    assert list(selectors.people_with_articles()) == [public]


def test_person_list_counts_only_published_articles():
    person = make_person()
    make_article(people=[person])
    make_article(people=[person], status=Article.Status.DRAFT)
    make_event().people.add(person)
    (row,) = selectors.person_list()
    selectors.add_person_counts([row])
    assert (row.article_count, row.event_count) == (1, 1)


def test_timeline_groups_by_start_year_in_date_order():
    person = make_person()
    make_event(key="late", date="2016-05")
    early = make_event(key="early", date="1993-04")
    make_event(key="span", date="2016/2018")
    early.people.add(person)
    groups = selectors.group_by_year(selectors.timeline_events())
    assert [(g.year, [e.key for e in g.events]) for g in groups] == [
        (1993, ["early"]),
        (2016, ["span", "late"]),
    ]
    by_person = selectors.group_by_year(selectors.timeline_events(person=person))
    assert [g.year for g in by_person] == [1993]
    assert list(selectors.timeline_events(category="life")) == []


def test_timeline_years_count_each_year_and_what_comes_before():
    person = make_person()
    for date in ("1993", "1993-04", "2016", ""):
        make_event(date=date).people.add(person)
    make_event(date="2001")
    assert [(y.year, y.count, y.before) for y in selectors.timeline_years()] == [
        (1993, 2, 0),
        (2001, 1, 2),
        (2016, 1, 3),
        (None, 1, 4),
    ]
    by_person = selectors.timeline_years(person=person)
    assert [(y.year, y.count) for y in by_person] == [(1993, 2), (2016, 1), (None, 1)]


def test_public_images_hide_those_of_drafts():
    draft = make_article(status=Article.Status.DRAFT)
    hidden = make_image(article=draft, position=1)
    loose = make_image()
    assert list(selectors.image_list()) == [loose]
    assert selectors.image_detail(key=hidden.key) is None
    assert selectors.image_detail(key=loose.key) == loose


def test_home_overview():
    make_article()
    make_article(status=Article.Status.DRAFT)
    for year in range(2000, 2010):
        make_event(date=str(year))
    overview = selectors.home_overview()
    assert overview.article_count == 1
    assert overview.event_count == 10
    highlights = [event.year for event in overview.highlights]
    assert highlights == sorted(highlights) and highlights[-1] == 2009
    assert len(highlights) == selectors.HOME_EVENTS


def test_lists_leave_bodies_and_raw_sources_in_the_database():
    make_article(key="long", body_ja="本文" * 5000, source_document="原文" * 5000)
    [card] = selectors.article_list()
    deferred = card.get_deferred_fields()
    assert {"body_ja", "body_en", "source_document", "summary_en"} <= deferred
    assert not {"title_ja", "subtitle_ja", "slug_ja", "published_at"} & deferred
