"""schema.org JSON-LD for the public pages: what each record says, and nothing more.

Each builder returns a plain dict from a record the page already loaded (no
queries of its own beyond what the page's selector prefetched). Only what the
record states is claimed: no author unless the source names one, no date a source
does not give at that precision, the AI-generated and machine-translated flags as
the source sets them (``creativeWorkStatus``), a translation the archive made
marked as a ``translationOfWork`` of the original text. ``json_ld_script`` writes a
dict as a ``<script type="application/ld+json">`` data block that no text (a title
holding ``</script>``) can end early.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from archive import names
from archive.languages import LANGUAGE_CODES, bcp47, field_text, local_text
from archive.links import web_url
from archive.models import Article, Event, Image, Person

CONTEXT = "https://schema.org"

# A plain calendar date of one precision (1993, 1993-04, 1993-04-12): schema.org's
# Date (ISO 8601). Approximate, uncertain and partial EDTF dates are not.
_PLAIN_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")

# The characters that could end a <script> element or open a comment in it,
# written as JSON escapes: the parsed data is unchanged (django.utils.html's
# json_script does the same for type="application/json").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

Absolute = Callable[[str], str]


def json_ld_script(data: dict) -> SafeString:
    """``data`` as a JSON-LD data block, safe inside HTML whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(
        _SCRIPT_ESCAPES
    )
    # Safe: every character that could end the element is escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def plain_excerpt(text: str, length: int = 200) -> str:
    """A short plain-text excerpt (tags dropped, whitespace folded)."""
    return Truncator(" ".join(strip_tags(text).split())).chars(length)


def website(*, name: str, url: str) -> dict:
    return {"@type": "WebSite", "name": name, "url": url}


def _image_url(image: Image | None, absolute: Absolute) -> str:
    """Our archived copy's address; a remote-only image is not ours to offer."""
    if image is None or not image.file:
        return ""
    return absolute(image.file.url)


def _status(article: Article) -> str:
    """What the source says of how its text was made, for ``creativeWorkStatus``."""
    parts = []
    if article.ai_generated:
        model = article.generator_model
        parts.append(f"AI-generated ({model})" if model else "AI-generated")
    if article.machine_translated:
        source = article.translated_from
        parts.append(
            f"machine-translated from {bcp47(source)}"
            if source
            else "machine-translated"
        )
    return "; ".join(parts)


def article(
    item: Article,
    *,
    shown: str,
    url_in: Callable[[str], str],
    absolute: Absolute,
    site: dict,
) -> dict:
    """The article's text in ``shown`` as a schema.org Article.

    The original-language text is the work (``isBasedOn`` the source's address,
    with its date, author and publisher as the source gives them); a translation
    the archive made is a ``translationOfWork`` of it; the original lists its
    translations (``workTranslation``). ``url_in(code)`` is the article's absolute
    address in a language.
    """
    original = item.original_language

    def work_ref(code: str) -> dict:
        ref = {
            "@type": "Article",
            "@id": f"{url_in(code)}#article",
            "url": url_in(code),
            "inLanguage": bcp47(code),
        }
        headline = field_text(item, "title", code)
        if headline:
            ref["headline"] = headline
        return ref

    data: dict = {
        "@context": CONTEXT,
        **work_ref(shown),
        "isPartOf": site,
    }
    summary = field_text(item, "summary", shown)
    if summary:
        data["description"] = plain_excerpt(summary, 300)
    image = _image_url(item.cover_image, absolute)
    if image:
        data["image"] = image
    if item.rights_statement:
        data["license"] = item.rights_statement
    if shown == original:
        if item.published_local:
            data["datePublished"] = item.published_local.isoformat()
        author = field_text(item, "author", original)
        publisher = field_text(item, "publisher", original)
        if author:
            # A source whose author is its publisher (a WeChat account writing
            # as itself) names an organisation, not a person.
            kind = "Organization" if author == publisher else "Person"
            data["author"] = {"@type": kind, "name": author}
        if publisher:
            data["publisher"] = {"@type": "Organization", "name": publisher}
        source = web_url(item.original_url)
        if source:
            data["isBasedOn"] = source
        status = _status(item)
        if status:
            data["creativeWorkStatus"] = status
        translations = [
            work_ref(code) for code in item.available_languages if code != original
        ]
        if translations:
            data["workTranslation"] = translations
    else:
        work = work_ref(original)
        if item.published_local:
            work["datePublished"] = item.published_local.isoformat()
        source = web_url(item.original_url)
        if source:
            work["isBasedOn"] = source
        status = _status(item)
        if status:
            work["creativeWorkStatus"] = status
        data["translationOfWork"] = work
        data["isBasedOn"] = work["@id"]
    return data


