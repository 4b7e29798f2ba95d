"""Template helpers for the public archive: thin doors to the app's own modules.

Which language an item's text is shown in (and ``LocalText``, which remembers
it so templates mark foreign text with ``lang``) is decided in archive.languages.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString

from archive import fragments, languages, links, names
from archive.languages import LocalText, local_text
from archive.markdown import FIGURE_TEMPLATE, figure_context

register = template.Library()

_PLAIN_EDTF = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")  # not 2012-41


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
        return LocalText("", "", languages.page_language())
    return local_text(obj, field)


@register.filter(name="bcp47")
def bcp47_filter(code: str) -> str:
    return languages.bcp47(code)


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    return languages.language_name(code)


@register.filter
def language_name_local(code: str) -> str:
    """The language's name in itself ("日本語") for switchers."""
    return languages.language_name_local(code)


@register.filter
def number(value) -> str:
    """An integer with the active locale's digit grouping (1,234 / 1234)."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def web_url(value) -> str:
    """``{% with url=link.url|web_url %}``: the address if it is http(s), else ""
    (a stored ``javascript:`` value is shown as text, never as a link)."""
    return links.web_url(value)


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
    context = figure_context(image.source_url, image, languages.page_language())
    context["inline"] = inline
    return render_to_string(FIGURE_TEMPLATE, context)


@register.simple_tag
def cached_rows(items, template_name: str, name: str, **extra) -> list[SafeString]:
    """``{% cached_rows articles "includes/article_card.html" "article" heading="2"
    as cards %}``: each row's HTML, cached per item, edit and language
    (``archive.fragments``)."""
    return fragments.render_rows(items, template_name, name, **extra)


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
    return obj is not None and languages.has_language(obj, language)


@dataclass(frozen=True)
class NameForm:
    """One form of a person's name as the "other names" line shows it: its text,
    BCP 47 tag and, for a recorded other name, what kind of name it is."""

    text: str
    lang: str
    kind: str = ""


@register.filter
def other_names(person, alternatives: bool = False) -> list[NameForm]:
    """The person's name in the other scripts it is written in (each once); with
    ``alternatives``, then their other names (``PersonName``: prefetch them)."""
    shown = local_text(person, "name")
    forms: list[NameForm] = []
    seen = {shown.text}
    for code in [person.original_language, *languages.LANGUAGE_CODES]:
        text = languages.field_text(person, "name", code)
        if text and text not in seen:
            seen.add(text)
            forms.append(NameForm(text, languages.bcp47(code)))
    if alternatives:
        # A source's spelling that differs only in its name dot (山姆・奥特曼 beside
        # 山姆·奥特曼) would look like the same name twice: the admin shows it.
        seen = {names.with_policy_dots(text) for text in seen}
        for other in person.alternative_names.all():
            if names.with_policy_dots(other.name) not in seen:
                seen.add(names.with_policy_dots(other.name))
                forms.append(
                    NameForm(other.name, other.language, other.get_kind_display())
                )
    return forms


@register.filter(name="texts_by_language")
def texts_by_language_filter(obj, field: str) -> list[LocalText]:
    """``field`` in every language the item has it in, original language first."""
    return languages.texts_by_language(obj, field)
