"""Revisions (django-reversion): recorded by every writer, compared, restored."""

from __future__ import annotations

import re
import shutil

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from reversion import create_revision
from reversion.models import Revision, Version

from archive.models import Article, Event, Image, Reference
from archive.revision_diff import text_diff
from archive.revisions import versions_of
from archive.services import import_source, publish_articles, unpublish_articles
from tests import admin_helpers
from tests.admin_forms import browser_post_data
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_reference,
    make_translation,
)
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db


# The admin tests' editor (all archive permissions, not a superuser), logged in.
editor = admin_helpers.editor
client = admin_helpers.client


def admin_url(obj, view: str, *args) -> str:
    name = f"admin:archive_{obj._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk, *args])


def post_form_as_shown(client, page_url: str, **changes):
    """GET the admin page, then POST its form back as a browser would."""
    page = client.get(page_url)
    assert page.status_code == 200
    data = browser_post_data(page.text)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(page_url, data)


def latest_revision(obj) -> Revision:
    return versions_of(obj, str(obj.pk)).last().revision


def two_versions_of_an_article() -> tuple[Article, Version, Version]:
    """A Japanese article whose second revision changes its ja title, a reference,
    and adds a translation record."""
    with create_revision():
        article = make_article(key="two-versions", title_ja="最初の題")
        make_reference(article, title="参考 一", url="https://example.org/one")
    with create_revision():
        article.title_ja = "新しい題"
        article.save()
        reference = article.references.get()
        reference.title = "参考 二"
        reference.save()
        make_translation(article, language="en")
    old, new = versions_of(article, str(article.pk))
    return article, old, new


# -- every writer leaves a revision ------------------------------------------------
def test_an_admin_save_records_a_revision_with_user_and_comment(client, editor):
    with create_revision():
        event = make_event(title_en="Before")
    response = post_form_as_shown(client, admin_url(event, "change"), title_en="After")
    assert response.status_code == 302
    revision = latest_revision(event)
    assert revision.user == editor
    assert "Changed" in revision.get_comment()
    assert versions_of(event, str(event.pk)).count() == 2


def test_an_unchanged_admin_save_adds_no_revision(client):
    event = make_event(title_en="Unchanged", description_en="One line.")
    for _ in range(2):
        response = post_form_as_shown(client, admin_url(event, "change"))
        assert response.status_code == 302
    # An unchanged save writes nothing (the verbatim guard), so it records nothing.
    assert Revision.objects.count() == 0
    response = post_form_as_shown(client, admin_url(event, "change"), title_en="New")
    assert response.status_code == 302
    assert Revision.objects.count() == 1


def test_an_import_is_one_revision_named_after_its_file(tmp_path):
    path = tmp_path / "000_26fa5280491dbf1f.txt"
    shutil.copy(SOURCES / path.name, path)
    result = import_source(path, publish=True)
    revision = latest_revision(result.article)
    assert revision.get_comment() == f"Imported from {path.name}"
    assert revision.user is None
    assert Revision.objects.count() == 1


def test_publishing_and_unpublishing_are_revisions_with_the_user(editor):
    article = make_article(status=Article.Status.DRAFT)
    publish_articles([article], user=editor)
    assert latest_revision(article).get_comment() == "Published"
    assert latest_revision(article).user == editor
    unpublish_articles([article])
    assert latest_revision(article).get_comment() == "Unpublished"
    assert latest_revision(article).user is None


