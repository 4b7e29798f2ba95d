"""UI catalogues: complete for ja and zh_Hans, and the committed .mo matches the .po."""

import gettext

import pytest
from babel.messages.pofile import read_po

from tests.paths import ROOT

LOCALES = ["ja", "zh_Hans"]


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
