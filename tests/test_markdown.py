"""archive.markdown: article bodies rendered to sanitised HTML."""

from __future__ import annotations

import re

import pytest
from django.utils.safestring import SafeString

from archive.markdown import render_markdown, sanitize
from archive.sources import parse_source
from tests import markdown_helpers
from tests.markdown_helpers import Outline, render
from tests.paths import SOURCES

# The shared fixture, named here so that pytest finds it.
media = markdown_helpers.media


# -- ordinary Markdown ---------------------------------------------------------
def test_returns_safe_string():
    assert isinstance(render_markdown("plain", language="en"), SafeString)


def test_blocks_and_inlines_render():
    html = render(
        "## 経歴\n\n- one\n- two\n\n1. first\n\n> 《连线》quote\n\n"
        "**bold** *em* `code` ~~gone~~\n\n[Golden](https://golden.com/wiki/x)"
    )
    assert "<h2>経歴</h2>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html
    assert "<blockquote>\n<p>《连线》quote</p>\n</blockquote>" in html
    assert "<strong>bold</strong> <em>em</em> <code>code</code> <s>gone</s>" in html
    assert '<a href="https://golden.com/wiki/x"' in html


def test_external_links_get_rel_internal_and_mail_do_not():
    outline = Outline(
        render("[out](https://example.org/a) [in](/en/people/) [mail](mailto:a@b.org)")
    )
    links = {attrs["href"]: attrs for attrs in outline.find("a")}
    assert links["https://example.org/a"]["rel"] == "noopener noreferrer nofollow"
    assert "rel" not in links["/en/people/"]
    assert "rel" not in links["mailto:a@b.org"]
    assert outline.text == "out in mail"


def test_link_title_kept():
    html = render('[x](https://example.org "A title")')
    assert 'title="A title"' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "![x](javascript:alert(1))",
        '<div style="color:red" onmouseover="alert(1)">hover</div>',
    ],
)
def test_raw_html_and_dangerous_urls_never_become_markup(source):
    outline = Outline(render(source))
    assert not outline.find("script")
    assert not outline.find("div")
    for _tag, attrs, _parents in outline.elements:
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").lower().startswith("javascript")


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in render("<b>bold</b>")


def test_sanitize_enforces_the_allow_list():
    dirty = (
        '<p onclick="x()" style="color:red" class="evil">a'
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
        '<a href="https://e.org" rel="opener" target="_blank">e</a>'
        '<img src="https://e.org/x.png" alt="remote"><img src="/media/x.png" alt="own">'
        '<iframe src="/x"></iframe><script>alert(1)</script>'
        '<span lang="ja" title="t">j</span><span lang="fr">f</span></p>'
        '<figure><figcaption lang="fr" title="t">c</figcaption></figure>'
    )
    outline = Outline(sanitize(dirty))
    assert [p.get("class", "") for p in outline.find("p")] == [""]
    assert not any(
        name.startswith("on") or name == "style" for name in outline.find("p")[0]
    )
    assert [a.get("href") for a in outline.find("a")] == [None, None, "https://e.org"]
    assert outline.find("a")[2] == {"href": "https://e.org"}
    assert outline.find("img") == [
        {"alt": "remote"},
        {"src": "/media/x.png", "alt": "own"},
    ]
    assert not outline.find("iframe") and not outline.find("script")
    assert "alert" not in outline.text
    assert outline.find("figcaption") == [{}]
    assert outline.find("span") == [{"lang": "ja"}, {}]


# -- line breaks ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("让神经网络与人类进行清晰的\n对话", "让神经网络与人类进行清晰的对话"),
        ("**最感兴趣的是让神经网络与人类进行清晰的**\n对话。", "清晰的</strong>对话"),
        ("学校也仅提供四种学位：\nME（机械工程）", "学位：\nME"),
        ("以其非常低的录取率和精英化教育著称。\n「欧林三角」", "著称。「欧林三角」"),
        ("アレック・ラドフォードは\nオープンAI", "ラドフォードはオープン"),
        ("OpenAI\nCEO 山姆・奥特曼", "OpenAI\nCEO"),
        ("关于他在 OpenAI\n早期工作的提问", "OpenAI\n早期"),
        ("比作 Larry Page\n发明 PageRank", "Page\n发明"),
        ("한국어\n문장", "한국어\n문장"),
    ],
)
def test_soft_breaks_vanish_only_between_east_asian_characters(source, expected):
    assert expected in render(source)


def test_soft_break_inside_link_text():
    html = render(
        "几天前，[OpenAI\n宣布组织结构调整](https://mp.weixin.qq.com/s)，裂变"
    )
    assert ">OpenAI\n宣布组织结构调整</a>，裂变" in html


def test_hard_breaks_stay_br():
    html = render(
        "下面我们就来简单了解下这位谦逊的天才的人生故事吧。  \n"
        "**Alec Radford 的人生故事**"
    )
    assert "人生故事吧。<br>\n<strong>Alec Radford 的人生故事</strong>" in html


# -- the real sources ----------------------------------------------------------
def source_lines(body: str) -> list[str]:
    """Each source line's visible text: Markdown syntax and images removed."""
    lines = []
    for line in body.split("\n"):
        line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
        line = re.sub(r"\]\([^)]*\)", "", line)
        line = re.sub(r"^\s*(?:>|#+)\s*", "", line).replace("[", "").replace("**", "")
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


@pytest.mark.parametrize(
    "name", ["000_26fa5280491dbf1f.txt", "002_d55c27320bfb4ba1.txt"]
)
def test_full_source_bodies(db, name):
    body = parse_source((SOURCES / name).read_text(encoding="utf-8")).body
    html = render(body, language="en")
    outline = Outline(html)
    assert "<p><figure" not in html
    for tag, _attrs, parents in outline.elements:
        if tag == "figure":
            assert "p" not in parents
    expected_figures = body.count("![")
    assert len(outline.find("figure")) == expected_figures
    assert expected_figures == (11 if name.startswith("002") else 0)
    text = outline.text
    position = 0
    for line in source_lines(body):
        found = text.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)


def test_body_h1_becomes_h2_so_the_page_keeps_one_h1():
    html = render_markdown("# Top\n\n## Sub\n", language="en")
    assert "<h1>" not in html
    assert "<h2>Top</h2>" in html and "<h2>Sub</h2>" in html
