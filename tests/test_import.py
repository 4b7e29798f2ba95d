"""import_article: both formats, idempotent, one clear line on bad input."""

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
    assert (article.body_zh_hans, article.source_sha256) == (doc.body, "")
    article.save()
    assert article.source_sha256 == doc.sha256
    # Found again by content alone, under another file name.
    assert find_source_article(tmp_path / "renamed.txt", doc) == article
    attach_cover(article, doc, "zh-hans")
    cover = article.cover_image
    assert (cover.position, cover.article, cover.key) == (0, article, "zh-cover")
    attach_cover(article, doc, "zh-hans")  # once is enough
    assert article.images.count() == 1