def person(item: Person, *, url: str, absolute: Absolute) -> dict:
    """A schema.org Person: names in every script, their links as ``sameAs``
    (prefetched ``links`` and ``alternative_names``)."""
    name = local_text(item, "name")
    data: dict = {
        "@context": CONTEXT,
        "@type": "Person",
        "@id": f"{url}#person",
        "url": url,
        "name": name.text,
    }
    others = [
        text
        for code in dict.fromkeys([item.original_language, *LANGUAGE_CODES])
        if (text := field_text(item, "name", code)) and text != name.text
    ]
    # A spelling that differs only in its name dot is the same name (archive.names).
    seen = {names.with_policy_dots(text) for text in [name.text, *others]}
    for other in item.alternative_names.all():
        if names.with_policy_dots(other.name) not in seen:
            seen.add(names.with_policy_dots(other.name))
            others.append(other.name)
    if others:
        data["alternateName"] = others
    bio = local_text(item, "bio")
    if bio:
        data["description"] = plain_excerpt(bio.text, 300)
    same_as = [url for link in item.links.all() if (url := web_url(link.url))]
    if same_as:
        data["sameAs"] = same_as
    image = _image_url(item.portrait, absolute)
    if image:
        data["image"] = image
    return data


def edtf_dates(value: str) -> dict[str, str]:
    """``startDate``/``endDate`` for an EDTF date, only at a precision schema.org
    can say: ``1993-04`` → start; ``2011/2016`` → start and end; ``2015-11~`` (an
    approximate date) or ``[2016..2018]`` → nothing."""
    if _PLAIN_DATE.match(value or ""):
        return {"startDate": value}
    start, slash, end = (value or "").partition("/")
    if slash and _PLAIN_DATE.match(start) and _PLAIN_DATE.match(end):
        return {"startDate": start, "endDate": end}
    return {}


def event(item: Event, *, url: str) -> dict:
    """A schema.org Event with its date at its real precision (if ISO can say it)."""
    data: dict = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": f"{url}#event",
        "url": url,
        "name": local_text(item, "title").text,
        **edtf_dates(item.date),
    }
    description = local_text(item, "description")
    if description:
        data["description"] = plain_excerpt(description.text, 300)
    return data


def image(item: Image, *, url: str, absolute: Absolute, title: str) -> dict:
    """A schema.org ImageObject: our copy (with its checksum and size) and the
    address the source published it at (``isBasedOn``)."""
    data: dict = {
        "@context": CONTEXT,
        "@type": "ImageObject",
        "@id": f"{url}#image",
        "url": url,
        "name": title,
    }
    content = _image_url(item, absolute)
    if content:
        data["contentUrl"] = content
        if item.width and item.height:
            data["width"] = item.width
            data["height"] = item.height
        if item.sha256:
            data["sha256"] = item.sha256
    source = web_url(item.source_url)
    if source:
        data["isBasedOn"] = source
    caption = local_text(item, "caption")
    if caption:
        data["caption"] = caption.text
    alt = local_text(item, "alt_text")
    if alt:
        data["description"] = alt.text
    credit = local_text(item, "credit")
    if credit:
        data["creditText"] = credit.text
    if item.rights_statement:
        data["license"] = item.rights_statement
    return data
