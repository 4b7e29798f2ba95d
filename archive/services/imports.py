"""Importing a source document as an article: find it, check it, apply it, attach
its cover.

A source's identity: the same content (SHA-256 of the file) is the same source,
whatever the file is called; otherwise a source that names its original URL is
the article with that URL, and one that names none is the article imported from
a file of the same name. Re-importing the same content changes nothing. An import
that would change a found article's original language, or replace the source it
holds with different content, is refused (``ImportRefused``) unless ``replace``
says so. Everything an import writes passes ``full_clean()`` first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from reversion import create_revision, set_comment

from archive import languages
from archive.models import Article, Image
from archive.models.common import localized
from archive.revisions import IMPORTED_COMMENT
from archive.rights import find_rights_notice
from archive.services.publishing import publish_articles
from archive.sources import (
    FRONT_MATTER,
    WECHAT,
    SourceDocument,
    decode_source,
    parse_source,
)

REPLACE_HINT = "give --replace to do so"


class ImportRefused(ValueError):
    """The import would take over an article's source or language; says which."""


@dataclass
class ImportResult:
    article: Article
    created: bool
    changed: bool = True


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
def import_source(
    path: Path, *, publish: bool = False, replace: bool = False
) -> ImportResult:
    """Create or update the Article for the source document at ``path``.

    The same source (see the module's docstring) updates its article instead of
    adding another; only the original-language text and the source metadata are
    touched, never translations or editorial links, and an import that changes
    nothing saves nothing. Without ``replace``, taking over another source or
    original language raises ``ImportRefused``; a record that fails validation
    raises ``ValidationError``; either way nothing is written. With ``publish``
    the article is published through ``publish_articles``. The whole import is one
    revision, "Imported from <file name>".

    The file is kept byte for byte (``source_document`` encodes back to it) and
    ``source_sha256`` is the SHA-256 of its bytes; a file that is not UTF-8 raises
    ``SourceError``.
    """
    with create_revision():
        result = _import_source(path, publish=publish, replace=replace)
        # After the import: publishing inside it sets a comment of its own.
        set_comment(IMPORTED_COMMENT.format(name=path.name))
    return result


def _import_source(path: Path, *, publish: bool, replace: bool) -> ImportResult:
    data = path.read_bytes()
    doc = parse_source(decode_source(data))
    language = _language(doc)
    article = find_source_article(path, doc)
    created = article is None
    if article is None:
        article = Article(key=new_article_key(path, doc), original_language=language)
    elif not replace:
        check_takeover(article, path, doc, language)
    elif article.translations.filter(language=language).exists():
        raise ImportRefused(
            f"refused: article '{article.key}' has a translation record for "
            f"{language}, which would become its original language; delete it first"
        )
    before = _values(article)
    apply_source(article, path, doc, language)
    changed = created or _values(article) != before
    if changed:
        full_clean(article)
        article.save()
    changed = attach_cover(article, doc, language) or changed
    if publish:
        changed = bool(publish_articles([article])) or changed
    return ImportResult(article=article, created=created, changed=changed)


def _original_url(doc: SourceDocument) -> str:
    meta = doc.metadata
    return str(meta.get("original_url") or meta.get("source_url") or "")


def same_content(article: Article, doc: SourceDocument) -> bool:
    """Whether ``article`` already holds exactly this source document."""
    return bool(article.source_sha256) and article.source_sha256 == doc.sha256


def find_source_article(path: Path, doc: SourceDocument) -> Article | None:
    """The article already imported from this source, or None.

    Same content first; then the same original URL when the document names one,
    else the same file name. Two articles sharing that URL or name are ambiguous:
    ``ImportRefused``.
    """
    identical = Article.objects.filter(source_sha256=doc.sha256).order_by("pk")
    if found := identical.first():
        return found
    original_url = _original_url(doc)
    if original_url:
        matches, what = Article.objects.filter(original_url=original_url), "URL"
    else:
        matches, what = Article.objects.filter(source_filename=path.name), "file name"
    keys = list(matches.order_by("pk").values_list("key", flat=True)[:2])
    if len(keys) > 1:
        raise ImportRefused(
            f"refused: articles '{keys[0]}' and '{keys[1]}' share this original "
            f"{what}; correct one of them first"
        )
    return matches.first() if keys else None


def _matched_by(article: Article, path: Path, doc: SourceDocument) -> str:
    if same_content(article, doc):
        return "same content"
    if _original_url(doc):
        return f"same original URL {_original_url(doc)}"
    return f"same file name {path.name}"


