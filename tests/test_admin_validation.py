"""The editors' admin refusing bad input.

Validation must come back as form errors (status 200, the message on the page,
nothing saved), never as a 500.
"""

from __future__ import annotations

import hashlib

import pytest

from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    Image,
    Person,
    Reference,
)
from tests import admin_helpers
from tests.admin_helpers import (
    article_post,
    event_post,
    fact_rows,
    form_errors,
    image_post,
    management,
    person_post,
    url,
)
from tests.factories import (
    make_article,
    make_event,
    make_person,
    png_file,
)

pytestmark = pytest.mark.django_db

# The shared admin fixtures, named here so that pytest finds them.
client = admin_helpers.client
editor = admin_helpers.editor


# -- validation surfaces as form errors -----------------------------------------------
def assert_rejected(response, model, count: int = 0) -> str:
    assert response.status_code == 200
    assert model.objects.count() == count
    return response.content.decode()


def test_article_without_text_in_its_original_language_is_refused(client):
    data = article_post(
        title_ja="", body_ja="", title_en="English only", body_en="Text"
    )
    response = client.post(url(Article, "add"), data)
    assert_rejected(response, Article)
    errors = form_errors(response)
    assert errors["title_ja"] == ["Required in the original language (Japanese)."]
    assert errors["body_ja"] == ["Required in the original language (Japanese)."]
    assert "title_en" not in errors


def test_invalid_edtf_is_a_form_error(client):
    response = client.post(url(Event, "add"), event_post(date="April 1993"))
    html = assert_rejected(response, Event)
    assert "is not a valid EDTF date" in form_errors(response)["date"][0]
    assert "Use forms such as 1993" in html

    response = client.post(url(Person, "add"), person_post(**fact_rows("1993-13-45")))
    html = assert_rejected(response, Person)
    assert "“1993-13-45” is not a valid EDTF date" in html


def test_invalid_edtf_on_an_existing_event_is_a_form_error(client):
    event = make_event(key="gpt", date="2018-06")
    response = client.post(
        url(Event, "change", event.pk), event_post(key="gpt", date="?")
    )
    assert response.status_code == 200
    assert "date" in form_errors(response)
    event.refresh_from_db()
    assert event.date == "2018-06"


@pytest.mark.parametrize("column", ["slug_ja", "slug_en", "slug_zh_hans"])
def test_slug_clash_in_any_language_column_is_a_form_error(client, column):
    make_article(key="first", title_ja="最初", **{column: "same-slug"})
    response = client.post(url(Article, "add"), article_post(**{column: "same-slug"}))
    assert_rejected(response, Article, count=1)
    assert "Another item already uses the slug “same-slug”" in str(
        form_errors(response)[column]
    )


def test_slug_clash_on_events_and_people(client):
    make_event(key="first", slug_en="born")
    response = client.post(url(Event, "add"), event_post(slug_en="born"))
    assert_rejected(response, Event, count=1)
    assert "slug_en" in form_errors(response)
    make_person(key="alec", name_en="Alec", slug_en="alec")
    response = client.post(url(Person, "add"), person_post(key="other", slug_en="alec"))
    assert_rejected(response, Person, count=1)
    assert "slug_en" in form_errors(response)


def test_duplicate_reference_position_is_an_inline_error(client):
    rows = {}
    for n in range(2):
        rows |= {
            f"references-{n}-position": "1",
            f"references-{n}-title": f"ref {n}",
            f"references-{n}-url": "https://example.org",
        }
    response = client.post(
        url(Article, "add"),
        article_post(**management("references", total=2), **rows),
    )
    html = assert_rejected(response, Article)
    assert Reference.objects.count() == 0
    assert "Please correct the duplicate data for position" in html


def test_bad_timezone_is_a_form_error(client):
    response = client.post(
        url(Article, "add"), article_post(published_timezone="Mars/Olympus_Mons")
    )
    assert_rejected(response, Article)
    assert "is not an IANA time zone" in form_errors(response)["published_timezone"][0]


def test_translated_from_its_own_language_is_a_form_error(client):
    response = client.post(url(Article, "add"), article_post(translated_from="ja"))
    assert_rejected(response, Article)
    assert "translated_from" in form_errors(response)


def test_translation_record_for_the_original_language_is_an_inline_error(client):
    article = make_article(key="rec")
    data = article_post(
        key="rec",
        slug_ja=article.slug_ja,
        **management("translations", total=1),
        **{
            "translations-0-language": "ja",
            "translations-0-translated_from": "en",
            "translations-0-translator": "someone",
            "translations-0-method": "human",
        },
    )
    response = client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert "This is the article&#x27;s original language" in response.content.decode()
    assert ArticleTranslation.objects.count() == 0


def test_image_needs_a_file_or_a_source_and_alt_text_in_its_language(client):
    response = client.post(url(Image, "add"), image_post(source_url=""))
    html = assert_rejected(response, Image)
    assert "Give an archived file, a source URL, or both." in html
    response = client.post(url(Image, "add"), image_post(alt_text_zh_hans=""))
    assert_rejected(response, Image)
    assert "alt_text_zh_hans" in form_errors(response)
    response = client.post(
        url(Image, "add"), image_post(alt_text_zh_hans="", decorative="on")
    )
    assert response.status_code == 302


def test_article_inline_image_errors_are_form_errors(client):
    data = article_post(
        **management("images", total=1),
        **{
            "images-0-position": "1",
            "images-0-key": "inline-pic",
            "images-0-file": png_file(),
            **{f"images-0-alt_text_{c}": "" for c in ("en", "ja", "zh_hans")},
        },
    )
    response = client.post(url(Article, "add"), data)
    assert_rejected(response, Article)
    assert Image.objects.count() == 0
    assert "Describe the image in its original language" in response.content.decode()


def test_new_inline_image_takes_its_articles_language(client):
    data = article_post(
        **management("images", total=1),
        **{
            "images-0-position": "1",
            "images-0-key": "inline-pic",
            "images-0-file": png_file(),
            **{f"images-0-alt_text_{c}": "" for c in ("en", "zh_hans")},
            "images-0-alt_text_ja": "グラフ",
        },
    )
    response = client.post(url(Article, "add"), data)
    assert response.status_code == 302, response.context and form_errors(response)
    image = Image.objects.get(key="inline-pic")
    assert (image.article.key, image.position) == ("ja-only", 1)
    assert image.original_language == "ja"
    assert (image.width, image.height) == (40, 20)
    # Archived by the same service as the image's own page: hashed on the way in.
    image.file.open("rb")
    assert image.sha256 == hashlib.sha256(image.file.read()).hexdigest()
    image.file.close()
    html = client.get(url(Article, "change", image.article.pk)).content.decode()
    assert '<span data-original-language="ja"><img src="' in html
