"""Models: per-language requiredness, slugs, fallback, derived fields, natural keys."""

import hashlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.models import Article, Event, Image, Person

pytestmark = pytest.mark.django_db


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "key",
            "original_language",
            "title_en",
            "title_ja",
            "title_zh_hans",
            "body_en",
            "body_ja",
            "body_zh_hans",
            "slug_en",
            "slug_ja",
            "slug_zh_hans",
            "status",
            "source_format",
        ]


def article_data(**overrides):
    data = {
        "key": "a",
        "original_language": "ja",
        "title_ja": "日本語だけの記事",
        "body_ja": "本文。",
        "status": "draft",
        "source_format": "other",
    }
    data.update(overrides)
    return data


def test_japanese_only_article_is_valid_and_gets_a_unicode_slug():
    form = ArticleForm(data=article_data())
    assert form.is_valid(), form.errors
    article = form.save()
    assert not article.title_en
    assert article.slug_ja == "日本語だけの記事"
    assert not article.slug_en
    assert article.available_languages == ["ja"]


def test_original_language_text_is_required_not_english():
    form = ArticleForm(data=article_data(title_ja="", title_en="English title"))
    assert not form.is_valid()
    assert "title_ja" in form.errors
    assert "title_en" not in form.errors
    assert not Article.objects.exists()


def test_slug_clash_in_any_language_is_a_form_error():
    ArticleForm(data=article_data(key="first", slug_zh_hans="同一")).save()
    form = ArticleForm(
        data=article_data(key="second", title_ja="別の記事", slug_zh_hans="同一")
    )
    assert not form.is_valid()
    assert "同一" in str(form.errors["slug_zh_hans"])
    assert Article.objects.count() == 1


def test_auto_slugs_stay_unique_per_language():
    first = ArticleForm(data=article_data(key="first")).save()
    second = ArticleForm(data=article_data(key="second")).save()
    assert first.slug_ja != second.slug_ja
    assert second.slug_ja.startswith(first.slug_ja)


def test_fallback_is_to_the_items_original_language():
    article = Article.objects.create(
        key="x", original_language="zh-hans", title_zh_hans="标题", body_zh_hans="正文"
    )
    assert article.display_language("en") == "zh-hans"
    assert article.display_language("zh-hans") == "zh-hans"
    assert article.missing_languages() == ["en", "ja"]
    article.title_en = "Title"
    assert article.display_language("en") == "en"
    assert article.slug_for("ja") == "标题"  # no Japanese slug: the original's
    assert Article(key="unsaved").slug_for("ja") == "unsaved"  # no slug at all


def test_create_fills_the_same_slugs_as_a_form():
    created = Article.objects.create(**article_data(key="by-create"))
    Article.objects.filter(pk=created.pk).delete()
    saved = ArticleForm(data=article_data(key="by-form")).save()
    assert (created.slug_en, created.slug_ja, created.slug_zh_hans) == (
        saved.slug_en,
        saved.slug_ja,
        saved.slug_zh_hans,
    )
    assert created.slug_ja == "日本語だけの記事"


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Person, {"name_en": "Ada Example", "sort_name": "Example, Ada"}),
        (Event, {"title_en": "A Launch", "date": "2019-02"}),
    ],
)
def test_every_slugged_model_gets_its_slug_on_create(model, fields):
    item = model.objects.create(key="k", **fields)
    assert item.slug_en == ("ada-example" if model is Person else "a-launch")
    assert model.objects.get(pk=item.pk).slug_en == item.slug_en


def test_clean_reports_slug_clashes_but_writes_nothing():
    Article.objects.create(**article_data(key="first", slug_zh_hans="同一"))
    article = Article(**article_data(key="second", slug_zh_hans="同一"))
    with pytest.raises(ValidationError) as excinfo:
        article.clean()
    assert "slug_zh_hans" in excinfo.value.message_dict
    assert not article.slug_ja  # filled by save(), never by clean()


def test_source_sha256_is_recorded_once_and_never_recomputed():
    article = Article.objects.create(
        key="x", title_en="T", body_en="B", source_document="原文\n"
    )
    recorded = hashlib.sha256("原文\n".encode()).hexdigest()
    assert article.source_sha256 == recorded == article.source_checksum()
    # An altered source keeps its recorded checksum: the difference must show.
    article.source_document = "改変\n"
    article.save()
    article.refresh_from_db()
    assert article.source_sha256 == recorded != article.source_checksum()


def test_publishing_stamps_the_site_publication_date():
    article = Article.objects.create(key="x", title_en="T", body_en="B")
    assert article.published_on_site is None
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.published_on_site is not None
    assert list(Article.objects.published()) == [article]


def test_timezone_must_be_a_real_zone():
    article = Article(
        key="x", title_en="T", body_en="B", published_timezone="Mars/Base"
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "published_timezone" in excinfo.value.message_dict


def test_event_dates_derive_sort_keys_and_reject_bad_edtf():
    event = Event.objects.create(key="olin", title_en="Olin", date="2011/2016")
    assert (str(event.date_start), str(event.date_end)) == ("2011-01-01", "2016-12-31")
    assert event.year == 2011
    event.date = "2016-13"
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "date" in excinfo.value.message_dict


def test_image_needs_a_file_or_a_source_and_alt_text_or_decorative():
    image = Image(key="i", original_language="zh-hans")
    with pytest.raises(ValidationError, match="file, a source URL"):
        image.full_clean()
    image.source_url = "https://example.org/a.png"
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "alt_text_zh_hans" in excinfo.value.message_dict
    image.decorative = True
    image.full_clean()


def test_natural_keys_round_trip():
    person = Person.objects.create(key="ar", name_en="Alec Radford")
    assert Person.objects.get_by_natural_key(*person.natural_key()) == person
    article = Article.objects.create(key="x", title_en="T", body_en="B")
    reference = article.references.create(position=1, title="t", url="https://e.org")
    assert (
        type(reference).objects.get_by_natural_key(*reference.natural_key())
        == reference
    )


@pytest.mark.parametrize(
    ("model", "field"),
    [(Article, "title"), (Event, "title"), (Image, "title"), (Person, "name")],
)
def test_str_is_the_title_in_the_original_language_else_the_key(model, field):
    item = model(
        key="k",
        original_language="ja",
        **{f"{field}_ja": "日本語", f"{field}_en": "English"},
    )
    with translation.override("en"):
        assert str(item) == "日本語"
    setattr(item, f"{field}_ja", "")
    assert str(item) == "k"


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Article, {"title_en": "T", "body_en": "B"}),
        (Event, {"title_en": "E", "date": "2015"}),
        (Image, {"source_url": "https://e.org/i.png"}),
        (Person, {"name_en": "P"}),
    ],
)
def test_items_round_trip_their_natural_key(model, fields):
    item = model.objects.create(key="item", **fields)
    assert item.natural_key() == ("item",)
    assert model.objects.get_by_natural_key(*item.natural_key()) == item