def check_takeover(
    article: Article, path: Path, doc: SourceDocument, language: str
) -> None:
    """Refuse an import that would change ``article``'s original language, or
    replace the source it holds (if any) with different content."""
    found = f"article '{article.key}' ({_matched_by(article, path, doc)})"
    if article.original_language != language:
        raise ImportRefused(
            f"refused: this would change the original language of {found} from "
            f"{article.original_language} to {language}; {REPLACE_HINT}"
        )
    if article.source_document and not same_content(article, doc):
        held = article.source_filename or "a source"
        raise ImportRefused(
            f"refused: {found} holds different content ({held}, SHA-256 "
            f"{article.source_sha256[:12]}…); this would replace it; {REPLACE_HINT}"
        )


def new_article_key(path: Path, doc: SourceDocument) -> str:
    """A key no article uses yet, from the title (or the file name)."""
    return _free_key(Article, slugify(doc.title) or slugify(path.stem) or "article")


def _free_key(model: type[models.Model], base: str) -> str:
    key, n = base[:90], 2
    while model._default_manager.filter(key=key).exists():
        key, n = f"{base[:85]}-{n}", n + 1
    return key


def apply_source(
    article: Article, path: Path, doc: SourceDocument, language: str
) -> None:
    """Copy the document's original-language text and metadata onto ``article``
    (unsaved); translations and editorial fields are left alone."""
    meta = doc.metadata
    if article.pk and article.original_language != language:
        # The old source's own text is no translation of the new one.
        for field in ("title", "body"):
            setattr(article, localized(field, article.original_language), "")
    article.original_language = language
    setattr(article, localized("title", language), doc.title or path.stem)
    setattr(article, localized("body", language), doc.body)
    if not same_content(article, doc):
        # The same file under another name is the source already held.
        article.source_filename = path.name
    article.source_document = doc.raw
    # Set here, from the bytes, and never recomputed on save: see verify_fixity.
    article.source_sha256 = doc.sha256
    article.source_format = {FRONT_MATTER: "front-matter", WECHAT: "wechat"}[doc.format]
    article.source_metadata = _json_safe(meta)
    article.original_url = _original_url(doc) or article.original_url
    if doc.format == FRONT_MATTER:
        apply_front_matter_flags(article, meta, language)
    for field in ("author", "publisher", "posting_location"):
        if meta.get(field):
            setattr(article, localized(field, language), str(meta[field]))
    # Articles start as "Copyright Not Evaluated" (the model's default); the
    # source's own notice, when one can be found, is quoted as it stands.
    if notice := find_rights_notice(doc.body):
        article.source_rights_notice = notice
    if doc.published_at:
        article.published_at = doc.published_at
        article.published_timezone = doc.timezone


def apply_front_matter_flags(article: Article, meta: dict, language: str) -> None:
    """What a front matter states about the text: AI generation (and the model),
    machine translation, a subtitle. Only what it states: a flag it does not give
    stays as it was (unknown on a new article), never a guessed "no"."""
    if "generated" in meta:
        article.ai_generated = bool(meta["generated"])
    if "translated" in meta:
        article.machine_translated = bool(meta["translated"])
    if meta.get("model"):
        article.generator_model = str(meta["model"])
    if meta.get("subtitle"):
        setattr(article, localized("subtitle", language), str(meta["subtitle"]))


def attach_cover(article: Article, doc: SourceDocument, language: str) -> bool:
    """Record the document's cover image (by its remote address) as the article's
    cover, unless the article already has one; True if the article changed.

    A new cover has no description yet: it is saved as "description pending".
    """
    cover = str(doc.metadata.get("cover_image_url") or "")
    if not cover or article.cover_image_id:
        return False
    image = article.images.filter(source_url=cover).order_by("pk").first()
    if image is None:
        position_free = not article.images.filter(position=0).exists()
        image = Image(
            key=_free_key(Image, f"{article.key}-cover"),
            source_url=cover,
            article=article,
            position=0 if position_free else None,
            original_language=language,
            description_pending=True,
        )
        full_clean(image, "cover image")
        image.save()
    article.cover_image = image
    article.save(update_fields=["cover_image"])
    return True


def full_clean(item: models.Model, label: str = "") -> None:
    """``item.full_clean()``, its errors as one line per field, naming the record."""
    try:
        item.full_clean()
    except ValidationError as exc:
        prefix = f"{label}: " if label else ""
        errors = exc.error_dict if hasattr(exc, "error_dict") else {"": exc}
        raise ValidationError(
            [
                prefix
                + ("" if field in ("", NON_FIELD_ERRORS) else f"{field}: ")
                + " ".join(ValidationError(problems).messages)
                for field, problems in errors.items()
            ]
        ) from exc


def _values(article: Article) -> dict[str, Any]:
    """The article's stored columns, to tell whether applying changed any."""
    return {
        field.attname: field.value_from_object(article)
        for field in Article._meta.concrete_fields
        if field.attname != "updated_at"
    }
