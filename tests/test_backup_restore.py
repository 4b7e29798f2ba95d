"""A backup restored on a new machine, as the README's "Backups and restore" says.

Everything runs as an operator would, through ``manage.py`` in subprocesses: an
archive (the fixture, with archived image files in an S3 bucket) is exported with
``export_archive`` and its bucket copied; a new, empty database is migrated and
``loaddata`` reads the export against the copied bucket. Then every public page in
every language is the same, ``verify_fixity`` passes against the copy, and a new
export is byte for byte the backup. (The in-process round trip of the fixture is
``tests/test_fixture.py``; this one crosses databases and buckets.) The databases
are SQLite files, or new PostgreSQL databases when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.paths import ROOT

# Two of the fixture's images get an archived copy, as an editor would upload.
ARCHIVE_FILES = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from archive.models import Image
from archive.services import archive_image_file

for index, image in enumerate(Image.objects.order_by("key")[:2]):
    buffer = io.BytesIO()
    PILImage.new("RGB", (700 + index, 350), (20 * index, 90, 160)).save(buffer, "PNG")
    upload = SimpleUploadedFile(f"{image.key}.png", buffer.getvalue(), "image/png")
    archive_image_file(image, upload)
"""

# Every public page in every language, as HTML without its per-response tokens.
DUMP_PAGES = """
import json, re, sys
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from archive.models import Article, Event, Image, Person

pages = {}
client = Client()
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls = [reverse(f"archive:{name}") for name in (
                "home", "article_list", "person_list", "timeline", "image_list")]
            for model in (Article, Person, Event, Image):
                urls += [item.get_absolute_url() for item in model.objects.all()]
        for url in urls:
            response = client.get(url)
            html = response.content.decode()
            html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
            html = re.sub(r'csrfmiddlewaretoken" value="[^"]*"', "csrf", html)
            pages[url] = [response.status_code, html]
json.dump(pages, sys.stdout)
"""


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture
def databases(tmp_path) -> Iterator[Callable[[str], str]]:
    """``DATABASE_URL``s of new, empty databases: SQLite files, or, when the suite
    runs on PostgreSQL, databases beside the test database (dropped afterwards)."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        yield lambda name: f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    import psycopg

    made: list[str] = []
    login = {
        key: value
        for key, value in {
            "host": settings["HOST"],
            "port": settings["PORT"],
            "user": settings["USER"],
            "password": settings["PASSWORD"],
        }.items()
        if value
    }

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **login) as db:
            db.execute(sql)

    def new(name: str) -> str:
        database = f"{connection.settings_dict['NAME']}_restore_{name}"
        admin(f'DROP DATABASE IF EXISTS "{database}"')
        admin(f'CREATE DATABASE "{database}"')
        made.append(database)
        user = quote(login.get("user", ""))
        password = f":{quote(login['password'])}" if "password" in login else ""
        where = f"{login.get('host', '')}:{login.get('port', 5432)}"
        return f"postgres://{user}{password}@{where}/{database}"

    yield new
    for database in made:
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def machine(
    tmp_path: Path, name: str, database_url: str, s3_server, bucket: str
) -> dict[str, str]:
    """The environment of one installation: its own database, one bucket."""
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "AWS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / f"{name}-media"),
        # A public bucket behind a CDN: its URLs are the same on both machines.
        **s3_server.env(bucket, AWS_S3_CUSTOM_DOMAIN="media.example.org"),
    )
    return env


def test_export_and_bucket_restore_into_a_new_database(tmp_path, databases, s3_server):
    old = machine(tmp_path, "old", databases("old"), s3_server, s3_server.new_bucket())
    manage(old, "migrate", "--noinput", "-v", "0")
    manage(old, "loaddata", "archive", "-v", "0")
    manage(old, "shell", "--no-imports", "-c", ARCHIVE_FILES)
    backup = tmp_path / "backup.json"
    manage(old, "export_archive", "-o", str(backup))
    before = json.loads(manage(old, "shell", "--no-imports", "-c", DUMP_PAGES))

    # The media backup: every object copied to another bucket (aws s3 sync).
    source, copy = old["AWS_STORAGE_BUCKET_NAME"], s3_server.new_bucket()
    keys = s3_server.keys(source)
    assert len(keys) == 2 + 2 * 2  # two originals, two renditions each (320, 640)
    for key in keys:
        s3_server.client.copy_object(
            Bucket=copy, Key=key, CopySource={"Bucket": source, "Key": key}
        )

    new = machine(tmp_path, "new", databases("new"), s3_server, copy)
    manage(new, "migrate", "--noinput", "-v", "0")
    manage(new, "loaddata", str(backup), "-v", "0")
    after = json.loads(manage(new, "shell", "--no-imports", "-c", DUMP_PAGES))

    assert sorted(after) == sorted(before)
    assert len(before) > 3 * 5  # lists and items in every language
    assert all(status == 200 for status, _html in before.values())
    for url, page in before.items():
        assert after[url] == page, url
    media = {
        url
        for _status, html in before.values()
        for url in re.findall(r'src="(https://media\.example\.org/[^"]+)"', html)
    }
    assert len(media) == 2  # both archived copies are shown from the bucket

    checked = manage(new, "verify_fixity")
    assert "and 2 image file(s): 0 mismatch(es)." in checked
    again = tmp_path / "again.json"
    manage(new, "export_archive", "-o", str(again))
    assert again.read_bytes() == backup.read_bytes()
