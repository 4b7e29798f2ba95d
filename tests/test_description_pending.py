"""Images no one has described yet: valid, labelled "Description pending" for
visitors in their language, filterable in the admin, ended by writing alt text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.models import Image
from archive.models.common import LANGUAGE_CODES, localized
from tests.factories import (
    make_archived_image,
    make_article,
    make_image,
    page_text,
    png_file,
    tags_with,
    url_in,
)

pytestmark = pytest.mark.django_db

PENDING = {"en": "Description pending", "ja": "説明準備中", "zh-hans": "描述待补充"}


def undescribed(**overrides) -> Image:
    return make_image(
        original_language="zh-hans",
        alt_text_zh_hans="",
        caption_zh_hans="",
        **overrides,
    )


def test_an_image_without_description_is_valid_only_when_pending():
    image = undescribed(key="plain", description_pending=True)
    image.full_clean()
    image.description_pending = False
    with pytest.raises(ValidationError) as refused:
        image.full_clean()
    assert "or mark its description pending" in str(
        refused.value.message_dict["alt_text_zh_hans"]
    )
    image.decorative = True
    image.full_clean()


def test_writing_the_alt_text_ends_the_pending_state():
    image = undescribed(key="later", description_pending=True)
    image.alt_text_zh_hans = "封面：一位研究者"
    image.save()
    image.refresh_from_db()
    assert not image.description_pending
    other = undescribed(key="other", description_pending=True)
    other.decorative = True
    other.full_clean()
    assert not other.description_pending


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_image_page_says_description_pending(client, language):
    image = undescribed(key="pending-remote", description_pending=True)
    html = page_text(client.get(url_in(image, language)))
    assert PENDING[language] in html
    assert "No description yet" not in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_figures_say_it_in_the_alt_in_the_readers_language(
    client, settings, tmp_path, language
):
    settings.MEDIA_ROOT = tmp_path
    article = make_article(
        key="with-figure",
        original_language="zh-hans",
        body_zh_hans="正文。\n\n![](https://cdn.example.org/a.png)\n",
    )
    make_archived_image(
        png_file(),
        key="figure",
        article=article,
        position=1,
        source_url="https://cdn.example.org/a.png",
        original_language="zh-hans",
        alt_text_zh_hans="",
        caption_zh_hans="",
        description_pending=True,
    )
    response = client.get(url_in(article, language))
    images = tags_with(response, "img", {"alt": PENDING[language]})
    assert len(images) == 1
    assert "lang" not in images[0]  # said in the page's own language


def test_the_admin_lists_and_filters_pending_images(admin_client):
    undescribed(key="pending-one", description_pending=True)
    make_image(key="described-image")
    changelist = reverse("admin:archive_image_changelist")
    html = page_text(admin_client.get(changelist + "?description_pending__exact=1"))
    assert "pending-one" in html and "described-image" not in html
    assert "description pending" in page_text(admin_client.get(changelist)).lower()


def test_an_editor_clears_it_by_writing_the_alt_text(admin_client):
    image = undescribed(key="cover", description_pending=True)
    data = {
        localized(field, code): ""
        for field in (
            "title",
            "caption",
            "alt_text",
            "credit",
            "rights_note",
            "permission_note",
        )
        for code in LANGUAGE_CODES
    }
    data.update(
        key="cover",
        original_language="zh-hans",
        text_origin="editors",
        text_author="",
        source_url=image.source_url,
        alt_text_zh_hans="封面：一位研究者\r\n",
        description_pending="on",
        rights_statement=image.rights_statement,
        article="",
        position="",
    )
    response = admin_client.post(
        reverse("admin:archive_image_change", args=[image.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    image.refresh_from_db()
    assert image.alt_text_zh_hans.startswith("封面") and not image.description_pending
