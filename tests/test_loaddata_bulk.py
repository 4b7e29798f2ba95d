"""loaddata at size: streamed in, written in bulk, and still all or nothing.

A model empty when the load begins gets its new rows inserted a batch at a time
(``archive/loading.py``); these tests pin that this changes nothing a load
promises: exact round trips, every object validated, one line naming the object
that fails, nothing written then, and queries that do not grow with the objects.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.counting import content_version
from archive.loading import raw_objects
from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
    PersonName,
    Reference,
)
from tests.factories import make_person

pytestmark = pytest.mark.django_db

ARCHIVE_MODELS = (
    EventCitation,
    PersonFactCitation,
    PersonFact,
    PersonName,
    PersonLink,
    Reference,
    ArticleTranslation,
    Image,
    Article,
    Event,
    Person,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ARCHIVE_MODELS}


def empty_archive() -> None:
    """Delete every archive row, children before the rows they protect."""
    Article.objects.update(cover_image=None)
    Person.objects.update(portrait=None)
    for model in ARCHIVE_MODELS:
        model.objects.all().delete()
    assert not any(counts().values())


def export(path: Path) -> str:
    call_command("export_archive", output=path, stdout=io.StringIO())
    return path.read_text(encoding="utf-8")


def load(path: Path | str) -> None:
    call_command("loaddata", str(path), verbosity=0)


def write(tmp_path: Path, objects: list, name: str = "load.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def generated(tmp_path) -> tuple[Path, str]:
    """A few hundred generated objects of every kind, exported, then removed."""
    call_command(
        "generate_archive", "--articles", "30", "--seed", "3", stdout=io.StringIO()
    )
    path = tmp_path / "export.json"
    text = export(path)
    empty_archive()
    return path, text


def test_a_bulk_load_round_trips_exactly(generated, tmp_path):
    path, text = generated
    objects = json.loads(text)
    assert len(objects) > 250
    assert {o["model"] for o in objects} >= {
        "archive.article",
        "archive.person",
        "archive.event",
        "archive.image",
        "archive.eventcitation",
        "archive.personfact",
        "archive.personfactcitation",
    }
    load(path)
    assert export(tmp_path / "again.json") == text
    # Forward references (covers come after their articles) were set too.
    assert Article.objects.filter(cover_image__isnull=False).count() == 30


def test_a_bulk_load_moves_the_cached_counts_on_once(generated):
    path, _text = generated
    before = content_version()
    load(path)
    assert content_version() == before + 1


def test_new_rows_take_ids_past_every_id_the_table_gave(generated):
    path, _text = generated
    gone = make_person(key="gone")
    gone_pk = gone.pk
    gone.delete()
    load(path)
    loaded = list(Person.objects.values_list("pk", flat=True))
    # Never the id of a deleted row (revisions may still name it) …
    assert min(loaded) > gone_pk
    # … and the database's own next id comes after the loaded ones.
    assert make_person(key="after").pk > max(loaded)


@pytest.mark.parametrize(
    ("model", "fields", "expected"),
    [
        ("archive.event", {"date": "soon"}, "Invalid archive.Event gen-3-e"),
        (
            "archive.article",
            {"cover_image": ["no-such-image"]},
            "No Image 'no-such-image'",
        ),
        (
            "archive.eventcitation",
            {"article": ["no-such-article"]},
            "No Article 'no-such-article'",
        ),
    ],
    ids=["invalid-date", "forward-reference", "required-reference"],
)
def test_a_bad_object_in_the_middle_rolls_everything_back(
    generated, tmp_path, model, fields, expected
):
    _path, text = generated
    objects = json.loads(text)
    of_model = [o for o in objects if o["model"] == model]
    assert len(of_model) > 20
    of_model[len(of_model) // 2]["fields"].update(fields)
    with pytest.raises(CommandError) as excinfo:
        load(write(tmp_path, objects))
    message = str(excinfo.value)
    assert expected in message
    assert "\n" not in message
    assert not any(counts().values())


def test_a_row_the_database_refuses_is_named_and_nothing_is_written(
    generated, tmp_path
):
    _path, text = generated
    objects = json.loads(text)
    images = [o for o in objects if o["model"] == "archive.image"]
    first, second = images[40], images[41]
    # Two images at one place of one article: only the database knows.
    second["fields"].update(article=first["fields"]["article"], position=5)
    first["fields"]["position"] = 5
    with pytest.raises(CommandError) as excinfo:
        load(write(tmp_path, objects))
    message = str(excinfo.value)
    assert f"Could not load archive.Image '{second['fields']['key']}'" in message
    assert "\n" not in message
    assert not any(counts().values())


def test_a_translation_record_is_checked_against_its_article(tmp_path):
    article = {
        "model": "archive.article",
        "fields": {
            "key": "a",
            "original_language": "ja",
            "title_ja": "題",
            "body_ja": "本文",
        },
    }
    record = {
        "model": "archive.articletranslation",
        "fields": {
            "article": ["a"],
            "language": "ja",
            "translated_from": "en",
            "translator": "someone",
            "method": "human",
        },
    }
    with pytest.raises(CommandError) as excinfo:
        load(write(tmp_path, [article, record]))
    message = str(excinfo.value)
    assert message.startswith("Invalid archive.ArticleTranslation a, ja: language:")
    assert "original language" in message
    assert not Article.objects.exists()


def people_and_events(n: int) -> list[dict]:
    """``n`` objects: people, events naming them, articles naming both with a
    cover image (a forward reference), and the images."""
    objects: list[dict] = []
    quarter = n // 4
    for i in range(quarter):
        objects.append(
            {
                "model": "archive.person",
                "fields": {
                    "key": f"p{i}",
                    "original_language": "en",
                    "name_en": f"P {i}",
                },
            }
        )
    for i in range(quarter):
        objects.append(
            {
                "model": "archive.event",
                "fields": {
                    "key": f"e{i}",
                    "original_language": "en",
                    "title_en": f"Event {i}",
                    "date": f"{1900 + i % 100}",
                    "people": [[f"p{i}"], [f"p{(i + 1) % quarter}"]],
                },
            }
        )
    for i in range(quarter):
        objects.append(
            {
                "model": "archive.article",
                "fields": {
                    "key": f"a{i}",
                    "original_language": "en",
                    "title_en": f"Article {i}",
                    "body_en": "Text.",
                    "cover_image": [f"i{i}"],
                    "people": [[f"p{i}"]],
                    "events": [[f"e{i}"]],
                },
            }
        )
    for i in range(n - 3 * quarter):
        objects.append(
            {
                "model": "archive.image",
                "fields": {
                    "key": f"i{i}",
                    "source_url": f"https://example.org/{i}.png",
                    "decorative": True,
                    "article": [f"a{i % quarter}"],
                    "position": i // quarter,
                },
            }
        )
    return objects


def test_the_queries_of_a_load_do_not_grow_with_its_objects(tmp_path):
    queries = {}
    for n in (50, 500):
        path = write(tmp_path, people_and_events(n), f"{n}.json")
        with CaptureQueriesContext(connection) as captured:
            load(path)
        queries[n] = len(captured)
        assert Image.objects.count() == n - 3 * (n // 4)
        assert Article.objects.filter(cover_image__isnull=False).count() == n // 4
        assert Event.objects.get(key="e1").people.count() == 2
        empty_archive()
    # Ten times the objects: a few more batches, never ten times the queries.
    assert queries[500] < 2 * queries[50], queries


class CountingReader(io.BytesIO):
    """A file that notes how much of it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


