"""Two editors on one item: a save from a form older than the stored row is refused.

Each editor is a logged-in client of its own. Forms are posted as a browser posts
them: every control of the rendered change form, textareas with CRLF line breaks.
"""

from __future__ import annotations

import threading
import time
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.admin.conflicts import (
    ConflictCheckedForm,
    Shown,
    excerpts,
    local_time,
    version_of,
)
from archive.models import Article, Event, Image, Person
from tests.factories import (
    make_article,
    make_event,
    make_image,
    make_person,
    make_person_fact,
)

pytestmark = pytest.mark.django_db


# -- two editors, forms as a browser sends them ----------------------------------------
def editor_client(django_user_model, username: str, first: str, last: str) -> Client:
    user = django_user_model.objects.create_user(
        username, first_name=first, last_name=last, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ada(django_user_model) -> Client:
    return editor_client(django_user_model, "ada", "Ada", "Lovelace")


@pytest.fixture
def ben(django_user_model) -> Client:
    return editor_client(django_user_model, "ben", "Ben", "Okri")


class _FormControls(HTMLParser):
    """The successful controls of the page's model form, as a browser submits them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append(
                (
                    name,
                    attrs.get("value")
                    or ("on" if kind in ("checkbox", "radio") else ""),
                )
            )
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select, self.options = name, []
            self.multiple = "multiple" in attrs
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self.textarea is not None:
            # A browser reads CR and CRLF in the page as LF, drops the newline
            # that follows <textarea>, and sends the value with CRLF line breaks.
            text = self.text.replace("\r\n", "\n").replace("\r", "\n")
            text = text[1:] if text.startswith("\n") else text
            self.data.append((self.textarea, text.replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple and self.options:
                chosen = [self.options[0][0]]
            self.data.extend((self.select, value) for value in chosen)
            self.select = None


def form_data(response) -> dict[str, list[str]]:
    """What submitting the page's change form would send, ready for ``client.post``."""
    assert response.status_code == 200, response.status_code
    parser = _FormControls()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def change_url(item) -> str:
    return reverse(f"admin:archive_{item._meta.model_name}_change", args=[item.pk])


def stored(item) -> dict:
    """Every column of the item as stored now."""
    row = type(item)._base_manager.get(pk=item.pk)
    return {field.attname: getattr(row, field.attname) for field in row._meta.fields}


# Each model: a factory, a field editor A changes, a field editor B changes.
CASES = {
    Article: (make_article, "title_ja", "summary_ja"),
    Person: (make_person, "name_en", "bio_en"),
    Event: (make_event, "title_en", "description_en"),
    Image: (make_image, "alt_text_en", "caption_en"),
}


@pytest.fixture(params=list(CASES), ids=lambda model: model.__name__)
def case(request):
    factory, a_field, b_field = CASES[request.param]
    return factory(), a_field, b_field


# -- the two editors -------------------------------------------------------------
def test_a_stale_save_is_refused_naming_who_when_and_what_differs(ada, ben, case):
    item, a_field, b_field = case
    a_form = form_data(ada.get(change_url(item)))
    b_form = form_data(ben.get(change_url(item)))
    old_a_value, old_b_value = a_form[a_field][0], b_form[b_field][0]

    a_form[a_field] = ["Changed by Ada"]
    assert ada.post(change_url(item), a_form).status_code == 302
    after_a = stored(item)
    assert after_a[a_field] == "Changed by Ada"

    b_form[b_field] = ["Ben’s line one\r\nline two"]
    response = ben.post(change_url(item), b_form)

    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["adminform"].form
    assert form.errors.as_data()["__all__"][0].code == "conflict"
    item.refresh_from_db()
    assert "changed by Ada Lovelace at" in html
    assert local_time(item.updated_at) in html
    rows = {d.name: d for d in form.conflict.differences}
    assert set(rows) == {a_field, b_field}
    assert rows[a_field].stored.changed == "Changed by Ada"
    assert rows[a_field].yours.changed == old_a_value
    assert rows[b_field].stored.changed == (old_b_value or "—")
    assert rows[b_field].yours.changed == "Ben’s line one\nline two"
    assert f'class="archive-conflict-{a_field}"' in html
    assert str(rows[a_field].label) in html
    # Nothing stored changed; Ben's values are what the form shows again.
    assert stored(item) == after_a
    again = form_data(response)
    assert again[b_field] == ["Ben’s line one\r\nline two"]
    assert again[a_field] == [old_a_value]
    # The hidden version is now the stored row's: a deliberate second save passes.
    assert again["version"] == [version_of(item)]
    assert b_form["version"] != again["version"]
    assert ben.post(change_url(item), again).status_code == 302
    now = stored(item)
    assert now[b_field].replace("\r\n", "\n") == "Ben’s line one\nline two"
    assert now[a_field] == old_a_value


def test_sequential_saves_by_two_editors_both_go_through(ada, ben, case):
    item, a_field, b_field = case
    a_form = form_data(ada.get(change_url(item)))
    a_form[a_field] = ["First"]
    assert ada.post(change_url(item), a_form).status_code == 302
    # Ben opens the form after Ada's save: nothing to refuse.
    b_form = form_data(ben.get(change_url(item)))
    b_form[b_field] = ["Second"]
    assert ben.post(change_url(item), b_form).status_code == 302
    # And Ada, who reopens it, saves again.
    a_form = form_data(ada.get(change_url(item)))
    a_form[a_field] = ["Third"]
    assert ada.post(change_url(item), a_form).status_code == 302
    now = stored(item)
    assert (now[a_field], now[b_field]) == ("Third", "Second")


def test_save_and_continue_from_a_stale_form_is_refused_too(ada, ben):
    article = make_article()
    b_form = form_data(ben.get(change_url(article)))
    a_form = form_data(ada.get(change_url(article)))
    a_form["subtitle_ja"] = ["副題"]
    assert ada.post(change_url(article), a_form).status_code == 302
    b_form["_continue"] = ["Save and continue editing"]
    response = ben.post(change_url(article), b_form)
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert stored(article)["subtitle_ja"] == "副題"


def test_save_as_new_from_a_stale_form_adds_an_item_and_leaves_the_old(ada, ben):
    event = make_event(key="old-event")
    b_form = form_data(ben.get(change_url(event)))
    a_form = form_data(ada.get(change_url(event)))
    a_form["title_en"] = ["Renamed by Ada"]
    assert ada.post(change_url(event), a_form).status_code == 302
    b_form.update(
        key=["new-event"], slug_en=[""], _saveasnew=["Save as new"], title_en=["Copy"]
    )
    assert ben.post(change_url(event), b_form).status_code == 302
    assert Event.objects.get(key="new-event").title_en == "Copy"
    assert stored(event)["title_en"] == "Renamed by Ada"


def test_an_inline_only_change_makes_an_older_form_stale(ada, ben):
    article = make_article()
    b_form = form_data(ben.get(change_url(article)))
    a_form = form_data(ada.get(change_url(article)))
    a_form.update(
        {
            "references-TOTAL_FORMS": ["1"],
            "references-0-position": ["1"],
            "references-0-title": ["参考文献"],
            "references-0-url": ["https://example.org/ref"],
        }
    )
    assert ada.post(change_url(article), a_form).status_code == 302
    assert article.references.count() == 1

    response = ben.post(change_url(article), b_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed by Ada Lovelace" in html
    assert response.context["adminform"].form.conflict.differences == []
    assert "changed only related rows" in html
    assert article.references.count() == 1


def _article_with_image():
    article = make_article()
    image = make_image(article=article, position=1, alt_text_en="A chart")
    return article, image, "images-0-alt_text_en", "alt_text_en"


def _person_with_fact():
    person = make_person()
    fact = make_person_fact(person, statement_en="Born in Dallas")
    return person, fact, "facts-0-statement_en", "statement_en"


@pytest.mark.parametrize(
    "make", [_article_with_image, _person_with_fact], ids=["image", "fact"]
)
def test_a_row_saved_on_its_own_page_is_not_overwritten_by_its_parents_form(
    ada, ben, make
):
    """An article's image (a person's fact) is edited in the article's (person's)
    form and on its own page: a save of the parent's form opened before the row's
    own save is refused for that row, and nothing is saved."""
    parent, row, control, column = make()
    b_form = form_data(ben.get(change_url(parent)))
    a_form = form_data(ada.get(change_url(row)))
    a_form[column] = ["Ada's version"]
    assert ada.post(change_url(row), a_form).status_code == 302

    b_form[control] = ["Ben's version"]
    response = ben.post(change_url(parent), b_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed by Ada Lovelace" in html and "since you opened this page" in html
    assert getattr(type(row).objects.get(pk=row.pk), column) == "Ada's version"
    assert stored(parent)["updated_at"] == parent.updated_at
    # The refused page carries the row's new version: saving it again is a choice.
    assert ben.post(change_url(parent), form_data(response)).status_code == 302
    assert getattr(type(row).objects.get(pk=row.pk), column) == "Ben's version"


def test_a_change_by_an_import_names_no_admin_user(ada):
    person = make_person()
    form = form_data(ada.get(change_url(person)))
    person.bio_en = "Written by a command."
    person.save()
    response = ada.post(change_url(person), form)
    assert response.status_code == 200
    assert "an import or a command (not the admin)" in response.content.decode()
    assert stored(person)["bio_en"] == "Written by a command."


def test_a_garbled_version_is_refused_and_one_missing_is_not_checked(ada):
    image = make_image()
    form = form_data(ada.get(change_url(image)))
    response = ada.post(change_url(image), {**form, "version": ["yesterday"]})
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    # No version at all: not our change form (a script); it is saved as before.
    del form["version"]
    form["caption_en"] = ["Saved without a version"]
    assert ada.post(change_url(image), form).status_code == 302
    assert stored(image)["caption_en"] == "Saved without a version"


@pytest.mark.parametrize(
    ("language", "told"),
    [("ja", "何も保存されていません"), ("zh-hans", "未保存任何内容")],
)
def test_the_refusal_speaks_the_editors_language(ada, ben, language, told):
    event = make_event()
    b_form = form_data(ben.get(change_url(event)))
    a_form = form_data(ada.get(change_url(event)))
    a_form["title_en"] = ["Renamed"]
    assert ada.post(change_url(event), a_form).status_code == 302
    response = ben.post(change_url(event), b_form, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert told in html
    assert "Ada Lovelace" in html
    assert 'class="archive-conflict-title_en"' in html


def test_the_add_form_has_no_version(ada):
    response = ada.get(reverse("admin:archive_person_add"))
    assert 'name="version"' not in response.content.decode()


def test_every_archive_admin_form_is_conflict_checked(ada):
    from django.contrib import admin

    for model in CASES:
        assert issubclass(admin.site._registry[model].form, ConflictCheckedForm)


def test_the_stored_row_is_read_for_update_in_the_save_transaction(ada):
    person = make_person()
    form = form_data(ada.get(change_url(person)))
    form["bio_en"] = ["Locked while checked."]
    with CaptureQueriesContext(connection) as queries:
        assert ada.post(change_url(person), form).status_code == 302
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert len(locking) == 1 and "archive_person" in locking[0]
    else:  # SQLite: one writer at a time, no row locks to take
        assert locking == []


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_a_simultaneous_one_and_is_then_refused(ada, ben):
    """Ada's save holds the row; Ben's POST, checked meanwhile, must wait for it
    and then see her version (without the lock it would pass and overwrite)."""
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks: it lets one writer in at a time")
    person = make_person()
    b_form = form_data(ben.get(change_url(person)))
    b_form["bio_en"] = ["Ben"]
    statuses = []

    def ben_saves() -> None:
        try:
            statuses.append(ben.post(change_url(person), b_form).status_code)
        finally:
            connections.close_all()

    with transaction.atomic():  # Ada's save, in progress
        row = Person.objects.select_for_update().get(pk=person.pk)
        thread = threading.Thread(target=ben_saves)
        thread.start()
        with connection.cursor() as cursor:
            for _ in range(200):  # Ben's request is waiting for the row
                # (statistics are a snapshot per transaction unless cleared)
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                    "'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
            else:
                pytest.fail(f"Ben's save did not wait for the row: {statuses}")
        row.bio_en = "Ada"
        row.save()
    thread.join(timeout=30)
    assert statuses == [200]
    assert stored(person)["bio_en"] == "Ada"


# -- long values -----------------------------------------------------------------
def test_long_texts_are_shown_as_the_part_that_differs():
    stored_text = "一" * 300 + "ADA" + "二" * 300
    yours = "一" * 300 + "BEN" + "二" * 300
    now, mine = excerpts(stored_text, yours)
    assert now.marked and mine.marked
    assert (now.changed, mine.changed) == ("ADA", "BEN")
    assert now.before == "…" + "一" * 30 and now.after == "二" * 30 + "…"
    assert excerpts("short", "also short") == (
        Shown("", "short", ""),
        Shown("", "also short", ""),
    )
