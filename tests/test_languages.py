"""archive.languages: every language list derives from settings.LANGUAGES, and
the fallback, naming and "has this language" rules hold wherever they are used."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation
from modeltranslation.translator import translator

from archive import languages
from archive.admin.common import MissingLanguageFilter
from archive.languages import (
    LocalText,
    bcp47,
    display_language,
    has_language,
    language_name,
    language_name_local,
    local_text,
    normalise_language,
    reading,
)
from archive.markdown import figure_context
from archive.models import Article, Event, Image, Person
from archive.services import import_source
from archive.sources import SourceError, parse_source
from tests.factories import make_article, make_event, make_image, make_person

CODES = [code for code, _name in settings.LANGUAGES]


# -- one list, in settings -------------------------------------------------------
def test_language_codes_are_the_settings_languages():
    assert list(languages.LANGUAGE_CODES) == CODES
    assert languages.DEFAULT_LANGUAGE == settings.LANGUAGE_CODE in CODES


def test_every_language_field_offers_the_settings_languages():
    fields = [
        field
        for model in apps.get_app_config("archive").get_models()
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
        and field.name
        in ("original_language", "language", "translated_from", "notes_language")
    ]
    # five original_language (PersonFact too), three on ArticleTranslation
    assert len(fields) == 8
    for field in fields:
        assert [code for code, _label in field.choices] == CODES, field


def test_modeltranslation_languages_are_the_settings_languages():
    assert list(settings.MODELTRANSLATION_LANGUAGES) == CODES
    assert settings.MODELTRANSLATION_DEFAULT_LANGUAGE == settings.LANGUAGE_CODE


@pytest.mark.parametrize("model", [Article, Event, Image, Person])
def test_every_translated_field_has_a_column_per_settings_language(model):
    options = translator.get_options_for_model(model)
    assert options.all_fields
    for field, columns in options.all_fields.items():
        assert sorted(column.language for column in columns) == sorted(CODES), field
        for code in CODES:
            model._meta.get_field(languages.localized(field, code))


@pytest.mark.parametrize("model", [Article, Event, Image, Person])
def test_the_language_fields_are_translated(model):
    registered = translator.get_options_for_model(model).all_fields
    assert set(model.LANGUAGE_FIELDS) <= set(registered)


@pytest.mark.parametrize("code", CODES)
def test_the_source_parser_accepts_each_settings_language(code):
    assert parse_source(f"---\nlang: {code}\n---\nx").language == code


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zh", "zh-hans"), ("zh-CN", "zh-hans"), ("zh_Hans", "zh-hans"), (" JA ", "ja")],
)
def test_the_source_parser_reads_aliases(given, expected):
    assert parse_source(f"---\nlang: '{given}'\n---\nx").language == expected


def test_the_source_parser_rejects_other_languages_and_names_ours():
    with pytest.raises(SourceError, match=r"'fr'.*en, ja, zh-hans"):
        parse_source("---\nlang: fr\n---\nx")


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_the_import_service_accepts_each_settings_language(tmp_path, code):
    path = tmp_path / f"source-{code}.md"
    path.write_text(f"---\nlang: {code}\ntitle: T {code}\n---\nBody\n", "utf-8")
    article = import_source(path).article
    assert article.original_language == code
    assert article.text("body", code) == "Body\n"


@pytest.mark.django_db
def test_the_import_service_reads_a_source_without_a_language_as_the_default(
    tmp_path,
):
    path = tmp_path / "source.md"
    path.write_text("---\ntitle: T\n---\nBody\n", "utf-8")
    assert import_source(path).article.original_language == settings.LANGUAGE_CODE


def test_normalise_rejects_what_settings_lack():
    assert [normalise_language(code.upper()) for code in CODES] == CODES
    with pytest.raises(ValueError, match="'ko'"):
        normalise_language("ko")
    with pytest.raises(ValueError):
        normalise_language("")


# -- tags and names ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "tag"),
    [("en", "en"), ("ja", "ja"), ("zh-hans", "zh-Hans"), ("en-us", "en-US"), ("", "")],
)
def test_bcp47(code, tag):
    assert bcp47(code) == tag


def test_every_settings_language_has_a_tag_and_names():
    for code in CODES:
        assert bcp47(code).lower() == code
        assert language_name_local(code) != code
        with translation.override(code):
            assert language_name(code) == language_name_local(code)


def test_language_names_in_the_active_language_and_in_themselves():
    with translation.override("ja"):
        assert language_name("en") == "英語"
        assert language_name("zh-hans") == "簡体字中国語"
    with translation.override("zh-hans"):
        assert language_name("ja") == "日语"
    assert language_name_local("ja") == "日本語"
    assert language_name_local("zh-hans") == "简体中文"
    assert language_name("xx") == language_name_local("xx") == "xx"


# -- which language an item is read in ----------------------------------------------
@pytest.mark.django_db
def test_reading_an_item_in_each_language_and_its_original():
    article = make_article(original_language="ja", title_en="In English", body_en="B")
    translated = reading(article, "en")
    assert (translated.shown, translated.is_translation) == ("en", True)
    assert not translated.is_fallback and translated.original_available_here
    fallback = reading(article, "zh-hans")
    assert (fallback.shown, fallback.is_fallback) == ("ja", True)
    assert not fallback.is_translation and not fallback.original_available_here
    chosen = reading(article, "en", original=True)
    assert (chosen.shown, chosen.is_translation) == ("ja", False)
    assert chosen.original_available_here and not chosen.is_fallback
    own = reading(article, "ja")
    assert (own.shown, own.is_fallback, own.original_available_here) == (
        "ja",
        False,
        False,
    )
    assert article.available_languages == ["ja", "en"]
    assert article.missing_languages() == ["zh-hans"]


@pytest.mark.django_db
def test_local_text_falls_back_to_the_original_then_to_any_language():
    person = make_person(
        original_language="ja", name_ja="山田", name_en="Yamada", bio_en="Only en"
    )
    with translation.override("zh-hans"):
        name = local_text(person, "name")
        assert (name.text, name.language, name.lang) == ("山田", "ja", "ja")
        assert name.is_foreign and str(name.lang_attr) == ' lang="ja"'
        assert str(name.html) == '<span lang="ja">山田</span>'
        bio = local_text(person, "bio")
        assert (bio.text, bio.language) == ("Only en", "en")
    with translation.override("en"):
        assert not local_text(person, "name").is_foreign
        assert local_text(person, "name", "ja").text == "山田"
        empty = local_text(person, "bio", "ja")
        assert empty.text == "Only en"
    assert not LocalText("", "ja", "en").is_foreign


# -- the one "has this language" rule ------------------------------------------------
@pytest.mark.django_db
def test_an_image_captioned_only_in_ja_has_ja_in_model_admin_and_figures():
    image = make_image(original_language="en", caption_ja="日本語のキャプション")
    bare = make_image(original_language="en")
    assert image.has_language("ja") and has_language(image, "ja")
    assert not bare.has_language("ja")
    assert display_language(image, "ja") == "ja"

    request = RequestFactory().get("/admin/archive/image/", {"missing": "ja"})
    image_admin = admin.site.get_model_admin(Image)
    missing = MissingLanguageFilter(request, {"missing": ["ja"]}, Image, image_admin)
    assert list(missing.queryset(request, Image.objects.all())) == [bare]

    with translation.override("en"):
        assert 'archive-lang--present" title="Japanese: translated"' in (
            image_admin.language_badges(image)
        )
        assert 'archive-lang--missing" title="Japanese: missing"' in (
            image_admin.language_badges(bare)
        )

    figure = figure_context(image.source_url, image, "ja")
    assert figure["caption"] == "日本語のキャプション" and figure["text_lang"] == ""
    figure = figure_context(bare.source_url, bare, "ja")
    assert figure["text_lang"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field"),
    [(make_article, "title"), (make_event, "title"), (make_person, "name")],
)
def test_model_and_admin_filter_agree_for_every_model(make, field):
    with_ja = make(original_language="en", **{f"{field}_en": "E", f"{field}_ja": "J"})
    without = make(original_language="en", **{f"{field}_en": "E2", f"{field}_ja": ""})
    model = type(with_ja)
    assert model.LANGUAGE_FIELDS == (field,)
    lacking = model.objects.filter(languages.lacking_language(model, "ja"))
    assert list(lacking) == [without]
    assert with_ja.has_language("ja") and not without.has_language("ja")
