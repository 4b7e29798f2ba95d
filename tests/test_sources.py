"""Reading the two source formats (front matter, WeChat export)."""

import pytest

from archive.sources import (
    FRONT_MATTER,
    WECHAT,
    SourceError,
    decode_source,
    parse_source,
)
from tests.paths import SOURCES


def test_front_matter_source_metadata_and_verbatim_body():
    raw = (SOURCES / "000_26fa5280491dbf1f.txt").read_text(encoding="utf-8")
    doc = parse_source(raw)
    assert doc.format == FRONT_MATTER
    assert doc.language == "ja"
    assert doc.title == "アレック・ラドフォード：生成AIの先駆者"
    assert doc.metadata["model"] == "x-ai/grok-4-fast"
    assert doc.metadata["generated"] is True and doc.metadata["translated"] is True
    assert doc.body.startswith("### 生年月日\n")
    assert raw.endswith(doc.body)


def test_wechat_source_header_and_verbatim_body():
    raw = (SOURCES / "002_d55c27320bfb4ba1.txt").read_text(encoding="utf-8")
    doc = parse_source(raw)
    assert doc.format == WECHAT
    assert doc.title.startswith("没有博士学位却开启了GPT时代")
    assert doc.metadata["author"] == "机器之心"
    assert doc.metadata["posting_location"] == "四川"
    assert doc.metadata["original_url"].startswith("http://mp.weixin.qq.com/s?")
    assert doc.metadata["cover_image_url"].startswith("https://mmbiz.qpic.cn/")
    assert doc.published_at.isoformat() == "2025-01-01T12:05:00+08:00"
    assert doc.body.startswith("机器之心报道\n")
    assert raw.endswith(doc.body)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("---\ntitle: x\n---\nbody\x00", "NUL"),
        ("hello", "unknown format"),
        ("---\ntitle: x\n", "never closed"),
        ("---\n- a list\n---\nbody", "mapping"),
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("# Title\n\nno header here\n", "no WeChat header"),
    ],
)
def test_unreadable_sources_say_why(raw, message):
    with pytest.raises(SourceError, match=message):
        parse_source(raw)


def test_crlf_and_bom_are_read_but_kept_in_raw():
    raw = "\ufeff---\r\ntitle: 題\r\nlang: ja\r\n---\r\n本文\r\n二行目\rです\r\n"
    doc = parse_source(raw)
    assert doc.format == FRONT_MATTER
    assert (doc.title, doc.language) == ("題", "ja")
    assert doc.body == "本文\n二行目\nです\n"
    assert doc.raw == raw  # the text as received, BOM and CRs included


def test_wechat_export_with_crlf():
    raw = "# 标题\r\n\r\n文章作者: 机器之心\r\n发布地: 四川\r\n\r\n正文\r\n"
    doc = parse_source(raw)
    assert doc.format == WECHAT
    assert doc.metadata == {"author": "机器之心", "posting_location": "四川"}
    assert doc.body == "正文\n"
    assert doc.raw == raw


def test_decode_source_is_strict_and_changes_nothing():
    data = "\ufeff# 标题\r\n".encode()
    assert decode_source(data).encode("utf-8") == data
    with pytest.raises(SourceError, match=r"not UTF-8 text \(invalid .* at byte 2\)"):
        decode_source(b"# \xe9t\xe9\n")
