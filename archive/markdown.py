"""The public site's Markdown: article bodies rendered to sanitised HTML.

Bodies are stored verbatim as their sources gave them (CommonMark with WeChat's
habits: two-space hard breaks, lines wrapped mid-sentence, images inside
paragraphs). Rendering goes in three steps:

1. markdown-it-py parses with the CommonMark preset and raw HTML turned off;
2. the token stream is adjusted: every image standing in a paragraph becomes a
   block-level figure in place (``<figure>`` may not live in ``<p>``), and soft
   breaks between two East Asian characters render as nothing;
3. nh3 sanitises the HTML against an explicit allow-list.

Figures are rendered by ``templates/includes/figure.html`` (autoescaped): our
archived copy when we have one, otherwise a placeholder that links to the
remote original. The site never shows a remote image.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

from archive.languages import bcp47, display_language
from archive.links import web_url
from archive.renditions import FIGURE_SIZES, srcset

if TYPE_CHECKING:
    from archive.models import Image

EXTERNAL_REL = "noopener noreferrer nofollow"
# The alt text of an image no one has described yet (Image.description_pending).
DESCRIPTION_PENDING = _("Description pending")
FIGURE_TEMPLATE = "includes/figure.html"

_BREAKS = frozenset({"softbreak", "hardbreak"})
# Inline tokens that contribute no characters of their own (looked through, with
# empty text tokens, when deciding what surrounds a soft break).
_MARKUP = frozenset(
    {"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"}
    | {"link_open", "link_close"}
)
# Hangul is written with spaces between words, so a line break there is a space.
_HANGUL = re.compile(
    "[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]"
)

# -- the allow-list ------------------------------------------------------------
ALLOWED_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "del", "s"}
    | {"code", "pre", "blockquote", "ul", "ol", "li", "a", "figure", "figcaption"}
    | {"img", "table", "thead", "tbody", "tr", "th", "td", "span"}
)
ALLOWED_ATTRIBUTES = {
    # Explicitly none on every tag: ammonia otherwise allows lang and title anywhere.
    "*": set(),
    "a": {"href", "title", "hreflang"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "figure": {"figure", "figure--missing"},
    "p": {"figure__placeholder"},
    "span": {"figure__notice", "image-missing"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements that carry text of their own may say which language it is in.
_LANG_TAGS = ("figcaption", "img", "span")


def _allowed_values() -> dict[str, dict[str, set[str]]]:
    """Attributes restricted to exact values (never listed in ALLOWED_ATTRIBUTES)."""
    languages = {bcp47(code) for code, _name in settings.LANGUAGES}
    values: dict[str, dict[str, set[str]]] = {
        tag: {"lang": languages} for tag in _LANG_TAGS
    }
    values["a"] = {"rel": {EXTERNAL_REL}}
    values["img"].update({"loading": {"lazy"}, "decoding": {"async"}})
    return values


def is_own_url(url: str) -> bool:
    """True for URLs this site serves itself: relative paths, under MEDIA_URL or
    STATIC_URL (which may be absolute when media sit behind a CDN), or on the
    media storage's own origins (``settings.MEDIA_ORIGINS``: a bucket, its custom
    domain)."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    if f"{parts.scheme}://{parts.netloc}" in settings.MEDIA_ORIGINS:
        return True
    return any(
        prefix and url.startswith(prefix) and urlsplit(prefix).netloc
        for prefix in (str(settings.MEDIA_URL), str(settings.STATIC_URL))
    )


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # The CSP forbids remote images and the site must work offline.
    if element == "img" and attribute == "src" and not is_own_url(value):
        return None
    if element == "img" and attribute == "srcset":
        urls = [candidate.strip().split(" ")[0] for candidate in value.split(",")]
        if not all(url and is_own_url(url) for url in urls):
            return None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values=_allowed_values(),
        attribute_filter=_filter_attribute,
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        # rel is set by the renderer on external links only (see _render_link_open).
        link_rel=None,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


