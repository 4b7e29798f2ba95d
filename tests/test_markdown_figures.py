"""archive.markdown: images in article bodies, archived, remote or unknown."""

from __future__ import annotations

import re

import pytest

from archive.models import Image
from tests import markdown_helpers
from tests.factories import make_image
from tests.markdown_helpers import Outline, png, render

# The shared fixture, named here so that pytest finds it.
media = markdown_helpers.media

REMOTE = "https://mmbiz.qpic.cn/sz_mmbiz_png/abc/640?wx_fmt=png&from=appmsg"


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
