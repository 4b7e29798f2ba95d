"""Operations at size: export streams, loads answer keys from memory, validators cheap.

Timings are in README.md; these tests pin the behaviour that makes them.
"""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from archive.dates import _parse, edtf_range
from archive.management.commands import export_archive
from archive.models import Article, Event, Person
from archive.models.articles import _timezones, validate_timezone
from tests.factories import make_article, make_event, make_image, make_person

pytestmark = pytest.mark.django_db


def materialised_export() -> str:
    """The export as it was written before it streamed: every object in one list."""
    objects = [obj for qs in export_archive.archive_querysets() for obj in qs]
    text = serializers.serialize(
        "json",
        objects,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        indent=2,
        ensure_ascii=False,
    )
    return text + "\n"


def test_the_fixture_exports_exactly_as_before(capsys):
    call_command("loaddata", "archive", verbosity=0)
    call_command("export_archive")
    streamed = capsys.readouterr().out
    assert streamed == materialised_export()
    fixture = settings.BASE_DIR / "fixtures" / "archive.json"
    assert len(json.loads(streamed)) == len(json.loads(fixture.read_text("utf-8")))


class Recorder(io.StringIO):
    """A stream noting how many queries had run when each piece was written."""

    def __init__(self, queries: list[str]) -> None:
        super().__init__()
        self.queries, self.seen_at = queries, []

    def write(self, text: str) -> int:
        self.seen_at.append((len(self.queries), text))
        return super().write(text)


def test_objects_are_written_while_later_ones_are_still_unread():
    person = make_person(key="p")
    article = make_article(key="a")
    article.people.add(person)
    make_image(key="i", article=article, position=0, source_url="https://e.org/i")
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    stream = Recorder(queries)
    with connection.execute_wrapper(record):
        count = export_archive.Command().write(stream)
    assert count == 3
    written_person = next(n for n, text in stream.seen_at if '"archive.person"' in text)
    image_query = next(
        n for n, sql in enumerate(queries) if 'FROM "archive_image"' in sql
    )
    # The person was on its way out before the images were even read.
    assert written_person <= image_query
    # Related rows are read with their owners, not one query each: one query a
    # model, plus the people and events of articles and events.
    assert len(queries) <= len(export_archive.archive_querysets()) + 3


def fixture_file(tmp_path, objects) -> str:
    path = tmp_path / "load.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def person(key, **fields):
    return {
        "model": "archive.person",
        "fields": {"key": key, "original_language": "en", "name_en": key, **fields},
    }


def test_a_load_links_many_to_many_rows_and_reads_back(tmp_path):
    make_person(key="ann")
    make_event(key="e1")
    make_article(key="a").people.add(Person.objects.get(key="ann"))
    path = tmp_path / "export.json"
    call_command("export_archive", output=path, stdout=io.StringIO())
    text = path.read_text(encoding="utf-8")
    Article.objects.all().delete()
    Person.objects.all().delete()
    Event.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)
    assert list(Article.objects.get(key="a").people.values_list("key", flat=True)) == [
        "ann"
    ]
    call_command("export_archive", output=path, stdout=io.StringIO())
    assert path.read_text(encoding="utf-8") == text


def test_a_slug_twice_in_one_load_is_refused_in_words(tmp_path):
    objects = [person("p1", slug_en="same"), person("p2", slug_en="same")]
    with pytest.raises(CommandError, match="already uses the slug"):
        call_command("loaddata", fixture_file(tmp_path, objects), verbosity=0)
    assert not Person.objects.exists()


def test_a_slug_taken_by_a_stored_row_is_refused_too(tmp_path):
    make_person(key="old", name_en="Old", slug_en="same")
    with pytest.raises(CommandError, match="already uses the slug"):
        call_command(
            "loaddata",
            fixture_file(tmp_path, [person("p2", slug_en="same")]),
            verbosity=0,
        )
    assert list(Person.objects.values_list("key", flat=True)) == ["old"]


def test_empty_slugs_of_one_load_do_not_collide(tmp_path):
    objects = [person("p1", name_en="Same Name"), person("p2", name_en="Same Name")]
    call_command("loaddata", fixture_file(tmp_path, objects), verbosity=0)
    slugs = sorted(Person.objects.values_list("slug_en", flat=True))
    assert slugs == ["same-name", "same-name-2"]


def test_a_load_over_stored_rows_updates_them(tmp_path):
    make_person(key="p1", name_en="Before")
    call_command(
        "loaddata",
        fixture_file(tmp_path, [person("p1", name_en="After")]),
        verbosity=0,
    )
    assert Person.objects.get(key="p1").name_en == "After"
    assert Person.objects.count() == 1


def test_time_zones_are_read_once():
    validate_timezone("Asia/Tokyo")
    before = _timezones.cache_info()
    validate_timezone("Europe/Paris")
    with pytest.raises(ValidationError):
        validate_timezone("Mars/Olympus")
    after = _timezones.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 2


@pytest.mark.parametrize(
    "value", ["1993", "0999", "1993-04", "2024-02-29", "1900-12-31"]
)
def test_plain_dates_skip_the_parser_yet_equal_its_result(value):
    from edtf import parse_edtf

    parsed, reference = _parse(value), parse_edtf(value)
    assert type(parsed) is type(reference) and parsed == reference
    assert parsed.lower_strict() == reference.lower_strict()
    assert parsed.upper_strict() == reference.upper_strict()
    assert edtf_range(value).start is not None


@pytest.mark.parametrize("value", ["1993-13", "1993-04-31", "1993-00"])
def test_impossible_plain_dates_still_go_to_the_parser(value):
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        expected = parse_edtf(value)
    except EDTFParseException:
        expected = None
    assert _parse(value) == expected
