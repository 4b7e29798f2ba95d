"""Reading source documents: detect the format, split metadata from the body.

Two formats are known (DESIGN.md): Markdown with YAML front matter, and a WeChat
article export (``# title``, header lines such as ``文章作者:``, then the body).
The raw text is kept exactly as received (``SourceDocument.raw``: a byte-order
mark and CRLF line endings included, so it encodes back to the file's bytes);
the format, metadata and body are read from a copy without the byte-order mark
and with LF line endings. The body is otherwise exactly as it stands in the
file: nothing is re-wrapped, trimmed inside, or changed.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field

import yaml

from archive.languages import normalise_language

FRONT_MATTER = "front-matter"
WECHAT = "wechat"

# WeChat export header labels → our metadata names.
WECHAT_HEADERS = {
    "文章作者": "author",
    "发布时间": "published",
    # The place WeChat displays with a post, not the publisher's location.
    "发布地": "posting_location",
    "原文链接": "original_url",
    "封面图链接": "cover_image_url",
}
# WeChat shows times in China Standard Time.
WECHAT_TIMEZONE = "Asia/Shanghai"

_FRONT_MATTER_RE = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
_WECHAT_HEADER_RE = re.compile(r"^(?P<label>[^\s:：]+)\s*[:：]\s*(?P<value>.*)$")


BYTE_ORDER_MARK = "\ufeff"


class SourceError(ValueError):
    """The document is not in a format we can read; the message says why."""


def decode_source(data: bytes) -> str:
    """A source file's bytes as text, strictly UTF-8 and otherwise unchanged.

    A byte-order mark and CR characters are kept, so that the text encodes back
    to exactly ``data``; anything not UTF-8 raises ``SourceError``.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save the file as UTF-8 and import it again"
        ) from exc


def readable_copy(raw: str) -> str:
    """``raw`` without a leading byte-order mark and with LF line endings."""
    text = raw.removeprefix(BYTE_ORDER_MARK)
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class SourceDocument:
    """What a source file says: its format, metadata, title, body and fixity."""

    format: str
    title: str
    body: str
    raw: str  # as received, byte-order mark and line endings included
    metadata: dict = field(default_factory=dict)
    language: str = ""

    @property
    def sha256(self) -> str:
        """The SHA-256 of the raw text's UTF-8 bytes: the file's, when ``raw`` came
        from ``decode_source``."""
        return hashlib.sha256(self.raw.encode("utf-8")).hexdigest()

    @property
    def published_at(self) -> datetime.datetime | None:
        """The publication time as an aware datetime, if the source gives one."""
        value = self.metadata.get("published")
        if not value:
            return None
        if isinstance(value, datetime.datetime):
            parsed = value
        else:
            try:
                parsed = datetime.datetime.fromisoformat(str(value))
            except ValueError as exc:
                raise SourceError(f"unreadable publication time {value!r}") from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zoneinfo.ZoneInfo(self.timezone or "UTC"))
        return parsed

    @property
    def timezone(self) -> str:
        return WECHAT_TIMEZONE if self.format == WECHAT else ""


def parse_source(raw: str) -> SourceDocument:
    """Detect the format of ``raw`` and split it; raise SourceError if unknown.

    ``raw`` is kept as given in the result; it is read through ``readable_copy``.
    """
    text = readable_copy(raw)
    if not text.strip():
        raise SourceError("the document is empty")
    if "\x00" in text:
        raise SourceError("the document contains NUL characters (is it a binary file?)")
    if text.startswith("---\n"):
        return _parse_front_matter(text, raw)
    if text.startswith("# "):
        return _parse_wechat(text, raw)
    raise SourceError(
        "unknown format: expected YAML front matter (---) or a WeChat export (# title)"
    )


def _parse_front_matter(text: str, raw: str) -> SourceDocument:
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        raise SourceError("front matter opened with --- but never closed")
    try:
        metadata = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as exc:
        raise SourceError(
            f"front matter is not valid YAML: {exc}".splitlines()[0]
        ) from exc
    if not isinstance(metadata, dict):
        raise SourceError("front matter must be a mapping of names to values")
    body = text[match.end() :].lstrip("\n")
    return SourceDocument(
        format=FRONT_MATTER,
        title=str(metadata.get("title", "")).strip(),
        body=body,
        raw=raw,
        metadata=metadata,
        language=_language(metadata.get("lang")),
    )


def _language(value: object) -> str:
    """The front matter's ``lang`` as one of our language codes ("" if absent)."""
    if value is None or not str(value).strip():
        return ""
    try:
        return normalise_language(str(value))
    except ValueError as exc:
        raise SourceError(f"front matter {exc}") from exc


def _parse_wechat(text: str, raw: str) -> SourceDocument:
    lines = text.split("\n")
    title = lines[0][2:].strip()
    metadata: dict[str, str] = {}
    index = 1
    # Header: blank lines and "label: value" lines whose label we know.
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        match = _WECHAT_HEADER_RE.match(line)
        if not match or match["label"] not in WECHAT_HEADERS:
            break
        metadata[WECHAT_HEADERS[match["label"]]] = match["value"].strip()
        index += 1
    if not metadata:
        raise SourceError(
            "a '# title' line but no WeChat header lines (文章作者:, 发布时间: …)"
        )
    body = "\n".join(lines[index:])
    return SourceDocument(
        format=WECHAT,
        title=title,
        body=body,
        raw=raw,
        metadata=metadata,
        # WeChat exports are in Simplified Chinese.
        language="zh-hans",
    )