def test_a_json_fixture_is_read_as_a_stream():
    objects = people_and_events(8000)
    data = json.dumps(objects).encode()
    assert len(data) > 1_000_000
    reader = CountingReader(data)
    stream = iter(raw_objects(io.BufferedReader(reader), "json"))
    assert next(stream) == objects[0]
    # The first object came with no more than the first chunks of the file.
    assert reader.bytes_read < len(data) / 4
    assert sum(1 for _ in stream) == len(objects) - 1


def test_the_planner_has_statistics_of_what_was_loaded(tmp_path):
    load(write(tmp_path, people_and_events(40)))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s",
                [Person._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_class WHERE relname = %s AND reltuples > 0",
                [Person._meta.db_table],
            )
        assert cursor.fetchone()[0] >= 1


def test_rows_with_ids_of_their_own_and_rows_without_share_a_table(tmp_path):
    def person(key, **extra):
        return {
            "model": "archive.person",
            **extra,
            "fields": {"key": key, "original_language": "en", "name_en": key},
        }

    load(write(tmp_path, [person("first"), person("given", pk=2), person("later")]))
    ids = dict(Person.objects.values_list("key", "pk"))
    assert ids["given"] == 2
    assert len(set(ids.values())) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"model": "archive.person"}', "A JSON fixture is a list of objects"),
        (
            '[{"model": "archive.person", "fields": {"key": "a", "name_en": "A"}}, '
            '{"mo',
            "Invalid JSON: parse error",
        ),
    ],
)
def test_json_that_is_no_list_of_objects_fails_in_one_line(tmp_path, text, expected):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        load(path)
    message = str(excinfo.value)
    assert expected in message and "odd.json" in message
    assert "\n" not in message
    assert not Person.objects.exists()
