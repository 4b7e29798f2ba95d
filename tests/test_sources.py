"""Reading the two source formats (front matter, WeChat export)."""

import pytest

from archive.sources import FRONT_MATTER, WECHAT, SourceError, parse_source
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
    assert doc.metadata["place"] == "四川"
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
