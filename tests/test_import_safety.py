"""Safe import: matched by the source's identity, never a silent takeover, every
record validated, and whatever an import stores exports and loads back."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, Image
from archive.services import import_source
from archive.services.imports import ImportRefused, find_source_article
from archive.sources import parse_source
from tests.factories import make_article, make_translation
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db

JA = SOURCES / "000_26fa5280491dbf1f.txt"
ZH = SOURCES / "002_d55c27320bfb4ba1.txt"
ZH_URL = parse_source(ZH.read_text(encoding="utf-8")).metadata["original_url"]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def front_matter(**fields: str) -> str:
    """A front-matter source with ``fields`` and a one-line body."""
    header = "".join(f"{name}: {value!r}\n" for name, value in fields.items())
    return f"---\n{header}---\n{fields.get('title', 'Body')} body.\n"


def wechat(title: str, url: str, cover: str, body: str = "正文。\n") -> str:
    return (
        f"# {title}\n\n文章作者: 测试\n发布时间: 2025-02-03 10:00\n"
        f"原文链接: {url}\n\n封面图链接: {cover}\n\n{body}"
    )


def state(article: Article) -> dict:
    """Every stored column of ``article``, reread from the database."""
    return Article.objects.filter(pk=article.pk).values()[0]


def run(*args: str) -> str:
    """``import_article`` with ``args``; what it printed."""
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


# -- identity: the same source is the same article ------------------------------
def test_the_same_file_twice_changes_nothing():
    assert "Created" in run(str(ZH), "--publish")
    article = Article.objects.get()
    before, images = state(article), list(Image.objects.values())
    assert (
        run(str(ZH), "--publish").strip() == f"Unchanged {article.key} from {ZH.name}"
    )
    assert state(article) == before  # updated_at included: no save at all
    assert list(Image.objects.values()) == images


def test_the_same_content_under_another_name_is_the_same_source(tmp_path):
    run(str(ZH))
    copy = write(tmp_path, "renamed.txt", ZH.read_text(encoding="utf-8"))
    before = state(Article.objects.get())
    assert "Unchanged" in run(str(copy))
    assert state(Article.objects.get()) == before
    assert Article.objects.get().source_filename == ZH.name


def test_a_corrected_source_with_the_same_url_needs_replace(tmp_path):
    run(str(ZH))
    article = Article.objects.get()
    text = ZH.read_text(encoding="utf-8").replace(
        "机器之心报道", "机器之心报道（更正）"
    )
    corrected = write(tmp_path, ZH.name, text)
    with pytest.raises(CommandError, match="holds different content"):
        run(str(corrected))
    assert "Updated" in run(str(corrected), "--replace")
    article.refresh_from_db()
    assert article.source_document == text
    assert "（更正）" in article.body_zh_hans
    assert Article.objects.count() == 1


def test_a_source_without_url_is_known_by_its_file_name(tmp_path):
    first = write(tmp_path, "note.md", front_matter(lang="en", title="Note"))
    run(str(first))
    (tmp_path / "b").mkdir()
    other = write(tmp_path / "b", "note.md", front_matter(lang="en", title="Other"))
    with pytest.raises(CommandError, match=r"\(same file name note.md\) holds"):
        run(str(other))
    # Another name, no URL: another source.
    assert "Created" in run(str(write(tmp_path, "second.md", front_matter(title="S"))))
    assert Article.objects.count() == 2


# -- the takeover of today, refused -----------------------------------------------
def test_another_file_with_an_articles_url_cannot_take_it_over(tmp_path):
    run(str(ZH), "--publish")
    article = Article.objects.get()
    before = state(article)
    intruder = write(
        tmp_path,
        "intruder.md",
        front_matter(lang="ja", title="乗っ取り", source_url=ZH_URL),
    )
    with pytest.raises(CommandError) as refused:
        run(str(intruder))
    message = str(refused.value)
    assert message == (
        f"{intruder}: refused: this would change the original language of article "
        f"'{article.key}' (same original URL {ZH_URL}) from zh-hans to ja; "
        "give --replace to do so"
    )
    assert "\n" not in message
    assert state(article) == before
    assert Article.objects.count() == 1

    same_language = write(
        tmp_path,
        "intruder-zh.md",
        front_matter(lang="zh-hans", title="冒名", source_url=ZH_URL),
    )
    with pytest.raises(CommandError, match=r"holds different content \(002_"):
        run(str(same_language))
    assert state(article) == before


def test_with_replace_the_other_file_goes_through(tmp_path):
    run(str(ZH))
    article = Article.objects.get()
    article.title_en = "Our translation"
    article.save()
    text = front_matter(lang="ja", title="置き換え", source_url=ZH_URL)
    replacement = write(tmp_path, "replacement.md", text)
    assert "Updated" in run(str(replacement), "--replace")
    article.refresh_from_db()
    assert (article.original_language, article.title_ja) == ("ja", "置き換え")
    assert (article.source_document, article.source_filename) == (
        text,
        "replacement.md",
    )
    assert article.title_en == "Our translation"
    assert not article.body_zh_hans  # the old source's text is no translation
    assert Article.objects.count() == 1


def test_replace_never_makes_a_translation_record_the_original(tmp_path):
    run(str(ZH))
    article = Article.objects.get()
    make_translation(article, language="ja")
    before = state(article)
    path = write(
        tmp_path, "ja.md", front_matter(lang="ja", title="置", source_url=ZH_URL)
    )
    with pytest.raises(CommandError, match="has a translation record for ja"):
        run(str(path), "--replace")
    assert state(article) == before


def test_the_service_takes_replace_too(tmp_path):
    run(str(ZH))
    path = write(
        tmp_path, "x.md", front_matter(lang="en", title="X", source_url=ZH_URL)
    )
    with pytest.raises(ImportRefused, match="from zh-hans to en"):
        import_source(path)
    assert import_source(path, replace=True).article.original_language == "en"


def test_two_articles_with_the_url_are_ambiguous(tmp_path):
    make_article(key="one", original_url="https://example.org/a")
    make_article(key="two", original_url="https://example.org/a")
    path = write(
        tmp_path, "a.md", front_matter(title="A", source_url="https://example.org/a")
    )
    doc = parse_source(path.read_text(encoding="utf-8"))
    with pytest.raises(ImportRefused, match="'one' and 'two' share this original URL"):
        find_source_article(path, doc)
    with pytest.raises(CommandError, match="share this original URL"):
        run(str(path), "--replace")


def test_a_hand_made_article_without_source_receives_it(tmp_path):
    article = make_article(
        key="by-hand",
        original_language="zh-hans",
        source_document="",
        original_url=ZH_URL,
    )
    assert "Updated" in run(str(ZH))
    article.refresh_from_db()
    assert article.source_filename == ZH.name and article.source_sha256


# -- every record validated --------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"cover_image_url": "javascript:alert(1)"},
            "cover image: source_url: Enter a valid URL. Enter a web address "
            "starting with http:// or https://.",
        ),
        (
            {"source_url": "javascript:alert(1)"},
            "original_url: Enter a valid URL. Enter a web address starting with "
            "http:// or https://.",
        ),
        ({"source_url": "ftp://example.org/a"}, "original_url: Enter a web address"),
        ({"generated": "yes", "model": "m" * 201}, "generator_model: Ensure"),
    ],
)
def test_invalid_records_are_refused_and_nothing_is_written(tmp_path, fields, message):
    path = write(tmp_path, "bad.md", front_matter(lang="en", title="Bad", **fields))
    with pytest.raises(CommandError) as refused:
        run(str(path))
    assert str(refused.value).startswith(f"{path}: {message}")
    assert not Article.objects.exists() and not Image.objects.exists()


def test_a_bad_file_among_several_writes_none(tmp_path):
    bad = write(tmp_path, "bad.txt", wechat("坏", ZH_URL + "x", "javascript:alert(1)"))
    with pytest.raises(CommandError, match="cover image: source_url"):
        run(str(JA), str(bad))
    assert not Article.objects.exists() and not Image.objects.exists()


def test_an_imported_cover_is_valid_and_description_pending():
    run(str(ZH))
    cover = Article.objects.get().cover_image
    assert cover.description_pending and not cover.decorative
    assert not cover.alt_text_zh_hans and cover.position == 0
    cover.full_clean()  # valid data as it stands


def test_cover_keys_and_positions_never_clash(tmp_path):
    article = make_article(
        key="zh", original_language="zh-hans", original_url=ZH_URL, source_document=""
    )
    Image.objects.create(key="zh-cover", source_url="https://e.org/other.png")
    Image.objects.create(
        key="first",
        source_url="https://e.org/1.png",
        article=article,
        position=0,
        alt_text_en="x",
    )
    run(str(ZH))
    article.refresh_from_db()
    assert (article.cover_image.key, article.cover_image.position) == (
        "zh-cover-2",
        None,
    )


# -- import → export_archive → loaddata on an empty database ------------------------
def test_whatever_an_import_stores_exports_and_loads_back(tmp_path):
    no_alt = write(
        tmp_path,
        "wechat-no-alt.txt",
        wechat(
            "没有替代文本",
            "https://mp.weixin.qq.com/s/abc",
            "https://mmbiz.qpic.cn/x/0",
        ),
    )
    run(str(JA), str(ZH), str(no_alt), "--publish")
    assert Image.objects.filter(description_pending=True).count() == 2
    exported = tmp_path / "archive.json"
    call_command("export_archive", output=exported)
    text = exported.read_text(encoding="utf-8")

    Article.objects.update(cover_image=None)
    Image.objects.all().delete()
    Article.objects.all().delete()
    call_command("loaddata", str(exported), verbosity=0)

    assert Article.objects.count() == 3 and Image.objects.count() == 2
    again = tmp_path / "again.json"
    call_command("export_archive", output=again)
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(text)
