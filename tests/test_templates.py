"""The templates stay readable: formatted by djhtml, no line too long to read."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.paths import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
MAX_LINE = 160


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_line_over_160_characters(path):
    long_lines = [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert long_lines == [], f"{path.name}: lines {long_lines} over {MAX_LINE}"


def test_templates_are_indented_by_djhtml():
    result = subprocess.run(
        [sys.executable, "-m", "djhtml", "--check", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_archive_tags_load_after_i18n(path):
    # Django's i18n library has its own ``language_name`` filter (English names);
    # the later library wins, so archive_tags must come after i18n. Formatters
    # that sort {% load %} alphabetically (djade) would silently swap them.
    libraries = [
        name
        for load in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text())
        for name in load.split()
    ]
    if "i18n" in libraries and "archive_tags" in libraries:
        assert libraries.index("i18n") < libraries.index("archive_tags")
