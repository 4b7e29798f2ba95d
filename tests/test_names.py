"""The name authority: the dot policy, other names (PersonName) in the model, the
admin, revisions, the export and the person page. The fixture's names:
test_names_fixture.py."""

from __future__ import annotations

import importlib
import json

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from archive import names
from archive.models import Person, PersonName
from archive.revisions import restore_version, versions_of
from tests import admin_helpers
from tests.admin_forms import browser_post_data, change_form_id
from tests.admin_helpers import form_errors, management, person_post, url
from tests.factories import make_article, make_person, page_text, url_in

pytestmark = pytest.mark.django_db

client = admin_helpers.client
editor = admin_helpers.editor


# -- the policy ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "script", "wrong"),
    [
        ("アレック・ラドフォード", names.KANA, set()),
        ("アレック·ラドフォード", names.KANA, {"\u00b7"}),
        ("山姆·奥特曼", names.HAN, set()),
        ("山姆・奥特曼", names.HAN, {"\u30fb"}),
        ("富兰克林‧W‧奥林", names.HAN, {"\u2027"}),
        ("Alec Radford", names.LATIN, set()),
        ("Alec·Radford", names.LATIN, {"\u00b7"}),
        ("Franklin W. Olin", names.LATIN, set()),
    ],
)
def test_each_script_has_one_name_dot(name, script, wrong):
    assert names.script(name) == script
    assert names.wrong_dots(name) == wrong
    assert not names.wrong_dots(names.with_policy_dots(name)) or script == names.LATIN


def test_policy_error_names_both_dots():
    error = names.policy_error("山姆・奥特曼")
    assert error is not None and "U+30FB" in error.message % error.params
    assert "U+00B7" in error.message % error.params
    assert names.policy_error("山姆·奥特曼") is None


# -- the models ----------------------------------------------------------------------
def test_a_preferred_name_with_the_wrong_dot_is_a_field_error():
    person = make_person(name_en="Sam Altman")
    person.name_zh_hans = "山姆・奥特曼"
    person.name_ja = "サム·アルトマン"
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert set(caught.value.message_dict) == {"name_zh_hans", "name_ja"}


def test_an_other_name_follows_the_policy_unless_copied_from_a_source():
    person = make_person(name_en="Sam Altman")
    source = make_article(key="synced")
    wrong = PersonName(person=person, name="山姆・奥特曼", language="zh-Hans")
    with pytest.raises(ValidationError) as caught:
        wrong.full_clean()
    assert "name" in caught.value.message_dict
    wrong.kind = PersonName.Kind.AS_WRITTEN
    with pytest.raises(ValidationError) as caught:
        wrong.full_clean()  # a source's spelling needs its source
    assert "source" in caught.value.message_dict
    wrong.source = source
    wrong.full_clean()
    wrong.save()
    assert person.alternative_names.get().name == "山姆・奥特曼"


@pytest.mark.parametrize("tag", ["ja", "zh-Hans", "en", "und-Latn", "ja-Latn", "en-US"])
def test_language_tags_accepted(tag):
    person = make_person()
    PersonName(person=person, name="x", language=tag).full_clean()


@pytest.mark.parametrize("tag", ["", "zh-hans", "Japanese", "ja_JP", "zh-Hans-"])
def test_language_tags_refused(tag):
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        PersonName(person=person, name="x", language=tag).full_clean()
    assert "language" in caught.value.message_dict


def test_the_same_name_twice_in_one_language_is_refused():
    person = make_person()
    PersonName.objects.create(person=person, name="拉里·佩奇", language="zh-Hans")
    with pytest.raises(IntegrityError):
        PersonName.objects.create(person=person, name="拉里·佩奇", language="zh-Hans")


# -- the admin -----------------------------------------------------------------------
def test_other_names_are_added_through_the_admin_inline(client):
    source = make_article(key="synced")
    data = person_post(
        **management("alternative_names", total=2),
        **{
            "alternative_names-0-name": "山姆・奥特曼",
            "alternative_names-0-language": "zh-Hans",
            "alternative_names-0-kind": "as-written",
            "alternative_names-0-source": str(source.pk),
            "alternative_names-1-name": "萨姆·奥尔特曼",
            "alternative_names-1-language": "zh-Hans",
            "alternative_names-1-kind": "transliteration",
            "alternative_names-1-source": "",
        },
    )
    response = client.post(url(Person, "add"), data)
    assert response.status_code == 302, form_errors(response)
    person = Person.objects.get(key="alec-radford")
    assert {(n.name, n.kind, n.source_id) for n in person.alternative_names.all()} == {
        ("山姆・奥特曼", "as-written", source.pk),
        ("萨姆·奥尔特曼", "transliteration", None),
    }


def test_a_wrong_dot_in_the_inline_is_an_inline_error_and_saves_nothing(client):
    data = person_post(
        **management("alternative_names", total=1),
        **{
            "alternative_names-0-name": "萨姆・奥尔特曼",
            "alternative_names-0-language": "zh-Hans",
            "alternative_names-0-kind": "transliteration",
            "alternative_names-0-source": "",
        },
    )
    response = client.post(url(Person, "add"), data)
    assert response.status_code == 200
    assert "U+30FB" in page_text(response)
    assert not Person.objects.exists() and not PersonName.objects.exists()


