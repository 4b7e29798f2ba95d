"""import_article: both formats, idempotent, one clear line on bad input."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article
from archive.services.imports import apply_source, attach_cover, find_source_article
from archive.sources import parse_source
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db

JA = SOURCES / "000_26fa5280491dbf1f.txt"
ZH = SOURCES / "002_d55c27320bfb4ba1.txt"


def test_import_both_formats_verbatim_and_reimport_updates(capsys):
    call_command("import_article", str(JA), str(ZH), "--publish")
    assert Article.objects.count() == 2
    ja = Article.objects.get(source_filename=JA.name)
    zh = Article.objects.get(source_filename=ZH.name)
    assert ja.original_language == "ja" and zh.original_language == "zh-hans"
    assert ja.body_ja == parse_source(JA.read_text(encoding="utf-8")).body
    assert zh.body_zh_hans == parse_source(ZH.read_text(encoding="utf-8")).body
    assert ja.ai_generated and ja.machine_translated
    assert ja.generator_model == "x-ai/grok-4-fast"
    assert zh.published_timezone == "Asia/Shanghai"
    assert zh.published_at.isoformat() == "2025-01-01T04:05:00+00:00"
    assert zh.cover_image.source_url.startswith("https://mmbiz.qpic.cn/")
    assert ja.status == Article.Status.PUBLISHED
    zh.title_en = "Our translation"
    zh.title_zh_hans = "An editor's change to the original title"
    zh.save()
    call_command("import_article", str(ZH))
    assert Article.objects.count() == 2
    zh.refresh_from_db()
    assert zh.title_en == "Our translation"  # translations are never touched
    assert zh.title_zh_hans == parse_source(ZH.read_text(encoding="utf-8")).title
    assert "Updated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("plain text", "unknown format"),
        ("---\nlang: fr\n---\nx", "fr"),
        ("# 标题\n\n文章作者: x\n\n正文\x00", "NUL"),
    ],
)
def test_bad_sources_fail_with_one_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path))
    assert not Article.objects.exists()


def test_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_article", str(path))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_article", str(tmp_path / "nope.txt"))


def test_the_import_steps_find_apply_and_attach(tmp_path):
    doc = parse_source(ZH.read_text(encoding="utf-8"))
    assert find_source_article(ZH, doc) is None
    article = Article(key="zh", original_language="zh-hans")
    apply_source(article, ZH, doc, "zh-hans")
    assert article.pk is None  # applying writes nothing
    assert (article.body_zh_hans, article.source_document) == (doc.body, doc.raw)
    article.save()
    assert article.source_sha256 == hashlib.sha256(ZH.read_bytes()).hexdigest()
    # Found again by content alone, under another file name.
    assert find_source_article(tmp_path / "renamed.txt", doc) == article
    attach_cover(article, doc, "zh-hans")
    cover = article.cover_image
    assert (cover.position, cover.article, cover.key) == (0, article, "zh-cover")
    attach_cover(article, doc, "zh-hans")  # once is enough
    assert article.images.count() == 1


# -- kept byte for byte --------------------------------------------------------
def as_received(path, variant: str) -> bytes:
    """A project source as another editor's machine might have saved it."""
    data = path.read_bytes()
    if variant in ("crlf", "bom+crlf"):
        data = data.replace(b"\n", b"\r\n")
    if variant in ("bom", "bom+crlf"):
        data = b"\xef\xbb\xbf" + data
    return data


@pytest.mark.parametrize("source", [JA, ZH], ids=["front-matter", "wechat"])
@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf"])
def test_crlf_and_bom_files_are_kept_byte_for_byte(tmp_path, source, variant):
    received = as_received(source, variant)
    path = tmp_path / source.name
    path.write_bytes(received)
    call_command("import_article", str(path))
    article = Article.objects.get()
    assert article.source_document.encode("utf-8") == received
    assert article.source_sha256 == hashlib.sha256(received).hexdigest()
    # Read as the plain LF file reads: same format, metadata, title and LF body.
    plain = parse_source(source.read_bytes().decode("utf-8"))
    body = article.text("body", article.original_language)
    assert "\r" not in body and "\ufeff" not in body
    assert body == plain.body
    assert article.source_format == plain.format
    assert article.text("title", article.original_language) == plain.title
    assert article.source_sha256 != plain.sha256  # the file's, not the LF copy's


def test_a_file_that_is_not_utf8_is_refused_with_one_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("---\nlang: en\ntitle: Café\n---\nCafé\n".encode("latin-1"))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_article", str(path))
    message = str(excinfo.value)
    assert "not UTF-8 text" in message and "at byte" in message
    assert "\n" not in message
    assert not Article.objects.exists()