def sanitize(html: str) -> str:
    """Clean ``html`` against the allow-list above."""
    return _cleaner().clean(html)


# -- CJK-aware soft breaks -----------------------------------------------------
def is_east_asian(char: str) -> bool:
    """Wide, fullwidth or halfwidth (Han, kana, CJK punctuation, fullwidth forms),
    not Hangul: the characters CSS Text 3 §4.1.3 joins across a line break."""
    return unicodedata.east_asian_width(char) in {"W", "F", "H"} and not _HANGUL.match(
        char
    )


def _neighbour_char(children: Sequence[Token], idx: int, step: int) -> str:
    """The character next to ``children[idx]`` looking back (-1) or forward (+1),
    through emphasis and link markup; "" at a line, image or paragraph edge."""
    i = idx + step
    while 0 <= i < len(children):
        token = children[i]
        if token.type in ("text", "code_inline") and token.content:
            return token.content[-1] if step < 0 else token.content[0]
        if token.type not in _MARKUP and token.type != "text":
            return ""
        i += step
    return ""


def joins_without_space(children: Sequence[Token], idx: int) -> bool:
    """True when the soft break at ``idx`` sits between two East Asian characters."""
    before = _neighbour_char(children, idx, -1)
    after = _neighbour_char(children, idx, +1)
    return bool(before and after) and is_east_asian(before) and is_east_asian(after)


# -- images as figures ---------------------------------------------------------
def _is_blank(token: Token) -> bool:
    return token.type in _BREAKS or (token.type == "text" and not token.content.strip())


def _trim(segment: list[Token]) -> list[Token]:
    """Drop the breaks and blank text a split leaves dangling at either edge."""
    while segment and _is_blank(segment[0]):
        segment.pop(0)
    while segment and _is_blank(segment[-1]):
        segment.pop()
    if segment and segment[0].type == "text":
        segment[0] = segment[0].copy(content=segment[0].content.lstrip())
    if segment and segment[-1].type == "text":
        segment[-1] = segment[-1].copy(content=segment[-1].content.rstrip())
    return segment


def _split_inline(children: list[Token]) -> list[list[Token] | Token] | None:
    """Runs of inline tokens and the images between them, or None when no image
    stands at the paragraph's top level (inside emphasis or a link an image stays
    inline)."""
    parts: list[list[Token] | Token] = []
    run: list[Token] = []
    depth = 0
    found = False
    for token in children:
        if token.type == "image" and depth == 0:
            parts.extend([run, token])
            run, found = [], True
            continue
        depth += token.nesting
        run.append(token)
    parts.append(run)
    return parts if found else None


def split_figures(tokens: list[Token]) -> list[Token]:
    """Lift every top-level image out of its paragraph as a ``figure`` block token,
    keeping the text before and after it, in order, as paragraphs of their own."""
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        inline = tokens[i + 1] if i + 2 < len(tokens) else None
        parts = None
        if token.type == "paragraph_open" and inline and inline.type == "inline":
            parts = _split_inline(inline.children or [])
        if parts is None:
            result.append(token)
            i += 1
            continue
        closing = tokens[i + 2]
        for part in parts:
            if isinstance(part, Token):
                result.append(
                    Token(
                        "figure",
                        "figure",
                        0,
                        level=token.level,
                        block=True,
                        map=token.map,
                        attrs=dict(part.attrs),
                        content=part.content,
                    )
                )
            elif segment := _trim(part):
                result.extend(
                    [token.copy(), inline.copy(children=segment), closing.copy()]
                )
        i += 3
    return result


