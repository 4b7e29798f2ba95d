"""archive.markdown: article bodies rendered to sanitised HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.utils.safestring import SafeString
from PIL import Image as PILImage

from archive.markdown import render_markdown, sanitize
from archive.models import Image
from archive.sources import parse_source
from tests.factories import make_image
from tests.paths import SOURCES

REMOTE = "https://mmbiz.qpic.cn/sz_mmbiz_png/abc/640?wx_fmt=png&from=appmsg"


class Outline(HTMLParser):
    """Tags with their attributes and ancestors, and the text, of an HTML fragment."""

    VOID = {"br", "hr", "img"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs, _parents in self.elements if name == tag]


def png(width: int = 4, height: int = 3) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="pic.png")


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


@pytest.fixture
def archived(media) -> Image:
    return make_image(
        key="archived",
        original_language="zh-hans",
        file=png(),
        source_url=REMOTE,
        alt_text_en="Altman's tweet thanking Alec Radford",
        alt_text_zh_hans="奥特曼感谢 Alec Radford 的推文",
        caption_en="Sam Altman's post on X",
        caption_zh_hans="奥特曼在 X 上的推文",
    )


@pytest.fixture
def remote_only(db) -> Image:
    return make_image(
        key="remote-only",
        original_language="zh-hans",
        source_url=REMOTE,
        alt_text_zh_hans="谷歌学术的引用数据",
        caption_zh_hans="Alec Radford 的谷歌学术主页",
    )


def render(text: str, **kwargs) -> str:
    kwargs.setdefault("language", "en")
    return str(render_markdown(text, **kwargs))


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


# -- images ------------------------------------------------------------------------
def test_images_are_split_out_of_paragraphs_in_order(db):
    source = (
        "新年伊始，Alec Radford 的故事又再一次火遍了 AI 社交网络。  \n"
        f"![]({REMOTE})  \n"
        "下面我们就来简单了解下这位谦逊的天才的人生故事吧。  \n"
        "![](https://e.org/b.png)  \n"
        "![](https://e.org/c.png)  \n"
        "**Alec Radford 的人生故事**"
    )
    html = render(source, language="zh-hans")
    outline = Outline(html)
    top_level = [tag for tag, _a, parents in outline.elements if not parents]
    assert top_level == ["p", "figure", "p", "figure", "figure", "p"]
    for tag, _attrs, parents in outline.elements:
        if tag == "figure":
            assert parents == ()
    assert not outline.find("br"), "breaks left dangling at a split"
    assert html.startswith(
        "<p>新年伊始，Alec Radford 的故事又再一次火遍了 AI 社交网络。</p>"
    )
    assert html.rstrip().endswith("<p><strong>Alec Radford 的人生故事</strong></p>")
    story = outline.text
    assert story.index("火遍了") < story.index("谦逊的天才") < story.rindex("人生故事")


def test_image_mid_sentence_splits_the_paragraph(db):
    html = render(f"before ![]({REMOTE}) after")
    assert re.search(
        r"<p>before</p>\s*<figure[^>]*>.*</figure>\s*<p>after</p>", html, re.S
    )


def test_image_in_a_blockquote_or_tight_list_stays_there(db):
    quote = Outline(render(f"> text  \n> ![]({REMOTE})"))
    assert [p for t, _a, p in quote.elements if t == "figure"] == [("blockquote",)]
    items = Outline(render(f"- a ![]({REMOTE}) b\n- c"))
    assert [p for t, _a, p in items.elements if t == "figure"] == [("ul", "li")]
    assert "a" in items.text and "b" in items.text


def test_image_inside_a_link_or_heading_stays_inline(archived):
    html = render(f"[![]({REMOTE})](https://e.org)\n\n# Title ![]({REMOTE})")
    outline = Outline(html)
    assert not outline.find("figure")
    assert [p for t, _a, p in outline.elements if t == "img"] == []
    html = render(
        f"[![]({REMOTE})](https://e.org)\n\n# Title ![]({REMOTE})",
        images={REMOTE: archived},
    )
    outline = Outline(html)
    assert not outline.find("figure")
    assert [p for t, _a, p in outline.elements if t == "img"] == [("p", "a"), ("h2",)]


def test_archived_image_shows_our_copy_with_caption(archived):
    html = render(f"![]({REMOTE})", images={REMOTE: archived})
    outline = Outline(html)
    [img] = outline.find("img")
    assert img == {
        "src": archived.file.url,
        "alt": "Altman's tweet thanking Alec Radford",
        "width": "4",
        "height": "3",
        "loading": "lazy",
        "decoding": "async",
    }
    assert img["src"].startswith("/media/images/")
    assert outline.find("figcaption") == [{}]
    assert "Sam Altman's post on X" in outline.text
    assert REMOTE not in html and "mmbiz" not in html


def test_known_image_not_archived_is_a_placeholder(remote_only):
    html = render(f"![]({REMOTE})", images={REMOTE: remote_only}, language="zh-hans")
    outline = Outline(html)
    assert not outline.find("img")
    [figure] = outline.find("figure")
    assert figure["class"] == "figure figure--missing"
    assert "图片未存档" in outline.text  # the reader's language, not the active one
    assert "Alec Radford 的谷歌学术主页" in outline.text
    [link] = outline.find("a")
    assert link["href"] == REMOTE
    assert set(link["rel"].split()) >= {"noopener", "noreferrer"}
    assert "查看原图" in outline.text


def test_unknown_url_is_a_placeholder_with_a_link(db):
    outline = Outline(render("![a chart](https://e.org/chart.png)", images={}))
    assert not outline.find("img")
    assert outline.find("a")[0]["href"] == "https://e.org/chart.png"
    assert "Image not archived" in outline.text
    assert "a chart" in outline.text


def test_remote_images_never_become_img(db):
    for source in (
        "![x](https://e.org/x.png)",
        "![x](//e.org/x.png)",
        "![](data:image/png;base64,AAAA)",
    ):
        assert not Outline(render(source)).find("img"), source


def test_data_url_placeholder_has_no_link(db):
    outline = Outline(render("![](data:image/png;base64,AAAA)"))
    assert not outline.find("a")
    assert outline.find("figure")


def test_decorative_image_has_empty_alt(media):
    image = make_image(
        key="rule",
        decorative=True,
        file=png(),
        source_url="",
        alt_text_en="",
        caption_en="",
    )
    outline = Outline(render(f"![ornament]({REMOTE})", images={REMOTE: image}))
    assert outline.find("img")[0]["alt"] == ""
    assert not outline.find("figcaption")


def test_caption_falls_back_to_the_original_language_with_lang(archived, remote_only):
    archived.alt_text_en = archived.caption_en = ""
    archived.save()
    html = render(f"![]({REMOTE})", images={REMOTE: archived}, language="ja")
    outline = Outline(html)
    assert outline.find("figcaption") == [{"lang": "zh-Hans"}]
    assert outline.find("img")[0]["lang"] == "zh-Hans"
    assert outline.find("img")[0]["alt"] == "奥特曼感谢 Alec Radford 的推文"
    same = Outline(
        render(f"![]({REMOTE})", images={REMOTE: archived}, language="zh-hans")
    )
    assert same.find("figcaption") == [{}]
    assert "lang" not in same.find("img")[0]
    missing = Outline(
        render(f"![]({REMOTE})", images={REMOTE: remote_only}, language="en")
    )
    assert missing.find("figcaption") == [{"lang": "zh-Hans"}]


def test_visitor_language_is_used_when_the_image_has_it(archived):
    outline = Outline(
        render(f"![]({REMOTE})", images={REMOTE: archived}, language="en")
    )
    assert outline.find("figcaption") == [{}]
    assert "Sam Altman's post on X" in outline.text


def test_image_urls_match_as_written_even_when_markdown_encodes_them(archived):
    url = "https://e.org/a b/图.png"
    html = render(f"![](<{url}>)", images={url: archived})
    assert Outline(html).find("img")[0]["src"] == archived.file.url


def test_placeholder_text_is_translated(db, settings):
    from django.utils import translation

    with translation.override("ja"):
        expected = translation.gettext("Image not archived")
    assert expected in Outline(render(f"![]({REMOTE})", language="ja")).text


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
