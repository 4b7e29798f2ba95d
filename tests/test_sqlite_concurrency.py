"""Two editors saving at once on the embedded SQLite database: both saves land."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking only",
)


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """An alias with the project's SQLite settings on a file of its own (the
    test database is in memory, where SQLite locks differently)."""
    alias = "concurrency"
    connections.settings[alias] = {
        **connections["default"].settings_dict,
        "NAME": str(tmp_path / "archive.sqlite3"),
    }
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_two_transactions_that_read_then_write_both_commit(file_database):
    both_inside = threading.Barrier(2, timeout=0.5)
    errors: list[BaseException] = []

    def editor(name):
        try:
            with transaction.atomic(using=file_database):
                with connections[file_database].cursor() as cursor:
                    # Read first (the change form's conflict check), then write.
                    cursor.execute("SELECT count(*) FROM note")
                    try:
                        both_inside.wait()
                    except threading.BrokenBarrierError:
                        pass  # IMMEDIATE: the other editor waits at BEGIN instead
                    cursor.execute("INSERT INTO note (text) VALUES (%s)", [name])
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=editor, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY text")
        assert [row[0] for row in cursor.fetchall()] == ["a", "b"]
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
