"""Publishing and unpublishing articles: one path, logged the same way every time."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from reversion import create_revision, set_comment, set_user

from archive.models import Article

logger = logging.getLogger("archive")

# Stored verbatim in the admin's history, so every path writes the same words.
PUBLISHED_MESSAGE = "Published"
UNPUBLISHED_MESSAGE = "Unpublished"


@transaction.atomic
def publish_articles(
    articles: Iterable[Article], *, user: AbstractBaseUser | None = None
) -> list[Article]:
    """Make ``articles`` public; return those that were not already published.

    Each is saved (``save()``, so derived fields stay right), keeps the first time
    it was published on this site, gets an admin history entry when ``user`` is
    given and a line on the ``archive`` logger in every case. The saves are one
    revision with the comment "Published" (and ``user``, when given).
    """
    return _set_status(articles, Article.Status.PUBLISHED, user)


@transaction.atomic
def unpublish_articles(
    articles: Iterable[Article], *, user: AbstractBaseUser | None = None
) -> list[Article]:
    """Make ``articles`` drafts again; return those that were published.

    Logged like ``publish_articles``; ``published_on_site`` is kept as a record.
    """
    return _set_status(articles, Article.Status.DRAFT, user)


def _set_status(
    articles: Iterable[Article], status: str, user: AbstractBaseUser | None
) -> list[Article]:
    message = (
        PUBLISHED_MESSAGE if status == Article.Status.PUBLISHED else UNPUBLISHED_MESSAGE
    )
    with create_revision():
        set_comment(message)
        if user is not None:
            set_user(user)
        changed = _save_status(articles, status)
    if user is not None and changed:
        LogEntry.objects.log_actions(user.pk, changed, CHANGE, change_message=message)
    for article in changed:
        logger.info(
            "%s article %s (by %s)",
            message,
            article.key,
            user.get_username() if user is not None else "no user",
        )
    return changed


def _save_status(articles: Iterable[Article], status: str) -> list[Article]:
    changed = []
    for article in articles:
        if article.status == status:
            continue
        article.status = status
        if status == Article.Status.PUBLISHED and not article.published_on_site:
            article.published_on_site = timezone.now()
        article.save()
        changed.append(article)
    return changed
