"""Small factories for view and selector tests: a few rows, never the whole fixture.

Each ``make_*`` takes keyword overrides for any model field (including translated
columns such as ``title_ja``), fills the slugs the way the admin would
(``fill_slugs``) and saves.
"""

from __future__ import annotations

import datetime
import itertools
import re
import zoneinfo

from django.utils import translation

from archive.models import Article, ArticleTranslation, Event, Image, Person, Reference
from archive.services import archive_image_file

_counter = itertools.count(1)


def _key(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def _save(item, **overrides):
    for name, value in overrides.items():
        setattr(item, name, value)
    if hasattr(item, "fill_slugs") and item.HAS_SLUG:
        item.fill_slugs()
    item.save()
    return item


def make_person(**overrides) -> Person:
    key = overrides.pop("key", None) or _key("person")
    defaults = {
        "key": key,
        "original_language": "en",
        "name_en": f"Person {key}",
        "sort_name": f"Person, {key}",
    }
    return _save(Person(), **{**defaults, **overrides})


def make_event(**overrides) -> Event:
    key = overrides.pop("key", None) or _key("event")
    defaults = {
        "key": key,
        "original_language": "en",
        "title_en": f"Event {key}",
        "date": "2015-11",
        "category": Event.Category.RESEARCH,
    }
    return _save(Event(), **{**defaults, **overrides})


def make_article(**overrides) -> Article:
    """A published Japanese-original article unless told otherwise."""
    key = overrides.pop("key", None) or _key("article")
    people = overrides.pop("people", ())
    events = overrides.pop("events", ())
    defaults = {
        "key": key,
        "original_language": "ja",
        "title_ja": f"記事 {key}",
        "body_ja": "本文の一行目です。\n\n二段落目です。",
        "status": Article.Status.PUBLISHED,
        "published_at": datetime.datetime(
            2025, 1, 1, 12, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
        ),
        "published_timezone": "Asia/Shanghai",
        "source_document": f"# source of {key}\n",
        "source_format": Article.SourceFormat.OTHER,
    }
    article = _save(Article(), **{**defaults, **overrides})
    if people:
        article.people.set(people)
    if events:
        article.events.set(events)
    return article


def make_translation(article: Article, **overrides) -> ArticleTranslation:
    defaults = {
        "article": article,
        "language": "en",
        "translated_from": article.original_language,
        "translator": "A. Translator",
        "method": ArticleTranslation.Method.HUMAN,
        "translated_on": datetime.date(2025, 3, 1),
    }
    record = ArticleTranslation(**{**defaults, **overrides})
    record.save()
    return record


def make_reference(article: Article, **overrides) -> Reference:
    defaults = {
        "article": article,
        "position": article.references.count() + 1,
        "title": "参考文献",
        "url": "https://example.org/reference",
    }
    return _save(Reference(), **{**defaults, **overrides})


def make_image(**overrides) -> Image:
    """A not-archived image (remote source URL only) unless a file is given."""
    key = overrides.pop("key", None) or _key("image")
    defaults = {
        "key": key,
        "original_language": "en",
        "source_url": f"https://images.example.org/{key}.png",
        "alt_text_en": f"Picture {key}",
        "caption_en": f"Caption of {key}",
    }
    return _save(Image(), **{**defaults, **overrides})


# -- reading pages ---------------------------------------------------------------
def url_in(item, language: str) -> str:
    """``item.get_absolute_url()`` as a visitor of ``language`` gets it."""
    with translation.override(language):
        return item.get_absolute_url()


def page_text(response) -> str:
    return response.content.decode()


def count_tag(response, tag: str) -> int:
    """How many ``<tag`` elements the page has (``<h1``, ``<main``…)."""
    return len(re.findall(rf"<{tag}[\s>]", page_text(response)))


def make_archived_image(file, **overrides) -> Image:
    """An image with ``file`` as its archived copy, stored as the admin stores it
    (``archive_image_file``: SHA-256 and renditions)."""
    return archive_image_file(make_image(**overrides), file)
