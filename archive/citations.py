"""Citations of an article: one record read from the article in a reader's language
(``citation_record``), written four ways from that record alone: a formatted
citation (citeproc-py with the archive's CSL style, ``archive/csl/``), CSL-JSON,
BibTeX (biblatex ``@online``) and RIS.

What a citation says is what the archive records, never more: the author as recorded
(none invented: without one, the style puts the publisher or account first, as an
organisation, or starts with the title), the title in its original language with the
reader's translation beside it when the archive has one, the publisher, the original
date (in the source's own time zone) and link, the archive's page and the day the
reader accessed it, and the article's AI-generated / machine-translated flags as a
note.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, override, pgettext

from archive.languages import bcp47, field_text, language_name, local_text
from archive.models import Article

STYLE_PATH = Path(__file__).resolve().parent / "csl" / "radford-archive.csl"

# The CSL locale (shipped with citeproc-py) each site language formats with.
CSL_LOCALES = {"en": "en-US", "ja": "ja-JP", "zh-hans": "zh-CN"}
DEFAULT_CSL_LOCALE = "en-US"

# Downloads: file extension → content type.
FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


@dataclass(frozen=True)
class CitationRecord:
    """What a citation of one article says, in one reader's language."""

    key: str
    language: str  # the reader's (site) language code
    authors: tuple[str, ...]
    author_language: str
    title: str  # in the article's original language
    title_language: str  # BCP 47
    translated_title: str  # in the reader's language; "" when none or the same
    container: str  # publisher / account
    container_language: str
    issued: date | None
    original_url: str
    archive_name: str
    archive_url: str
    archived: date | None
    accessed: date
    note: str


def citation_record(
    article: Article, *, language: str, archive_url: str, accessed: date | None = None
) -> CitationRecord:
    """The citation of ``article`` for a reader of ``language``; ``archive_url`` is
    the absolute address of its page here."""
    original = article.original_language
    title = field_text(article, "title", original) or str(
        local_text(article, "title", language)
    )
    translated = ""
    if language != original:
        translated = field_text(article, "title", language)
        if translated == title:
            translated = ""
    author = local_text(article, "author", language)
    publisher = local_text(article, "publisher", language)
    moment = article.published_local
    with override(language):
        archive_name = gettext("Radford Archive")
        note = _flags_note(article)
    return CitationRecord(
        key=citation_key(article.key),
        language=language,
        authors=(_one_line(author.text),) if author else (),
        author_language=bcp47(author.language),
        title=_one_line(title),
        title_language=bcp47(original),
        translated_title=_one_line(translated),
        container=_one_line(publisher.text),
        container_language=bcp47(publisher.language),
        issued=moment.date() if moment else None,
        original_url=article.original_url,
        archive_name=archive_name,
        archive_url=archive_url,
        archived=(
            timezone.localdate(article.published_on_site)
            if article.published_on_site
            else None
        ),
        accessed=accessed or timezone.localdate(),
        note=note,
    )


def _flags_note(article: Article) -> str:
    """The article's own flags, said in the active language ("" when neither)."""
    parts = []
    if article.ai_generated:
        if article.generator_model:
            parts.append(
                pgettext("citation note", "AI-generated (%(model)s)")
                % {"model": article.generator_model}
            )
        else:
            parts.append(pgettext("citation note", "AI-generated"))
    if article.machine_translated:
        if article.translated_from:
            parts.append(
                pgettext("citation note", "machine-translated from %(language)s")
                % {"language": language_name(article.translated_from)}
            )
        else:
            parts.append(pgettext("citation note", "machine-translated"))
    return pgettext("citation note separator", "; ").join(parts)


def citation_key(key: str) -> str:
    """A citation key (and file name) every BibTeX tool accepts: ASCII letters,
    digits, ``-`` and ``_``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "article"


def _one_line(text: str) -> str:
    """Line breaks (and the runs of space around them) as one space."""
    return re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", text).strip()


def _date_parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


# -- CSL-JSON -------------------------------------------------------------------------
def csl_item(record: CitationRecord) -> dict:
    """The record as one CSL-JSON item (the citeproc-js / Zotero data model)."""
    item: dict = {
        "id": record.key,
        "type": "webpage",
        "title": record.title,
        "language": record.title_language,
    }
    if record.authors:
        item["author"] = [{"literal": name} for name in record.authors]
    if record.container:
        item["container-title"] = record.container
    if record.issued:
        item["issued"] = _date_parts(record.issued)
    if record.original_url:
        item["URL"] = record.original_url
    item["archive"] = record.archive_name
    item["archive_location"] = record.archive_url
    item["accessed"] = _date_parts(record.accessed)
    if record.note:
        item["note"] = record.note
    if record.translated_title or record.archived:
        # CSL-JSON's place for data without a field of its own (schema 1.0.2).
        custom: dict = {}
        if record.translated_title:
            custom["translated-title"] = record.translated_title
            custom["translated-title-language"] = bcp47(record.language)
        if record.archived:
            custom["archived"] = record.archived.isoformat()
        item["custom"] = custom
    return item


def to_csl_json(record: CitationRecord) -> str:
    """A CSL-JSON file: an array of one item, UTF-8 as it is."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


