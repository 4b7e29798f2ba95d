"""What a page tells search engines and link previews about itself.

``PageMeta`` is filled by each view (``PageMixin.get_page_meta``) and printed by
``templates/includes/head_meta.html``: the meta description (every page type has
one), OpenGraph and Twitter card tags and the page's schema.org JSON-LD
(``archive.structured_data``). A description comes from the item's own text only
when that text is in the page's language; otherwise from a sentence in the page's
language, so a search result never mixes languages under one ``lang``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

from archive.languages import LocalText
from archive.structured_data import plain_excerpt

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class PageMeta:
    """The head metadata of one page."""

    title: str
    description: str
    # OpenGraph type: website, article, profile.
    og_type: str = "website"
    # Absolute address of an image we hold a copy of ("" when none).
    image_url: str = ""
    image_alt: str = ""
    json_ld: SafeString | str = ""
    # OpenGraph article:* properties (name → value), e.g. published_time.
    article: dict[str, str] = field(default_factory=dict)

    @property
    def og_locale(self) -> str:
        return to_locale(get_language() or settings.LANGUAGE_CODE)

    @property
    def og_locale_alternates(self) -> list[str]:
        current = get_language() or settings.LANGUAGE_CODE
        return [
            to_locale(code) for code, _name in settings.LANGUAGES if code != current
        ]

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image_url else "summary"


def description_from(*texts: LocalText | None, fallback: str) -> str:
    """The first of ``texts`` written in the page's language, shortened; else
    ``fallback`` (a sentence in the page's language)."""
    for text in texts:
        if text and not text.is_foreign:
            return plain_excerpt(text.text, DESCRIPTION_LENGTH)
    return str(fallback)
