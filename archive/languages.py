"""The archive's languages, in one place: codes, names, tags and per-item fallback.

The list of languages lives in ``settings.LANGUAGES`` alone; everything here is
derived from it. Each item is written in an original language and maybe
translated: a visitor asking for language L sees the item in L when it has L,
otherwise in its original language. Which fields decide "has L" is declared by
each model (``LANGUAGE_FIELDS``), and ``has_language`` is the one rule the
models, the public pages and the admin all call.

This module imports no models: models import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, to_locale
from modeltranslation.utils import build_localized_fieldname

if TYPE_CHECKING:
    from archive.models.common import MultilingualItem

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE: str = settings.LANGUAGE_CODE

# Codes source documents use for our languages, lower-cased, "_" read as "-".
ALIASES: dict[str, str] = {"zh": "zh-hans", "zh-cn": "zh-hans"}


def language_choices() -> list[tuple[str, str]]:
    """Choices for language fields. A callable, so migrations name it instead of
    copying the list: adding a language changes no migration of these fields."""
    return list(settings.LANGUAGES)


def page_language() -> str:
    """The language the current page is in (the active one)."""
    return get_language() or settings.LANGUAGE_CODE


def bcp47(code: str) -> str:
    """Django language code → BCP 47 tag: ``zh-hans`` → ``zh-Hans``."""
    return to_locale(code).replace("_", "-") if code else ""


def language_name(code: str) -> str:
    """The name of ``code`` in the active language ("Japanese", "日本語"…)."""
    names = dict(settings.LANGUAGES)
    if code in names:
        return str(names[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_name_local(code: str) -> str:
    """The language's name in itself ("日本語"), for language switchers."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


def normalise_language(code: str) -> str:
    """A language code as a source document gives it (``zh``, ``zh_Hans``,
    ``zh-CN``) → ours (``zh-hans``). Raise ValueError for a language we lack."""
    cleaned = code.strip().lower().replace("_", "-")
    cleaned = ALIASES.get(cleaned, cleaned)
    if cleaned not in LANGUAGE_CODES:
        raise ValueError(f"language {code!r} is not one of {', '.join(LANGUAGE_CODES)}")
    return cleaned


def localized(field: str, language: str) -> str:
    """``localized("title", "zh-hans")`` → ``"title_zh_hans"``."""
    return build_localized_fieldname(field, language)


# -- per-item languages ----------------------------------------------------------
def field_text(obj: MultilingualItem, field: str, language: str) -> str:
    """``field`` of ``obj`` in exactly ``language``; "" when it has none."""
    return getattr(obj, localized(field, language), "") or ""


def has_language(obj: MultilingualItem, language: str) -> bool:
    """THE rule: ``obj`` has ``language`` when one of its ``LANGUAGE_FIELDS``
    has text in it (an image by its alt text or its caption)."""
    return any(field_text(obj, field, language) for field in obj.LANGUAGE_FIELDS)


def lacking_language(model: type[MultilingualItem], language: str) -> models.Q:
    """The same rule as a query: rows of ``model`` without ``language``.
    (Translation columns are nullable, so "no text" is NULL or "".)"""
    condition = models.Q()
    for field in model.LANGUAGE_FIELDS:
        column = localized(field, language)
        condition &= models.Q(**{column: ""}) | models.Q(**{f"{column}__isnull": True})
    return condition


def available_languages(obj: MultilingualItem) -> list[str]:
    """The languages ``obj`` has, its original language first."""
    codes = dict.fromkeys([obj.original_language, *LANGUAGE_CODES])
    return [code for code in codes if has_language(obj, code)]


def missing_languages(obj: MultilingualItem) -> list[str]:
    return [code for code in LANGUAGE_CODES if not has_language(obj, code)]


def display_language(obj: MultilingualItem, language: str) -> str:
    """The language ``obj`` is shown in to a visitor asking for ``language``:
    that one if the item has it, else the item's original language."""
    return language if has_language(obj, language) else obj.original_language


@dataclass(frozen=True)
class Reading:
    """Which language a visitor reads an item in, and why."""

    requested: str
    shown: str
    original: str
    # The item has no text of its own in the requested language.
    is_fallback: bool
    # What is shown is a translation, not the original text.
    is_translation: bool
    # A translation exists in the requested language (so the original is a choice).
    original_available_here: bool


def reading(obj: MultilingualItem, language: str, *, original: bool = False) -> Reading:
    """How ``obj`` is read by a visitor asking for ``language``; ``original``
    (``?original=1``) asks for the original text whatever the language."""
    translated_here = language != obj.original_language and has_language(obj, language)
    shown = obj.original_language if original else display_language(obj, language)
    return Reading(
        requested=language,
        shown=shown,
        original=obj.original_language,
        is_fallback=not has_language(obj, language),
        is_translation=shown != obj.original_language,
        original_available_here=translated_here,
    )


# -- text in a language ------------------------------------------------------------
@dataclass(frozen=True)
class LocalText:
    """A piece of item text, the language it is in and the page's language, so a
    template can mark text in another language with ``lang``: never wrongly."""

    text: str
    language: str
    page_language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> SafeString:
        return self.html

    @property
    def html(self) -> SafeString:
        """The escaped text, in ``<span lang>`` when not in the page's language."""
        if self.is_foreign:
            return format_html('<span lang="{}">{}</span>', self.lang, self.text)
        return format_html("{}", self.text)

    @property
    def lang(self) -> str:
        """The BCP 47 tag of the text's language."""
        return bcp47(self.language)

    @property
    def is_foreign(self) -> bool:
        """True when the text is not in the page's (visitor's) language."""
        return bool(self.text) and self.language != self.page_language

    @property
    def lang_attr(self) -> SafeString:
        """`` lang="ja"`` for an element whose text is not in the page's language."""
        return (
            format_html(' lang="{}"', self.lang) if self.is_foreign else SafeString("")
        )

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def local_text(
    obj: MultilingualItem, field: str, language: str | None = None
) -> LocalText:
    """``field`` of ``obj`` in ``language`` (default: the page's), else in the
    item's original language, else in any language that has it."""
    page = page_language()
    language = language or page
    for code in dict.fromkeys([language, obj.original_language, *LANGUAGE_CODES]):
        text = field_text(obj, field, code)
        if text:
            return LocalText(text, code, page)
    return LocalText("", language, page)


def texts_by_language(obj: MultilingualItem, field: str) -> list[LocalText]:
    """``field`` in every language the item has it in, original language first."""
    page = page_language()
    codes = dict.fromkeys([obj.original_language, *LANGUAGE_CODES])
    return [
        LocalText(field_text(obj, field, code), code, page)
        for code in codes
        if field_text(obj, field, code)
    ]
