"""loaddata: validated, all-or-nothing, one clear line on failure."""

import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from archive.models import Event, Person

pytestmark = pytest.mark.django_db

PERSON = {
    "model": "archive.person",
    "fields": {"key": "ar", "original_language": "en", "name_en": "Alec Radford"},
}


def event(**fields):
    base = {
        "key": "born",
        "original_language": "en",
        "title_en": "Born",
        "date": "1993-04",
    }
    base.update(fields)
    return {"model": "archive.event", "fields": base}


def write(tmp_path, objects, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_loading_twice_changes_nothing(tmp_path):
    path = write(tmp_path, [PERSON, event(people=[["ar"]])])
    call_command("loaddata", path, verbosity=0)
    call_command("loaddata", path, verbosity=0)
    assert Person.objects.count() == 1
    assert Event.objects.get().people.get().key == "ar"


def test_derived_sort_keys_are_recomputed_not_trusted(tmp_path):
    path = write(tmp_path, [event(date_start="2000-01-01", date_end="2000-01-01")])
    call_command("loaddata", path, verbosity=0)
    loaded = Event.objects.get()
    assert (str(loaded.date_start), str(loaded.date_end)) == (
        "1993-04-01",
        "1993-04-30",
    )


@pytest.mark.parametrize(
    ("objects", "message"),
    [
        ([PERSON, event(date="April 1993")], "date"),
        ([PERSON, event(title_en="", original_language="en")], "title_en"),
        ([PERSON, event(people=[["nobody"]])], "nobody"),
        ([PERSON, {"model": "archive.nothing", "fields": {}}], "archive.nothing"),
    ],
)
def test_a_bad_object_rolls_back_the_whole_load(tmp_path, objects, message):
    path = write(tmp_path, objects)
    with pytest.raises(CommandError) as excinfo:
        call_command("loaddata", path, verbosity=0)
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert not Person.objects.exists()
    assert not Event.objects.exists()


def test_malformed_json_fails_cleanly(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "archive.person", ', encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("loaddata", str(path), verbosity=0)
    assert "broken.json" in str(excinfo.value)
    assert not Person.objects.exists()


# A command run from the command line closes the database connections when it
# ends; in a test wrapped in a transaction, that transaction is then gone on
# PostgreSQL, so this test commits and is flushed instead.
@pytest.mark.django_db(transaction=True)
def test_command_line_exits_non_zero_with_one_line(tmp_path, capsys):
    # What `manage.py loaddata bad.json` does, in-process: the same argv parsing
    # and CommandError handling, without a second interpreter and database.
    bad = write(tmp_path, [PERSON, event(date="not a date")], "bad.json")
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "loaddata", bad]).execute()
    assert excinfo.value.code != 0
    stderr = capsys.readouterr().err
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("CommandError: ")
    assert "not a date" in lines[0]
    assert not Person.objects.exists()
    assert not Event.objects.exists()
