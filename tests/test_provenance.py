"""Issue 8, the archive's own words: the article page says "not stated in the
source" where the source is silent, and only what the record knows."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from archive.models import Article
from archive.templatetags.archive_partials import translation_notice
from tests.factories import make_article, make_translation, page_text, url_in

pytestmark = pytest.mark.django_db

NOT_STATED = {
    "en": "Not stated in the source",
    "ja": "出典に記載なし",
    "zh-hans": "来源未注明",
}


def meta_rows(html: str) -> dict[str, str]:
    """The "About this article" list as label → value (the text between tags)."""
    section = html.split('id="meta-heading"', 1)[1].split('id="rights-heading"', 1)[0]
    rows = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section, re.DOTALL)
    return {
        re.sub(r"<[^>]+>", "", label).strip(): re.sub(r"<[^>]+>", "", value).strip()
        for label, value in rows
    }


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_a_silent_source_is_not_stated_in_every_row(client, language):
    article = make_article(
        original_language=language,
        published_at=None,
        published_timezone="",
        **{
            f"title_{language.replace('-', '_')}": "T",
            "body_" + language.replace("-", "_"): "B",
        },
    )
    rows = meta_rows(page_text(client.get(url_in(article, language))))
    not_stated = [
        label for label, value in rows.items() if value == NOT_STATED[language]
    ]
    # Publisher, author, date, posting location, link, AI-generated, machine-translated.
    assert len(not_stated) == 7, rows


def test_the_rows_in_english_name_what_is_unknown(client):
    article = make_article(
        published_at=None,
        published_timezone="",
        original_language="en",
        title_en="T",
        body_en="B",
    )
    rows = meta_rows(page_text(client.get(url_in(article, "en"))))
    for label in (
        "Publisher",
        "Author",
        "Published",
        "Posting location (as shown by the platform)",
        "Original link",
        "AI-generated",
        "Machine-translated",
    ):
        assert rows[label] == "Not stated in the source"
    assert "Place of publication" not in rows


def test_stated_values_are_shown_as_the_source_gives_them(client):
    article = make_article(
        original_language="zh-hans",
        title_zh_hans="标题",
        body_zh_hans="正文",
        publisher_zh_hans="机器之心",
        posting_location_zh_hans="四川",
        ai_generated=False,
        machine_translated=True,
        translated_from="en",
    )
    rows = meta_rows(page_text(client.get(url_in(article, "en"))))
    assert rows["Publisher"] == "机器之心"
    assert rows["Posting location (as shown by the platform)"] == "四川"
    assert rows["AI-generated"] == "No, according to the source"
    assert rows["Machine-translated"] == "Yes, from English, according to the source"
    assert rows["Author"] == "Not stated in the source"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"machine_translated": True, "published_at": None},
            "This is a translation of the archived text, which is in Japanese and, "
            "according to its source, is itself a translation.",
        ),
        (
            {"machine_translated": None, "published_at": None},
            "This is a translation of the archived text, which is in Japanese.",
        ),
        (
            {"machine_translated": None},
            "This is a translation. The article was first published in Japanese.",
        ),
    ],
)
def test_the_translation_notice_says_what_the_record_knows(fields, expected):
    article = make_article(original_language="ja", **fields)
    with translation.override("en"):
        assert translation_notice(article, "ja") == expected


def test_the_ai_note_is_never_said_to_be_first_published_in_japanese(client):
    article = make_article(
        original_language="ja",
        published_at=None,
        published_timezone="",
        machine_translated=True,
        title_en="English",
        body_en="Translated.",
    )
    make_translation(article, language="en")
    html = page_text(client.get(url_in(article, "en")))
    assert "first published" not in html
    assert "is itself a translation" in html


def test_subtitle_is_the_sources_own(client):
    field = Article._meta.get_field("subtitle")
    assert "As the source gives it" in str(field.help_text)
    article = make_article(subtitle_ja="出典の副題")
    assert "出典の副題" in page_text(client.get(url_in(article, "ja")))


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "each kept exactly as the archive received it"),
        ("ja", "アーカイブが受け取ったままの形で収録し"),
        ("zh-hans", "每篇都保持本档案收到时的原貌"),
    ],
)
def test_home_says_what_the_archive_keeps_for_every_kind_of_source(
    client, language, sentence
):
    html = page_text(client.get(f"/{language}/"))
    assert sentence in html
    assert "as they were published" not in html and "publishers released" not in html
