"""Template helpers for the public archive: item text in the right language.

Every piece of item text (a title, a bio, a caption) is shown in the visitor's
language when the item has it, otherwise in the item's original language. A
``LocalText`` remembers which language it is in, so templates can mark text that
differs from the page's language with a ``lang`` attribute: never text marked
with the wrong language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info

from archive.markdown import FIGURE_TEMPLATE, figure_context
from archive.models import Language
from archive.models.common import LANGUAGE_CODES, bcp47

register = template.Library()

_PLAIN_EDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def language_name(code: str) -> str:
    """The name of ``code`` in the active language ("Japanese", "日本語"…)."""
    names = dict(Language.choices)
    if code in names:
        return str(names[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class LocalText:
    """A piece of item text and the language it is written in."""

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


def local_text(obj, field: str, language: str | None = None) -> LocalText:
    """``field`` of ``obj`` in ``language`` (default: the active one), else in the
    item's original language, else in any language that has it."""
    page_language = get_language() or "en"
    language = language or page_language
    candidates = [language, obj.original_language, *LANGUAGE_CODES]
    for code in dict.fromkeys(candidates):
        text = obj.text(field, code)
        if text:
            return LocalText(text, code, page_language)
    return LocalText("", language, page_language)


@register.filter
def localized(obj, field: str) -> SafeString:
    """``{{ person|localized:"name" }}``: the text, wrapped in ``<span lang>`` when
    it is in another language than the page."""
    if obj is None:
        return SafeString("")
    return local_text(obj, field).html


@register.filter(name="local_text")
def local_text_filter(obj, field: str) -> LocalText:
    """``{% with t=image|local_text:"title" %}``: the text with ``.text``, ``.lang``
    and ``.html`` for templates that set the ``lang`` attribute themselves."""
    if obj is None:
        return LocalText("", "", get_language() or "en")
    return local_text(obj, field)


@register.filter(name="bcp47")
def bcp47_filter(code: str) -> str:
    return bcp47(code)


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    return language_name(code)


@register.filter
def language_name_local(code: str) -> str:
    """The language's name in itself ("日本語") for switchers."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


@register.filter
def number(value) -> str:
    """An integer with the active locale's digit grouping (1,234 / 1234)."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def edtf_datetime(value: str) -> str:
    """A machine-readable ``<time datetime>`` value for an EDTF date, or "" when
    the EDTF value has no HTML equivalent (intervals, approximate dates)."""
    if value and _PLAIN_EDTF.match(value):
        return value
    return ""


@register.filter
def iso_date(value: datetime.date | datetime.datetime | None) -> str:
    return value.isoformat() if value else ""


@register.simple_tag
def image_figure(image, *, inline: bool = False) -> SafeString:
    """An Image as the article bodies show one: our copy with its caption, or a
    placeholder in words that links to the remote original."""
    context = figure_context(image.source_url, image, get_language() or "en")
    context["inline"] = inline
    return render_to_string(FIGURE_TEMPLATE, context)


@register.filter
def source_date(
    value: datetime.datetime | None, format_name: str = "DATE_FORMAT"
) -> str:
    """Format a datetime in its own time zone (the ``date`` filter would first
    convert it to the site's zone and could change the day)."""
    if not value:
        return ""
    return formats.date_format(value, format_name)


@register.filter
def available_in(obj, language: str) -> bool:
    """Whether the item has its own text in ``language``."""
    return bool(obj is not None and obj.has_language(language))


@register.filter
def other_names(person) -> list[LocalText]:
    """The person's name in the other scripts it is written in (each once)."""
    shown = local_text(person, "name")
    page_language = shown.page_language
    names: list[LocalText] = []
    seen = {shown.text}
    for code in [person.original_language, *LANGUAGE_CODES]:
        text = person.text("name", code)
        if text and text not in seen:
            seen.add(text)
            names.append(LocalText(text, code, page_language))
    return names


@register.filter
def texts_by_language(obj, field: str) -> list[LocalText]:
    """``field`` in every language the item has it in, original language first."""
    page_language = get_language() or "en"
    codes = dict.fromkeys([obj.original_language, *LANGUAGE_CODES])
    return [
        LocalText(obj.text(field, code), code, page_language)
        for code in codes
        if obj.text(field, code)
    ]