def test_the_publish_action_records_the_editor(client, editor):
    article = make_article(status=Article.Status.DRAFT)
    client.post(
        reverse("admin:archive_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    revision = latest_revision(article)
    assert (revision.get_comment(), revision.user) == ("Published", editor)


def test_an_article_revision_holds_its_references_records_and_images():
    with create_revision():
        article = make_article()
        make_reference(article)
        make_translation(article, language="en")
        make_image(article=article, position=1)
    revision = latest_revision(article)
    kinds = {version._model for version in revision.version_set.all()}
    assert kinds >= {Article, Reference, Image}
    assert revision.version_set.count() == 4


# -- comparing -------------------------------------------------------------------------
def test_history_lists_revisions_with_a_compare_form(client):
    article, old, new = two_versions_of_an_article()
    response = client.get(admin_url(article, "history"))
    assert response.status_code == 200
    assert f'name="old" value="{old.pk}"' in response.text
    assert f'name="new" value="{new.pk}"' in response.text
    assert admin_url(article, "compare") in response.text


def test_compare_shows_the_changed_japanese_column_and_reference(client):
    article, old, new = two_versions_of_an_article()
    response = client.get(admin_url(article, "compare"), {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    text = response.text
    row = re.search(r'data-field="title_ja">(.*?)</tr>', text, re.S).group(1)
    assert "<del>最初の題</del>" in row and "<ins>新しい題</ins>" in row
    # Only what differs: the English title did not change.
    assert 'data-field="title_en"' not in text
    assert "<del>参考 一</del> → <ins>参考 二</ins>" in text
    assert "archive-diff-row--added" in text  # the new translation record


def test_compare_in_either_order_reads_from_older_to_newer(client):
    article, old, new = two_versions_of_an_article()
    response = client.get(admin_url(article, "compare"), {"old": new.pk, "new": old.pk})
    assert "<ins>新しい題</ins>" in response.text


def test_long_texts_are_diffed_word_by_word_and_escaped(client):
    with create_revision():
        article = make_article(
            body_ja="一行目。\n<script>alert(1)</script> old words\n"
        )
    with create_revision():
        article.body_ja = "一行目。\n<script>alert(2)</script> new words\n"
        article.save()
    old, new = versions_of(article, str(article.pk))
    response = client.get(admin_url(article, "compare"), {"old": old.pk, "new": new.pk})
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(" in response.text
    assert "<del>old</del><ins>new</ins>" in response.text


def test_text_diff_refines_changed_lines_to_words_and_characters():
    assert text_diff("same\nold words here\n", "same\nnew words here\n") == [
        ("span", "same\n"),
        ("del", "old"),
        ("ins", "new"),
        ("span", " words here\n"),
    ]
    assert text_diff("日本語の文", "日本語の本") == [
        ("span", "日本語の"),
        ("del", "文"),
        ("ins", "本"),
    ]


@pytest.mark.parametrize(
    "query",
    [{}, {"old": "x", "new": ""}, {"old": "1", "new": "1"}, {"old": "999999"}],
)
def test_compare_without_two_revisions_goes_back_with_a_message(client, query):
    article, _old, _new = two_versions_of_an_article()
    response = client.get(admin_url(article, "compare"), query, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(article, "history")
    assert "Choose two different revisions to compare." in response.text


def test_compare_refuses_a_version_of_another_item(client):
    article, old, _new = two_versions_of_an_article()
    with create_revision():
        other = make_article()
    other_version = versions_of(other, str(other.pk)).get()
    response = client.get(
        admin_url(article, "compare"), {"old": old.pk, "new": other_version.pk}
    )
    assert response.status_code == 302


# -- restoring ------------------------------------------------------------------------
def test_restore_brings_back_the_old_title_and_a_deleted_reference(client, editor):
    with create_revision():
        article = make_article(title_ja="元の題")
        make_reference(article, position=1, url="https://example.org/kept")
        make_reference(article, position=2, url="https://example.org/deleted")
    with create_revision():
        article.references.get(position=2).delete()
        article.title_ja = "書き換えた題"
        article.save()
    old = versions_of(article, str(article.pk)).first()
    url = admin_url(article, "revision", old.pk)

    page = client.get(url)
    assert page.status_code == 200
    assert "元の題" in page.text and "https://example.org/deleted" in page.text
    # Showing the old version writes nothing.
    article.refresh_from_db()
    assert article.title_ja == "書き換えた題"
    assert article.references.count() == 1

    response = client.post(url, browser_post_data(page.text))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ja == "元の題"
    assert sorted(article.references.values_list("url", flat=True)) == [
        "https://example.org/deleted",
        "https://example.org/kept",
    ]
    revision = latest_revision(article)
    assert revision.get_comment().startswith("Restored the version of ")
    assert revision.user == editor
    assert versions_of(article, str(article.pk)).count() == 3


def test_restore_unlinks_an_image_placed_since_and_never_deletes_it(client):
    with create_revision():
        article = make_article()
    with create_revision():
        image = make_image(article=article, position=1)
        article.save()
    old = versions_of(article, str(article.pk)).first()
    url = admin_url(article, "revision", old.pk)
    page = client.get(url)
    response = client.post(url, browser_post_data(page.text))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.article is None


def test_a_version_of_another_item_cannot_be_restored_here(client):
    article, _old, _new = two_versions_of_an_article()
    with create_revision():
        event = make_event()
    version = versions_of(event, str(event.pk)).get()
    response = client.get(admin_url(article, "revision", version.pk))
    assert response.status_code == 404


# -- permissions -----------------------------------------------------------------------
@pytest.fixture
def staff_without_change(django_user_model, client):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client.force_login(user)
    return user


def test_staff_without_change_permission_cannot_restore(client, staff_without_change):
    article, old, _new = two_versions_of_an_article()
    assert client.get(admin_url(article, "revision", old.pk)).status_code == 403
    assert client.post(admin_url(article, "revision", old.pk), {}).status_code == 403
    # Viewing the history and comparing is reading, as the history page is.
    history = client.get(admin_url(article, "history"))
    assert "Restore this version" not in history.text


def test_staff_without_any_permission_cannot_compare_or_restore(
    client, django_user_model
):
    article, old, new = two_versions_of_an_article()
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    compare = client.get(admin_url(article, "compare"), {"old": old.pk, "new": new.pk})
    assert compare.status_code == 403
    assert client.get(admin_url(article, "revision", old.pk)).status_code == 403
    assert Article.objects.get().title_ja == "新しい題"


def test_event_change_page_still_renders_after_the_mixin(client):
    event = make_event()
    response = client.get(admin_url(event, "change"))
    assert response.status_code == 200
    assert Event.objects.count() == 1


def test_createinitialrevisions_gives_loaded_items_a_first_revision_once():
    article = make_article()
    make_reference(article)
    event = make_event()
    comment = "Initial version (loaded from the fixture)"
    call_command("createinitialrevisions", "archive", comment=comment, verbosity=0)
    assert latest_revision(article).get_comment() == comment
    assert latest_revision(event).get_comment() == comment
    references = latest_revision(article).version_set.filter(
        content_type__model="reference"
    )
    assert references.count() == 1
    count = Revision.objects.count()
    call_command("createinitialrevisions", "archive", comment=comment, verbosity=0)
    assert Revision.objects.count() == count


def test_a_deleted_article_can_be_recovered_with_its_references(client):
    with create_revision():
        article = make_article(title_ja="消えた記事")
        make_reference(article, url="https://example.org/back")
    pk = article.pk
    article.delete()
    listing = client.get(reverse("admin:archive_article_recoverlist"))
    assert listing.status_code == 200
    assert "消えた記事" in listing.text
    version = Version.objects.get_deleted(Article).get()
    url = reverse("admin:archive_article_recover", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not Article.objects.exists()
    response = client.post(url, browser_post_data(page.text))
    assert response.status_code == 302
    restored = Article.objects.get(pk=pk)
    assert restored.title_ja == "消えた記事"
    assert list(restored.references.values_list("url", flat=True)) == [
        "https://example.org/back"
    ]
