"""Small factories for view and selector tests: a few rows, never the whole fixture.

Each ``make_*`` takes keyword overrides for any model field (including translated
columns such as ``title_ja``), fills the slugs the way the admin would
(``fill_slugs``) and saves. Default text goes in the item's original language, so
``make_person(original_language="ja", name_ja="…")`` has no English name.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image as PILImage

from archive.languages import LANGUAGE_CODES, localized
from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
    Reference,
)
from archive.services import archive_image_file

# Every UI language, in the settings' order: the one list the app derives from.
LANGUAGES = list(LANGUAGE_CODES)
# The BCP 47 tags browsers expect in lang/hreflang, written out so that tests check
# the app's own conversion rather than repeat it.
BCP47 = {"en": "en", "ja": "ja", "zh-hans": "zh-Hans"}

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
    language = overrides.setdefault("original_language", "en")
    defaults = {
        "key": key,
        localized("name", language): f"Person {key}",
        "sort_name": f"Person, {key}",
    }
    return _save(Person(), **{**defaults, **overrides})


def make_person_link(person: Person, **overrides) -> PersonLink:
    defaults = {"person": person, "url": f"https://example.org/{_key('link')}"}
    return _save(PersonLink(), **{**defaults, **overrides})


def make_person_fact(person: Person, **overrides) -> PersonFact:
    """A fact about ``person``, at the next free position unless told otherwise."""
    defaults = {
        "person": person,
        "position": person.facts.count(),
        "kind": PersonFact.Kind.BORN,
        "statement_en": "Born",
        "date": "1993-04",
    }
    return _save(PersonFact(), **{**defaults, **overrides})


def cite(claim: Event | PersonFact, article: Article, **overrides):
    """A source of ``claim`` (an event or a person's fact) in ``article``."""
    model, field = (
        (EventCitation, "event")
        if isinstance(claim, Event)
        else (PersonFactCitation, "fact")
    )
    defaults = {
        field: claim,
        "article": article,
        "position": claim.citations.count(),
        "quote": "本文の一行目です。",
    }
    return _save(model(), **{**defaults, **overrides})


def make_event(**overrides) -> Event:
    key = overrides.pop("key", None) or _key("event")
    language = overrides.setdefault("original_language", "en")
    defaults = {
        "key": key,
        localized("title", language): f"Event {key}",
        "date": "2015-11",
        "category": Event.Category.RESEARCH,
    }
    return _save(Event(), **{**defaults, **overrides})


def make_article(**overrides) -> Article:
    """A published Japanese-original article unless told otherwise."""
    key = overrides.pop("key", None) or _key("article")
    people = overrides.pop("people", ())
    events = overrides.pop("events", ())
    language = overrides.setdefault("original_language", "ja")
    defaults = {
        "key": key,
        localized("title", language): f"記事 {key}",
        localized("body", language): "本文の一行目です。\n\n二段落目です。",
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
    language = overrides.setdefault("original_language", "en")
    defaults = {
        "key": key,
        "source_url": f"https://images.example.org/{key}.png",
        localized("alt_text", language): f"Picture {key}",
        localized("caption", language): f"Caption of {key}",
    }
    return _save(Image(), **{**defaults, **overrides})


def png_file(
    name: str = "photo.png", size: tuple[int, int] = (40, 20)
) -> SimpleUploadedFile:
    """A real PNG upload of ``size`` pixels, for image fields and admin forms."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


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


def make_placed_figure(key: str) -> Image:
    """An archived 1200 × 600 PNG with its renditions, placed (by its source URL)
    in the body of a published article of the same key."""
    from tests.upload_files import image_upload

    article = make_article(key=key, status=Article.Status.PUBLISHED)
    image = make_archived_image(
        image_upload("PNG", (1200, 600)),
        key=key,
        article=article,
        position=1,
        source_url="https://remote.example.org/figure.png",
    )
    article.body_ja += f"\n\n![]({image.source_url})\n"
    article.save()
    return image


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_with(response, tag: str, attrs: dict[str, str]) -> list[dict[str, str | None]]:
    """The ``<tag>`` elements of the page carrying at least ``attrs``, in any order.

    For opening tags whose content is checked elsewhere (a ``<div class="prose"
    lang="ja">``), where a substring would depend on attribute order and
    ``assertContains(html=True)`` would need the whole element.
    """
    parser = _StartTags()
    parser.feed(page_text(response) if not isinstance(response, str) else response)
    return [
        found
        for name, found in parser.tags
        if name == tag and all(found.get(key) == value for key, value in attrs.items())
    ]


# -- the article of the article-view test modules ---------------------------------
REMOTE_IMAGE = "https://mmbiz.example.com/photo.png"
LONG_URL = "https://example.com/a/very/long/original/address?with=query"


@pytest.fixture
def article() -> Article:
    """A Japanese original with an English translation and no Chinese one."""
    person = make_person(name_en="Alec Radford", name_ja="アレック・ラドフォード")
    event = make_event(title_en="Joins OpenAI", date="2016-05")
    article = make_article(
        key="radford-ja",
        title_ja="アレック・ラドフォード：生成AIの先駆者",
        body_ja=f"### 生年月日\n1993年4月\n生まれです。\n\n![]({REMOTE_IMAGE})\n",
        title_en="Alec Radford: Pioneer of Generative AI",
        body_en="### Birth\nBorn in April 1993.\n",
        subtitle_en="A biography",
        publisher_ja="ある出版社",
        author_en="Jane Writer",
        posting_location_zh_hans="四川",
        original_url=LONG_URL,
        ai_generated=True,
        generator_model="x-ai/grok-4-fast",
        machine_translated=True,
        translated_from="",
        source_filename="000_26fa5280491dbf1f.txt",
        people=[person],
        events=[event],
    )
    make_translation(
        article,
        language="en",
        translator="Claude (Anthropic)",
        method=ArticleTranslation.Method.MACHINE,
    )
    make_reference(article, title="OpenAIの論文", url="https://openai.com/paper")
    make_image(
        article=article,
        position=1,
        source_url=REMOTE_IMAGE,
        original_language="ja",
        caption_ja="",
        alt_text_ja="研究室の写真",
    )
    return article
