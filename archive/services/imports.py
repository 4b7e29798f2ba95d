"""Importing a source document as an article: find it, apply it, attach its cover."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from reversion import create_revision, set_comment

from archive import languages
from archive.models import Article, Image
from archive.models.common import localized
from archive.revisions import IMPORTED_COMMENT
from archive.services.publishing import publish_articles
from archive.sources import FRONT_MATTER, WECHAT, SourceDocument, parse_source


@dataclass
class ImportResult:
    article: Article
    created: bool


def _language(doc: SourceDocument) -> str:
    """The document's language as ours; one that names none is in LANGUAGE_CODE."""
    return languages.normalise_language(doc.language or languages.DEFAULT_LANGUAGE)


def _json_safe(metadata: dict) -> dict:
    return {
        key: value.isoformat()
        if isinstance(value, datetime.date | datetime.datetime)
        else value
        for key, value in metadata.items()
    }


@transaction.atomic
def import_source(path: Path, *, publish: bool = False) -> ImportResult:
    """Create or update the Article for the source document at ``path``.

    The same source (same file name, same original URL, or same content) updates
    its article instead of adding another; only the original-language text and the
    source metadata are touched, never translations or editorial links. With
    ``publish`` the article is published through ``publish_articles``. The whole
    import is one revision, "Imported from <file name>".
    """
    with create_revision():
        result = _import_source(path, publish=publish)
        # After the import: publishing inside it sets a comment of its own.
        set_comment(IMPORTED_COMMENT.format(name=path.name))
    return result


def _import_source(path: Path, *, publish: bool) -> ImportResult:
    raw = path.read_text(encoding="utf-8")
    doc = parse_source(raw)
    language = _language(doc)
    article = find_source_article(path, doc)
    created = article is None
    if created:
        article = Article(key=new_article_key(path, doc), original_language=language)
    apply_source(article, path, doc, language)
    article.full_clean()
    article.save()
    attach_cover(article, doc, language)
    if publish:
        publish_articles([article])
    return ImportResult(article=article, created=created)


def _original_url(doc: SourceDocument) -> str:
    meta = doc.metadata
    return str(meta.get("original_url") or meta.get("source_url") or "")


def find_source_article(path: Path, doc: SourceDocument) -> Article | None:
    """The article already imported from this source (same file name, original
    URL or content), oldest first, or None."""
    match = Q(source_filename=path.name) | Q(source_sha256=doc.sha256)
    original_url = _original_url(doc)
    if original_url:
        match |= Q(original_url=original_url)
    return Article.objects.filter(match).order_by("pk").first()


def new_article_key(path: Path, doc: SourceDocument) -> str:
    """A key no article uses yet, from the title (or the file name)."""
    base = slugify(doc.title) or slugify(path.stem) or "article"
    key, n = base[:90], 2
    while Article.objects.filter(key=key).exists():
        key, n = f"{base[:85]}-{n}", n + 1
    return key


def apply_source(
    article: Article, path: Path, doc: SourceDocument, language: str
) -> None:
    """Copy the document's original-language text and metadata onto ``article``
    (unsaved); translations and editorial fields are left alone."""
    meta = doc.metadata
    article.original_language = language
    setattr(article, localized("title", language), doc.title or path.stem)
    setattr(article, localized("body", language), doc.body)
    article.source_document = doc.raw
    article.source_filename = path.name
    article.source_format = {FRONT_MATTER: "front-matter", WECHAT: "wechat"}[doc.format]
    article.source_metadata = _json_safe(meta)
    article.original_url = _original_url(doc) or article.original_url
    if doc.format == FRONT_MATTER:
        article.ai_generated = bool(meta.get("generated", article.ai_generated))
        article.machine_translated = bool(meta.get("translated", False))
        article.generator_model = str(meta.get("model") or "")
    for field in ("author", "publisher", "place"):
        if meta.get(field):
            setattr(article, localized(field, language), str(meta[field]))
    if doc.published_at:
        article.published_at = doc.published_at
        article.published_timezone = doc.timezone


def attach_cover(article: Article, doc: SourceDocument, language: str) -> None:
    """Record the document's cover image (by its remote address) as the article's
    cover, unless the article already has one."""
    cover = doc.metadata.get("cover_image_url")
    if not cover or article.cover_image_id:
        return
    image, _ = Image.objects.get_or_create(
        source_url=cover,
        article=article,
        defaults={
            "key": f"{article.key}-cover"[:100],
            "position": 0,
            "original_language": language,
            "decorative": False,
        },
    )
    article.cover_image = image
    article.save(update_fields=["cover_image"])
