"""Links to elsewhere: the one rule for the addresses the archive stores and shows.

Every URL field of the archive's models (an article's original URL, an image's
source, a reference, a person's link) holds an ``http://`` or ``https://``
address: ``validate_web_url`` refuses anything else on save. Rows stored before
that rule (or written past validation) may still hold another scheme, such as
``javascript:``; ``web_url`` is what every template, the Markdown renderer and the
admin ask before making such a value a link, so it is never one.
"""

from __future__ import annotations

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")

_validator = URLValidator(
    schemes=list(WEB_SCHEMES),
    message=_("Enter a web address starting with http:// or https://."),
)


def validate_web_url(value: str) -> None:
    """Model field validator: ``value`` is an http(s) URL (blank fields skip it)."""
    _validator(value)


def web_url(url: object) -> str:
    """``url`` if it is an http(s) address, else "" (never a link then).

    The value must start with the scheme itself: browsers drop leading spaces and
    control characters, so anything before it could hide another scheme.
    """
    text = str(url or "")
    if text[:8].lower().startswith(tuple(f"{scheme}://" for scheme in WEB_SCHEMES)):
        return text
    return ""