def test_the_change_form_posted_back_as_shown_with_crlf_changes_nothing(client):
    person = make_person(name_en="Sam Altman", bio_en="Line one\nLine two")
    PersonName.objects.create(
        person=person, name="萨姆·奥尔特曼", language="zh-Hans", kind="transliteration"
    )
    page = client.get(url(Person, "change", person.pk))
    data = browser_post_data(page.content.decode(), change_form_id(Person))
    assert data["alternative_names-0-name"] == ["萨姆·奥尔特曼"]
    response = client.post(url(Person, "change", person.pk), data)
    assert response.status_code == 302, form_errors(response)
    assert list(person.alternative_names.values_list("name", "language")) == [
        ("萨姆·奥尔特曼", "zh-Hans")
    ]


def test_the_people_list_finds_a_person_by_an_other_name(client):
    person = make_person(name_en="Larry Page")
    PersonName.objects.create(person=person, name="拉里·佩奇", language="zh-Hans")
    make_person(name_en="Someone Else")
    response = client.get(url(Person, "changelist"), {"q": "佩奇"})
    assert list(response.context["cl"].result_list) == [person]


# -- revisions and export -----------------------------------------------------------
def test_a_persons_revision_holds_its_other_names_and_restores_them():
    person = make_person(name_en="Sam Altman")
    with reversion.create_revision():
        PersonName.objects.create(
            person=person, name="萨姆·奥尔特曼", language="zh-Hans"
        )
        person.save()
    first = versions_of(Person, str(person.pk)).last()
    with reversion.create_revision():
        person.alternative_names.all().delete()
        PersonName.objects.create(person=person, name="山姆·奥特曼", language="zh-Hans")
        person.save()
    restore_version(first)
    assert list(person.alternative_names.values_list("name", flat=True)) == [
        "萨姆·奥尔特曼"
    ]


def test_export_and_loaddata_keep_other_names(tmp_path):
    person = make_person(key="sam-altman", name_en="Sam Altman")
    source = make_article(key="synced")
    PersonName.objects.create(
        person=person,
        name="山姆・奥特曼",
        language="zh-Hans",
        kind="as-written",
        source=source,
    )
    out = tmp_path / "export.json"
    call_command("export_archive", output=out, verbosity=0)
    rows = [
        row
        for row in json.loads(out.read_text(encoding="utf-8"))
        if row["model"] == "archive.personname"
    ]
    assert rows == [
        {
            "model": "archive.personname",
            "fields": {
                "person": ["sam-altman"],
                "name": "山姆・奥特曼",
                "language": "zh-Hans",
                "kind": "as-written",
                "source": ["synced"],
            },
        }
    ]
    PersonName.objects.all().delete()
    call_command("loaddata", str(out), verbosity=0)
    loaded = PersonName.objects.get()
    assert (loaded.person, loaded.source) == (person, source)
    assert loaded.name == "山姆・奥特曼"


# -- the person page -----------------------------------------------------------------
def test_the_person_page_shows_other_names_with_their_language_and_kind(client):
    person = make_person(name_en="Sam Altman", name_zh_hans="山姆·奥特曼")
    PersonName.objects.create(
        person=person, name="萨姆·奥尔特曼", language="zh-Hans", kind="transliteration"
    )
    html = client.get(url_in(person, "ja")).content.decode()
    assert '<span lang="zh-Hans">萨姆·奥尔特曼</span>' in html
    assert "（音訳）" in html
    # The people list's cards show the preferred names only.
    assert "萨姆·奥尔特曼" not in client.get("/ja/people/").content.decode()


def test_a_source_spelling_differing_only_in_its_dot_is_not_shown_twice(client):
    person = make_person(name_en="Sam Altman", name_zh_hans="山姆·奥特曼")
    PersonName.objects.create(
        person=person,
        name="山姆・奥特曼",
        language="zh-Hans",
        kind="as-written",
        source=make_article(key="synced"),
    )
    html = client.get(url_in(person, "en")).content.decode()
    assert '<span lang="zh-Hans">山姆·奥特曼</span>' in html
    assert "山姆・奥特曼" not in html


def test_the_category_migration_rewrites_events_and_their_revisions():
    from types import SimpleNamespace

    from django.apps import apps as django_apps
    from django.db import connection
    from reversion.models import Version

    from archive.models import Event
    from tests.factories import make_event

    migration = importlib.import_module("archive.migrations.0016_personname_categories")
    paper = make_event(key="gpt-1-paper", title_en="GPT-1")
    profile = make_event(key="synced-profile-published", title_en="Profile")
    Event.objects.filter(pk__in=[paper.pk, profile.pk]).update(category="publication")
    with reversion.create_revision():
        for event in Event.objects.all():
            event.save()
    Event.objects.filter(pk=paper.pk).update(category="research")  # edited since
    migration.split_publication(django_apps, SimpleNamespace(connection=connection))
    assert dict(Event.objects.values_list("key", "category")) == {
        "gpt-1-paper": "research",
        "synced-profile-published": "media",
    }
    stored = {
        version.field_dict["key"]: version.field_dict["category"]
        for version in Version.objects.get_for_model(Event)
    }
    assert stored == {"gpt-1-paper": "paper", "synced-profile-published": "media"}
    restore_version(Version.objects.get_for_object(paper).first())
    paper.refresh_from_db()
    assert paper.category == Event.Category.PAPER
    paper.full_clean()
