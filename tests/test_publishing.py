"""publish_articles / unpublish_articles: one path, logged the same way every time."""

import logging

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from archive.models import Article
from archive.services import publish_articles, unpublish_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=None)


def test_publishing_sets_status_and_time_and_logs_for_the_user(editor, caplog):
    caplog.set_level(logging.INFO, logger="archive")
    article = make_article(key="draft-one", status=Article.Status.DRAFT)
    assert article.published_on_site is None
    assert publish_articles([article], user=editor) == [article]
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.PUBLISHED
    assert stored.published_on_site is not None
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.action_flag, entry.change_message) == (
        editor,
        CHANGE,
        "Published",
    )
    assert caplog.messages == ["Published article draft-one (by editor)"]


def test_without_a_user_only_the_logger_hears_of_it(caplog):
    caplog.set_level(logging.INFO, logger="archive")
    article = make_article(key="quiet", status=Article.Status.DRAFT)
    publish_articles([article])
    assert not LogEntry.objects.exists()
    assert caplog.messages == ["Published article quiet (by no user)"]


def test_already_published_articles_are_left_alone(editor, caplog):
    caplog.set_level(logging.INFO, logger="archive")
    article = make_article(key="live")  # published, with a time
    first_time = article.published_on_site
    assert publish_articles([article], user=editor) == []
    assert Article.objects.get(pk=article.pk).published_on_site == first_time
    assert not LogEntry.objects.exists() and not caplog.messages


def test_unpublishing_keeps_the_first_publication_time(editor, caplog):
    caplog.set_level(logging.INFO, logger="archive")
    article = make_article(key="back")
    first_time = article.published_on_site
    unpublish_articles(Article.objects.filter(pk=article.pk), user=editor)
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.DRAFT
    assert stored.published_on_site == first_time
    assert LogEntry.objects.get().change_message == "Unpublished"
    assert caplog.messages == ["Unpublished article back (by editor)"]
    publish_articles([stored], user=editor)
    assert Article.objects.get(pk=article.pk).published_on_site == first_time