def figure_context(
    url: str, image: Image | None, language: str, markdown_alt: str = ""
) -> dict[str, Any]:
    """What ``includes/figure.html`` needs to show ``url`` to a ``language`` reader.

    The caption and alt text come from the Image in the visitor's language when it
    has them, otherwise in the image's original language (then ``text_lang`` names
    it). Without an Image, the Markdown's own alt text is all we know.
    """
    text_lang = ""
    alt = caption = ""
    decorative = pending = False
    if image is not None:
        shown = display_language(image, language)
        alt = image.text("alt_text", shown)
        caption = image.text("caption", shown) or image.text("title", shown)
        decorative = image.decorative
        pending = image.description_pending and not decorative and not alt
        if shown != language:
            text_lang = bcp47(shown)
    if not alt and not caption and not decorative and markdown_alt:
        alt, text_lang = markdown_alt, ""
    alt_lang = text_lang
    if pending and not alt:
        # Said in the reader's language (the template renders the lazy string).
        alt, alt_lang = DESCRIPTION_PENDING, ""
    file_url = image.file.url if image is not None and image.file else ""
    archived = bool(file_url) and is_own_url(file_url)
    # Only http(s) addresses become links (archive.links), whatever is stored.
    remote = web_url(url)
    if image is not None and not remote:
        remote = web_url(image.source_url)
    return {
        "archived": archived,
        "src": file_url if archived else "",
        "srcset": srcset(image) if archived else "",
        "sizes": FIGURE_SIZES,
        "width": image.width if archived else None,
        "height": image.height if archived else None,
        "alt": "" if decorative else alt,
        "alt_lang": alt_lang,
        "caption": caption,
        # Placeholders describe the missing picture in words.
        "description": caption or ("" if decorative else alt),
        "description_lang": text_lang if caption else alt_lang,
        "text_lang": text_lang,
        "remote_url": remote,
        "external_rel": EXTERNAL_REL,
    }


class _Renderer:
    """Per-call state for markdown-it's render rules: the images and language."""

    def __init__(self, images: Mapping[str, Image], language: str) -> None:
        self.images = dict(images)
        self.language = language
        self.template = get_template(FIGURE_TEMPLATE)

    def lookup(self, src: str) -> Image | None:
        # markdown-it percent-encodes src; keys are as written in the Markdown.
        if src in self.images:
            return self.images[src]
        return self.normalised.get(src)

    @functools.cached_property
    def normalised(self) -> dict[str, Image]:
        return {_MD.normalizeLink(url): image for url, image in self.images.items()}

    def render_figure(self, token: Token, *, inline: bool) -> str:
        src = str(token.attrs.get("src", ""))
        context = figure_context(src, self.lookup(src), self.language, token.content)
        context["inline"] = inline
        # The placeholder's words are in the reader's language, whatever is active.
        with translation.override(self.language):
            return self.template.render(context).strip()


def _render_figure(self, tokens, idx, options, env) -> str:
    return env["renderer"].render_figure(tokens[idx], inline=False) + "\n"


def _render_image(self, tokens, idx, options, env) -> str:
    # Images left inside headings, emphasis, links or table cells stay phrasing.
    return env["renderer"].render_figure(tokens[idx], inline=True)


def _render_softbreak(self, tokens, idx, options, env) -> str:
    return "" if joins_without_space(tokens, idx) else "\n"


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if urlsplit(str(token.attrs.get("href", ""))).scheme in ("http", "https"):
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.add_render_rule("figure", _render_figure)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("softbreak", _render_softbreak)
    md.add_render_rule("link_open", _render_link_open)
    return md


_MD = _build()


def render_markdown(
    text: str, *, images: Mapping[str, Image] | None = None, language: str | None = None
) -> SafeString:
    """Render an article body to sanitised HTML for a ``language`` reader.

    ``images`` maps image URLs as written in the Markdown to Image rows; URLs it
    lacks render as "not archived" placeholders.
    """
    env = {"renderer": _Renderer(images or {}, language or get_language() or "en")}
    tokens = split_figures(_MD.parse(text or "", env))
    for token in tokens:
        # The page's title is its only <h1>: a body's own top-level headings
        # become <h2>, keeping the outline valid.
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = _MD.renderer.render(tokens, _MD.options, env)
    # Safe only because nh3 has just cleaned it against the allow-list.
    return mark_safe(sanitize(html))
