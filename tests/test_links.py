"""Links to elsewhere are http(s) only: refused on save, never rendered otherwise.

Rows holding ``javascript:`` are written with ``.update()``, past validation, as a
row stored before the rule (or by a raw SQL hand) would be.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.links import web_url
from archive.models import Article, Image, Person, PersonLink, Reference
from tests.factories import (
    make_article,
    make_image,
    make_person,
    make_person_link,
    make_reference,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db

EVIL = "javascript:alert(1)"
WEB_ONLY = "Enter a web address starting with http:// or https://."


def hrefs(html: str) -> list[str]:
    return re.findall(r"""href\s*=\s*["']?([^"' >]*)""", html, flags=re.IGNORECASE)


def assert_no_script_link(response) -> str:
    assert response.status_code == 200
    html = page_text(response)
    assert 'href="javascript:' not in html.lower()
    # Our own pages, the web, and the mailto: links a source's body may give.
    own_or_web = ("/", "#", "?", "http://", "https://", "mailto:")
    assert not [link for link in hrefs(html) if not link.startswith(own_or_web)]
    return html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://EXAMPLE.ORG/", "HTTP://EXAMPLE.ORG/"),
        (EVIL, ""),
        ("JavaScript:alert(1)", ""),
        (" javascript:alert(1)", ""),
        (" https://example.org/", ""),
        ("data:text/html,<script>", ""),
        ("//evil.example/", ""),
        ("ftp://example.org/", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_url_passes_http_and_https_only(value, expected):
    assert web_url(value) == expected


# -- refused on save (full_clean: admin forms, imports, loaddata) ------------------
def _rows():
    article = make_article()
    person = make_person()
    return {
        "original_url": make_article(original_url="https://example.org/a"),
        "source_url": make_image(),
        "reference": make_reference(article),
        "link": make_person_link(person),
    }


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("original_url", "original_url"),
        ("source_url", "source_url"),
        ("reference", "url"),
        ("link", "url"),
    ],
)
@pytest.mark.parametrize("value", [EVIL, "ftp://example.org/file", "mailto:a@b.c"])
def test_every_url_field_refuses_other_schemes(row, field, value):
    item = _rows()[row]
    item.full_clean()
    setattr(item, field, value)
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert WEB_ONLY in refused.value.message_dict[field]


# -- never rendered as a link -------------------------------------------------------
@pytest.fixture
def poisoned(settings, tmp_path):
    """An article, its cover (also a person's portrait), a reference and a
    person's link, all pointing at ``javascript:`` (and a body with such links and
    images)."""
    settings.MEDIA_ROOT = tmp_path
    person = make_person(key="alec", name_en="Alec")
    make_person_link(person)
    article = make_article(
        key="poisoned",
        original_url="https://example.org/original",
        body_ja=(
            f"[リンク]({EVIL}) と [mail](mailto:a@example.org)\n\n"
            f"![図]({EVIL})\n\n![表紙](https://cdn.example.org/cover.png)\n"
        ),
        people=[person],
    )
    cover = make_image(
        key="cover",
        article=article,
        position=0,
        source_url="https://cdn.example.org/cover.png",
        original_language="ja",
        alt_text_ja="表紙",
    )
    make_reference(article)
    Article.objects.filter(pk=article.pk).update(original_url=EVIL, cover_image=cover)
    Image.objects.filter(pk=cover.pk).update(source_url=EVIL)
    Reference.objects.filter(article=article).update(url=EVIL)
    PersonLink.objects.filter(person=person).update(url=EVIL)
    Person.objects.filter(pk=person.pk).update(portrait=cover)
    article.refresh_from_db()
    return article


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_public_pages_never_link_a_stored_script_url(client, poisoned, language):
    cover = poisoned.cover_image
    article_html = assert_no_script_link(client.get(url_in(poisoned, language)))
    assert EVIL in article_html  # shown as text, so an editor can see and fix it
    assert "参考文献" in article_html  # the reference's title, unlinked
    image_html = assert_no_script_link(client.get(url_in(cover, language)))
    assert EVIL in image_html
    assert_no_script_link(client.get(f"/{language}/images/"))
    person = poisoned.people.get()
    person_html = assert_no_script_link(client.get(url_in(person, language)))
    assert "person__portrait" in person_html


def test_the_original_article_view_too(client, poisoned):
    assert_no_script_link(client.get(url_in(poisoned, "en") + "?original=1"))


def test_admin_pages_never_link_a_stored_script_url(admin_client, poisoned):
    cover = poisoned.cover_image
    for page in (
        reverse("admin:archive_image_changelist"),
        reverse("admin:archive_image_change", args=[cover.pk]),
        reverse("admin:archive_article_changelist"),
        reverse("admin:archive_article_change", args=[poisoned.pk]),
        reverse("admin:archive_person_change", args=[poisoned.people.get().pk]),
    ):
        html = page_text(admin_client.get(page))
        assert 'href="javascript:' not in html.lower(), page
