"""loaddata is strict, so a fixture that loads on SQLite loads on PostgreSQL.

Three refusals, each one line, writing nothing: the same object twice in one load,
a NUL character anywhere, and account objects without ``--allow-users``.
"""

import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Event, Person

pytestmark = pytest.mark.django_db


def person(key="ar", **fields):
    base = {"key": key, "original_language": "en", "name_en": "Alec Radford"}
    base.update(fields)
    return {"model": "archive.person", "fields": base}


def event(key="born", **fields):
    base = {"key": key, "original_language": "en", "title_en": "Born", "date": "1993"}
    base.update(fields)
    return {"model": "archive.event", "fields": base}


USER = {
    "model": "auth.user",
    "fields": {"username": "mallory", "password": "!", "is_superuser": True},
}


def write(tmp_path, objects, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def refusal(*labels, **options) -> str:
    """Load, expect a refusal, and return its message after checking nothing loaded."""
    with pytest.raises(CommandError) as excinfo:
        call_command("loaddata", *labels, verbosity=0, **options)
    message = str(excinfo.value)
    assert "\n" not in message
    assert "\x00" not in message
    assert not Person.objects.exists()
    assert not Event.objects.exists()
    assert not User.objects.exists()
    return message


# Duplicates ---------------------------------------------------------------------


def test_the_same_natural_key_twice_in_one_file_is_refused(tmp_path):
    path = write(tmp_path, [person(name_en="First"), person(name_en="Second")])
    message = refusal(path)
    assert message.startswith("archive.Person with natural key 'ar' appears twice")


def test_the_same_natural_key_in_two_files_of_one_load_is_refused(tmp_path):
    first = write(tmp_path, [person(), event()], "first.json")
    second = write(tmp_path, [event(title_en="Born again")], "second.json")
    assert "archive.Event with natural key 'born'" in refusal(first, second)


def test_the_same_pk_twice_is_refused_even_under_different_keys(tmp_path):
    one, two = person("one"), person("two")
    one["pk"] = two["pk"] = 7
    assert "archive.Person with pk '7' appears twice" in refusal(
        write(tmp_path, [one, two])
    )


def test_the_same_key_on_different_models_is_no_duplicate(tmp_path):
    call_command("loaddata", write(tmp_path, [person("x"), event("x")]), verbosity=0)
    assert Person.objects.get().key == Event.objects.get().key == "x"


def test_loading_the_same_file_again_in_a_new_load_still_works(tmp_path):
    path = write(tmp_path, [person(), event(people=[["ar"]])])
    call_command("loaddata", path, verbosity=0)
    call_command("loaddata", path, verbosity=0)
    assert Event.objects.get().people.get().key == "ar"


# NUL ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("objects", "expected"),
    [
        (
            [person(name_en="Alec\x00Radford")],
            "NUL character in field name_en of archive.person 'ar' in data.json",
        ),
        (
            # A NUL in a natural key fails PostgreSQL's lookup before any save.
            [person("a\x00r")],
            "NUL character in field key of archive.person 'a\\x00r' in data.json",
        ),
        (
            [person(), event(people=[["ar\x00"]])],
            "NUL character in field people of archive.event 'born' in data.json",
        ),
        (
            [{"model": "archive.person", "pk": "1\x00", "fields": {"key": "ar"}}],
            "NUL character in the pk of archive.person '1\\x00' in data.json",
        ),
    ],
    ids=["text", "natural-key", "reference", "pk"],
)
def test_a_nul_anywhere_is_refused_with_model_key_and_field(
    tmp_path, objects, expected
):
    message = refusal(write(tmp_path, objects))
    assert message.startswith(expected)
    assert "PostgreSQL cannot store it" in message


def test_a_nul_in_a_later_file_refuses_the_earlier_files_too(tmp_path):
    clean = write(tmp_path, [person()], "clean.json")
    dirty = write(tmp_path, [event(title_en="Bo\x00rn")], "dirty.json")
    assert "field title_en of archive.event 'born' in dirty.json" in refusal(
        clean, dirty
    )


def test_a_nul_in_yaml_and_jsonl_is_refused_too(tmp_path):
    yaml_path = tmp_path / "data.yaml"
    yaml_path.write_text(
        "- model: archive.person\n  fields: {key: ar, original_language: en, "
        'name_en: "Alec\\0Radford"}\n',
        encoding="utf-8",
    )
    assert "field name_en of archive.person 'ar' in data.yaml" in refusal(
        str(yaml_path)
    )
    jsonl_path = tmp_path / "data.jsonl"
    jsonl_path.write_text(
        json.dumps(person()) + "\n" + json.dumps(event(title_en="\x00")) + "\n",
        encoding="utf-8",
    )
    assert "field title_en of archive.event 'born' in data.jsonl" in refusal(
        str(jsonl_path)
    )


def test_standard_input_is_checked_and_still_loads(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps([person(name_en="\x00")])))
    assert "field name_en of archive.person 'ar'" in refusal("-", format="json")
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps([person()])))
    call_command("loaddata", "-", format="json", verbosity=0)
    assert Person.objects.get().name_en == "Alec Radford"


# Accounts -----------------------------------------------------------------------


def test_a_user_object_is_refused_without_the_option(tmp_path):
    message = refusal(write(tmp_path, [person(), USER]))
    assert message.startswith("auth.User 'mallory' is an account object")
    assert "--allow-users" in message


@pytest.mark.parametrize(
    "account",
    [
        {"model": "auth.group", "fields": {"name": "Editors", "permissions": []}},
        {"model": "auth.user_groups", "pk": 1, "fields": {"user": 1, "group": 1}},
        {
            "model": "sessions.session",
            "pk": "abc",
            "fields": {"session_data": "x", "expire_date": "2099-01-01T00:00:00Z"},
        },
    ],
    ids=["group", "membership", "session"],
)
def test_objects_that_grant_access_are_refused_too(tmp_path, account):
    message = refusal(write(tmp_path, [person(), account]))
    assert f"{account['model'].split('.')[0]}." in message
    assert "is an account object" in message
    # (The Editor and Translator groups exist from the migrations.)
    assert not Group.objects.filter(name="Editors").exists()


def test_allow_users_loads_them_deliberately(tmp_path):
    call_command(
        "loaddata", write(tmp_path, [person(), USER]), allow_users=True, verbosity=0
    )
    assert User.objects.get().username == "mallory"
    assert Person.objects.exists()


def test_an_excluded_user_object_is_not_loaded_so_not_refused(tmp_path):
    path = write(tmp_path, [person(), USER])
    call_command("loaddata", path, exclude=["auth.user"], verbosity=0)
    assert Person.objects.exists()
    assert not User.objects.exists()
