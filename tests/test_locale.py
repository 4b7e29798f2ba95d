"""UI catalogues: complete for ja and zh_Hans, and the committed .mo matches the .po."""

import gettext

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale

from tests.paths import ROOT

# Every UI language but the one the code is written in has a catalogue.
LOCALES = [
    to_locale(code)
    for code, _name in settings.LANGUAGES
    if code != settings.LANGUAGE_CODE
]


def catalogue(locale):
    path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    po = catalogue(locale)
    ids = [m.id for m in po if m.id]
    assert len(ids) > 50
    untranslated = [
        m.id
        for m in po
        if m.id
        and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {locale}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_is_up_to_date(locale):
    mo_path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue(locale):
        if not message.id or message.pluralizable:
            continue
        key = f"{message.context}\x04{message.id}" if message.context else message.id
        assert compiled._catalog.get(key) == message.string, (
            f"{locale}: {message.id!r} differs in django.mo; run `make messages`"
        )


def test_catalogues_hold_every_message_the_code_marks(tmp_path):
    """makemessages on a copy of the code finds nothing the catalogues lack."""
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) not installed: catalogue freshness SKIPPED")
    for name in ("manage.py", "config", "archive", "templates", "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("*.pyc")
            )
        else:
            shutil.copy(source, tmp_path / name)
    import os

    # The copy has no tests package: the product's settings, with the suite's key.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    with (tmp_path / "locale/ja/LC_MESSAGES/django.po").open("rb") as handle:
        extracted = {(m.context, m.id) for m in read_po(handle) if m.id}
    committed = {(m.context, m.id) for m in catalogue("ja") if m.id}
    missing = sorted(extracted - committed, key=str)
    assert not missing, f"not in the catalogues (run `make messages`): {missing[:10]}"