# -- formatted ------------------------------------------------------------------------
_render_lock = threading.Lock()


@functools.cache
def _style(csl_locale: str) -> CitationStylesStyle:
    """The archive's style with one locale, parsed and validated once a process."""
    return CitationStylesStyle(str(STYLE_PATH), locale=csl_locale, validate=True)


def format_citation(record: CitationRecord) -> SafeString:
    """The citation as HTML, formatted by citeproc-py in the record's language.

    citeproc-py's HTML formatter copies text as given, so every value is escaped
    before it goes in: the output holds no markup but the style's own and the
    ``lang`` of the original title.
    """
    item = csl_item(record)
    for name in ("custom", "language"):
        item.pop(name, None)
    # Read by people: the archive's address as its readable IRI (a Japanese or
    # Chinese slug as written, not percent-encoded); the files keep the URI.
    item["archive_location"] = uri_to_iri(record.archive_url)
    if record.authors == (record.container,):
        # An account that signs its own posts is named once (as APA and Chicago do
        # when author and site are the same).
        item.pop("container-title", None)
    title = html.escape(record.title)
    if record.translated_title:
        item["title"] = (
            f"{record.title} {_bracketed(record.translated_title, record.language)}"
        )
    escaped = _escape_values(item)
    locale = CSL_LOCALES.get(record.language, DEFAULT_CSL_LOCALE)
    with _render_lock:
        bibliography = CitationStylesBibliography(
            _style(locale), CiteProcJSON([escaped]), formatter.html
        )
        bibliography.register(Citation([CitationItem(record.key)]))
        rendered = str(bibliography.bibliography()[0])
    if record.title_language != bcp47(record.language) and title:
        rendered = rendered.replace(
            title, f'<span lang="{record.title_language}">{title}</span>', 1
        )
    # Safe: every value was escaped above; the markup is the style's (<i>) and ours.
    return mark_safe(rendered)


def _bracketed(text: str, language: str) -> str:
    if language in ("ja", "zh-hans"):
        return f"［{text}］"
    return f"[{text}]"


def _escape_values(value):
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escape_values(part) for part in value]
    if isinstance(value, dict):
        return {
            name: part if name in ("id", "type", "date-parts") else _escape_values(part)
            for name, part in value.items()
        }
    return value


# -- BibTeX ---------------------------------------------------------------------------
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("[" + re.escape("".join(_BIBTEX_SPECIALS)) + "]")


def bibtex_escape(text: str) -> str:
    """``text`` as a braced BibTeX value: LaTeX's special characters escaped (so
    braces stay balanced and nothing is read as a comment or a command), UTF-8
    otherwise (biblatex/biber read it as is)."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group()], text)


def _bibtex_url(url: str) -> str:
    """URLs are verbatim fields: only what would unbalance the braces (or end the
    field) is percent-encoded, as a browser would."""
    return (
        url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").strip()
    ).replace(" ", "%20")


def to_bibtex(record: CitationRecord) -> str:
    """A biblatex ``@online`` entry."""
    fields: list[tuple[str, str]] = []
    if record.authors:
        # Double braces: a name as recorded (an account, an organisation) is one
        # name, never split into given and family names.
        authors = " and ".join(f"{{{bibtex_escape(a)}}}" for a in record.authors)
        fields.append(("author", authors))
    fields.append(("title", bibtex_escape(record.title)))
    if record.translated_title:
        fields.append(("titleaddon", bibtex_escape(f"[{record.translated_title}]")))
    if record.container:
        fields.append(("organization", bibtex_escape(record.container)))
    if record.issued:
        fields.append(("date", record.issued.isoformat()))
        fields.append(("year", str(record.issued.year)))
    if record.original_url:
        fields.append(("url", _bibtex_url(record.original_url)))
    fields.append(("urldate", record.accessed.isoformat()))
    fields.append(("langid", record.title_language))
    if record.note:
        fields.append(("note", bibtex_escape(record.note)))
    archived = f"{record.archive_name}, {record.archive_url}"
    if record.archived:
        archived += f" ({record.archived.isoformat()})"
    fields.append(("addendum", bibtex_escape(archived)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{record.key},\n{body}\n}}\n"


# -- RIS ------------------------------------------------------------------------------
def _ris_date(day: date) -> str:
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def to_ris(record: CitationRecord) -> str:
    """An RIS record (``TY  - ELEC``, a web page), lines ending CRLF as the format
    says; each value on one line."""
    lines: list[tuple[str, str]] = [("TY", "ELEC"), ("ID", record.key)]
    lines += [("AU", name) for name in record.authors]
    lines.append(("TI", record.title))
    if record.translated_title:
        lines.append(("TT", record.translated_title))
    if record.container:
        lines.append(("PB", record.container))
    if record.issued:
        lines.append(("PY", str(record.issued.year)))
        lines.append(("DA", _ris_date(record.issued)))
    if record.original_url:
        lines.append(("UR", record.original_url))
    lines.append(("UR", record.archive_url))
    lines.append(("DB", record.archive_name))
    lines.append(("Y2", _ris_date(record.accessed)))
    lines.append(("LA", record.title_language))
    if record.note:
        lines.append(("N1", record.note))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


WRITERS = {"bib": to_bibtex, "ris": to_ris, "json": to_csl_json}
