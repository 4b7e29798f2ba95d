"""verify_fixity: every stored checksum recomputed; any mismatch exits non-zero."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from archive.models import Article
from archive.services import import_source
from tests.factories import make_archived_image, make_article, make_image, png_file
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    """Both project sources imported, a typed-in article, archived and remote images."""
    for path in sorted(SOURCES.glob("*.txt")):
        import_source(path)
    make_article(key="typed", source_document="")
    make_image(key="remote")
    return make_archived_image(png_file(), key="archived")


def test_a_clean_archive_passes(archive, capsys):
    call_command("verify_fixity")
    out = capsys.readouterr().out
    assert out.strip().splitlines() == [
        "Checked 2 raw source(s) and 1 image file(s): 0 mismatch(es)."
    ]


def test_an_altered_raw_source_is_reported_and_fails(archive, capsys):
    article = Article.objects.get(source_filename__startswith="000_")
    Article.objects.filter(pk=article.pk).update(
        source_document=article.source_document.replace("1993", "1994")
    )
    with pytest.raises(CommandError, match="1 mismatch"):
        call_command("verify_fixity")
    (line,) = capsys.readouterr().out.strip().splitlines()
    assert line.startswith(f"archive.Article '{article.key}': raw source: expected")
    assert article.source_sha256 in line


def test_a_checksum_without_a_source_is_a_mismatch(archive, capsys):
    Article.objects.filter(key="typed").update(source_sha256="0" * 64)
    with pytest.raises(CommandError):
        call_command("verify_fixity")
    assert "found (no source)" in capsys.readouterr().out


def test_an_altered_image_file_is_reported(archive, capsys):
    with archive.file.storage.open(archive.file.name, "wb") as stored:
        stored.write(png_file(size=(41, 20)).read())
    with pytest.raises(CommandError, match="1 mismatch"):
        call_command("verify_fixity")
    (line,) = capsys.readouterr().out.strip().splitlines()
    assert line.startswith(f"archive.Image 'archived': file {archive.file.name}")
    assert f"expected sha256 {archive.sha256}, found " in line


def test_a_missing_image_file_is_reported(archive, capsys):
    archive.file.storage.delete(archive.file.name)
    with pytest.raises(CommandError):
        call_command("verify_fixity")
    out = capsys.readouterr().out
    assert "archive.Image 'archived'" in out
    assert "found no readable file (FileNotFoundError)" in out


# The command line closes database connections when the command ends: on
# PostgreSQL that would end a wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_command_line_exits_non_zero_with_a_summary(archive, capsys):
    Article.objects.exclude(key="typed").update(source_document="altered")
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "verify_fixity"]).execute()
    assert excinfo.value.code != 0
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 2  # one line per article
    assert captured.err.strip() == (
        "CommandError: Checked 2 raw source(s) and 1 image file(s): 2 mismatch(es)."
    )
