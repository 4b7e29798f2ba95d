"""Citations (archive/citations.py): the record, the formatted citation in every
language, and BibTeX, RIS and CSL-JSON parsed back by independent readers."""

from __future__ import annotations

import datetime
import json
import re
import warnings

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from archive import citations
from archive.citations import (
    citation_record,
    format_citation,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from tests.factories import LANGUAGES, make_article

pytestmark = pytest.mark.django_db

ACCESSED = datetime.date(2026, 11, 27)
ARCHIVE_URL = "https://archive.example.org/en/articles/a/"
HOSTILE = 'Braces {open} and } alone, 50% \\ back\\slash & _ # $ ~ ^\n</script><b>"x"'
# The same title on one line: every format keeps a citation's values on one line.
HOSTILE_ONE_LINE = HOSTILE.replace("\n", " ")


def record_of(article, language="en", **kwargs):
    return citation_record(
        article, language=language, archive_url=ARCHIVE_URL, accessed=ACCESSED, **kwargs
    )


@pytest.fixture
def synced():
    """A Chinese WeChat article with an English title, author and publisher."""
    return make_article(
        key="synced-radford",
        original_language="zh-hans",
        title_zh_hans="没有博士学位却开启了GPT时代",
        body_zh_hans="正文。",
        title_en="He Ushered In the GPT Era Without a PhD",
        author_zh_hans="机器之心",
        author_en="Synced (机器之心)",
        publisher_zh_hans="机器之心",
        publisher_en="Synced (机器之心)",
        original_url="http://mp.weixin.qq.com/s?__biz=MzA3&mid=2650949806#rd",
    )


# -- the record --------------------------------------------------------------------
def test_record_reads_the_article_in_the_readers_language(synced):
    record = record_of(synced, "en")
    assert record.title == "没有博士学位却开启了GPT时代"
    assert record.title_language == "zh-Hans"
    assert record.translated_title == "He Ushered In the GPT Era Without a PhD"
    assert record.authors == ("Synced (机器之心)",)
    assert record.container == "Synced (机器之心)"
    # The date in the source's own zone (12:05 in Shanghai on 1 January).
    assert record.issued == datetime.date(2025, 1, 1)
    assert record.original_url.startswith("http://mp.weixin.qq.com/")
    assert record.archive_url == ARCHIVE_URL
    assert record.accessed == ACCESSED
    assert record.note == ""


def test_record_in_the_original_language_has_no_translated_title(synced):
    record = record_of(synced, "zh-hans")
    assert record.translated_title == ""
    assert record.authors == ("机器之心",)
    # No Japanese title: nothing is invented, the original stands alone.
    assert record_of(synced, "ja").translated_title == ""
    # Japanese author missing: the original's, as recorded.
    assert record_of(synced, "ja").authors == ("机器之心",)


def test_no_recorded_author_is_never_invented():
    article = make_article(key="anonymous", title_ja="無署名の記事")
    record = record_of(article)
    assert record.authors == ()
    assert record.container == ""
    assert "author" not in json.loads(to_csl_json(record))[0]
    assert "author" not in to_bibtex(record)
    assert "AU  -" not in to_ris(record)
    # The formatted citation starts with the title.
    assert str(format_citation(record)).startswith('“<span lang="ja">無署名の記事')


def test_without_author_the_publisher_is_the_organisational_author():
    article = make_article(key="org", title_ja="記事", publisher_ja="機器之心")
    text = str(format_citation(record_of(article, "ja")))
    assert text.startswith("機器之心. 「記事」")
    # Named once: as author, not again as the publication.
    assert text.count("機器之心") == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                'Synced (机器之心). “<span lang="zh-Hans">没有博士学位却开启了GPT时代'
                "</span> [He Ushered In the GPT Era Without a PhD]”",
                "January 1, 2025",
                "http://mp.weixin.qq.com/s?__biz=MzA3&amp;mid=2650949806#rd",
                f"Archived in Radford Archive, {ARCHIVE_URL}",
                "Accessed November 27, 2026",
            ],
        ),
        (
            "ja",
            [
                '机器之心. 「<span lang="zh-Hans">没有博士学位却开启了GPT时代</span>」',
                "」. 2025年1月1日",
                f"保存先 ラドフォード・アーカイブ, {ARCHIVE_URL}",
                "参照日 2026年11月27日",
            ],
        ),
        (
            "zh-hans",
            [
                "机器之心. 《没有博士学位却开启了GPT时代》",
                "2025年1月1日",
                f"存档于 拉德福德档案馆, {ARCHIVE_URL}",
                "访问日期 2026年11月27日",
            ],
        ),
    ],
)
def test_formatted_citation_in_each_language(synced, language, expected):
    text = str(format_citation(record_of(synced, language)))
    for part in expected:
        assert part in text
    assert text.endswith(".")
    # The account signs its own post: named once, as author.
    assert text.count("机器之心") == 1


def test_formatted_citation_shows_the_archive_address_readable(synced):
    record = citations.CitationRecord(
        **{
            **record_of(synced).__dict__,
            "archive_url": "https://a.example/ja/articles/%E8%A8%98%E4%BA%8B/",
        }
    )
    assert "https://a.example/ja/articles/記事/" in str(format_citation(record))
    assert "%E8%A8%98" in to_ris(record) and "%E8%A8%98" in to_csl_json(record)


def test_formatted_citation_brackets_the_translation_in_cjk(synced):
    synced.title_ja = "博士号なしでGPT時代を切り開いた"
    text = str(format_citation(record_of(synced, "ja")))
    assert (
        "没有博士学位却开启了GPT时代</span>［博士号なしでGPT時代を切り開いた］」"
        in (text.replace(" ", ""))
    )


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "AI-generated (x-ai/grok-4-fast); machine-translated from Japanese"),
        ("ja", "AI生成（x-ai/grok-4-fast）；日本語からの機械翻訳"),
        ("zh-hans", "AI 生成（x-ai/grok-4-fast）；由日语机器翻译"),
    ],
)
def test_ai_and_machine_translation_flags_are_the_note(language, note):
    article = make_article(
        key="flags",
        original_language="en",
        title_en="A note",
        ai_generated=True,
        generator_model="x-ai/grok-4-fast",
        machine_translated=True,
        translated_from="ja",
    )
    record = record_of(article, language)
    assert record.note == note
    assert note in str(format_citation(record))
    assert json.loads(to_csl_json(record))[0]["note"] == note
    assert f"N1  - {note}\r\n" in to_ris(record)
    assert bib_fields(to_bibtex(record))["note"] == note


def test_unknown_flags_say_nothing():
    # None means the source does not say: no note either way.
    article = make_article(key="unknown", ai_generated=None, machine_translated=False)
    assert record_of(article).note == ""


# -- BibTeX --------------------------------------------------------------------------
def bib_fields(text: str) -> dict[str, str]:
    """The entry's fields as bibtexparser reads them, LaTeX decoded (but the
    verbatim ``url``, which LaTeX never decodes either)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == 1
    raw = {field.key: field.value for field in library.entries[0].fields}
    decoded = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware()]
    )
    fields = {field.key: field.value for field in decoded.entries[0].fields}
    fields["url"] = raw.get("url", "")
    return {key: value for key, value in fields.items() if value != ""}


def test_bibtex_parses_back_to_the_record(synced):
    record = record_of(synced)
    text = to_bibtex(record)
    library = bibtexparser.parse_string(text)
    entry = library.entries[0]
    assert entry.entry_type == "online"
    assert entry.key == "synced-radford"
    fields = bib_fields(text)
    assert fields == {
        # One name as recorded, in braces: never split into given/family names.
        "author": "Synced (机器之心)",
        "title": record.title,
        "titleaddon": f"[{record.translated_title}]",
        "organization": record.container,
        "date": "2025-01-01",
        "year": "2025",
        "url": record.original_url,
        "urldate": "2026-11-27",
        "langid": "zh-Hans",
        "addendum": f"Radford Archive, {ARCHIVE_URL} ({record.archived.isoformat()})",
    }
    assert "author = {{Synced (机器之心)}}" in text


def test_bibtex_escapes_hostile_titles():
    article = make_article(
        key="hostile", title_ja=HOSTILE, author_ja="A {B} %C", publisher_ja="P\\Q"
    )
    text = to_bibtex(record_of(article, "ja"))
    fields = bib_fields(text)
    # pylatexenc reads \textasciicircum as U+02C6, the glyph LaTeX prints for it.
    assert fields["title"].replace("\u02c6", "^") == HOSTILE_ONE_LINE
    assert fields["author"] == "A {B} %C"
    assert fields["organization"] == "P\\Q"
    # No raw special character is left to open a group, a comment or a command.
    title_line = next(line for line in text.splitlines() if "title = " in line)
    assert re.search(r"(?<!\\)[%#&$_]", title_line.split("=", 1)[1]) is None
    assert text.count("\n") == len(text.splitlines())  # no stray line breaks


def test_bibtex_urls_stay_balanced():
    article = make_article(key="url", original_url="https://example.org/a?q=%20&b=1")
    assert bib_fields(to_bibtex(record_of(article)))["url"] == (
        "https://example.org/a?q=%20&b=1"
    )
    record = record_of(article)
    odd = citations.CitationRecord(
        **{**record.__dict__, "original_url": "https://example.org/{x}\\y z"}
    )
    assert bib_fields(to_bibtex(odd))["url"] == "https://example.org/%7Bx%7D%5Cy%20z"


# -- RIS -----------------------------------------------------------------------------
RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def read_ris(text: str) -> list[tuple[str, str]]:
    """A strict RIS reader: CRLF line ends, ``XX  - value`` lines, ``TY`` first and
    ``ER`` last, nothing after it."""
    assert text.endswith("ER  - \r\n")
    lines = text[: -len("\r\n")].split("\r\n")
    tags = []
    for line in lines:
        assert "\n" not in line and "\r" not in line
        match = RIS_LINE.match(line)
        assert match, line
        tags.append((match.group(1), match.group(2)))
    assert tags[0][0] == "TY"
    assert tags[-1] == ("ER", "")
    assert [tag for tag, _value in tags].count("ER") == 1
    return tags[:-1]


def test_ris_parses_back_to_the_record(synced):
    record = record_of(synced)
    tags = read_ris(to_ris(record))
    assert tags == [
        ("TY", "ELEC"),
        ("ID", "synced-radford"),
        ("AU", "Synced (机器之心)"),
        ("TI", record.title),
        ("TT", record.translated_title),
        ("PB", "Synced (机器之心)"),
        ("PY", "2025"),
        ("DA", "2025/01/01"),
        ("UR", record.original_url),
        ("UR", ARCHIVE_URL),
        ("DB", "Radford Archive"),
        ("Y2", "2026/11/27"),
        ("LA", "zh-Hans"),
    ]


def test_ris_keeps_hostile_titles_on_one_line():
    article = make_article(key="hostile-ris", title_ja=HOSTILE)
    tags = dict(read_ris(to_ris(record_of(article, "ja"))))
    assert tags["TI"] == HOSTILE_ONE_LINE


# -- CSL-JSON ------------------------------------------------------------------------
def render_with_citeproc(item: dict) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        style = CitationStylesStyle(
            "harvard-cite-them-right", locale="en-US", validate=True
        )
        bibliography = CitationStylesBibliography(
            style, CiteProcJSON([item]), formatter.plain
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])


def test_csl_json_is_valid_and_renders_in_another_style(synced):
    record = record_of(synced)
    data = json.loads(to_csl_json(record))
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert {"id", "type", "title"} <= item.keys()
    assert item["type"] == "webpage"
    assert item["author"] == [{"literal": "Synced (机器之心)"}]
    assert item["issued"] == {"date-parts": [[2025, 1, 1]]}
    assert item["accessed"] == {"date-parts": [[2026, 11, 27]]}
    assert item["URL"] == record.original_url
    assert item["archive_location"] == ARCHIVE_URL
    assert item["language"] == "zh-Hans"
    assert item["custom"]["translated-title"] == record.translated_title
    # Fed to citeproc-py with one of its own styles (a different reader than ours).
    item.pop("custom")
    text = render_with_citeproc(item)
    assert "没有博士学位却开启了GPT时代" in text
    assert "2025" in text


def test_csl_json_keeps_hostile_titles_exactly():
    article = make_article(key="hostile-json", title_ja=HOSTILE)
    text = to_csl_json(record_of(article, "ja"))
    assert json.loads(text)[0]["title"] == HOSTILE_ONE_LINE
    assert "</script>" in text  # a file, not HTML: served as JSON, never inlined


# -- the formatted citation is safe HTML -----------------------------------------------
def test_formatted_citation_escapes_hostile_values():
    article = make_article(
        key="hostile-html", title_ja=HOSTILE, author_ja="<img src=x onerror=alert(1)>"
    )
    text = str(format_citation(record_of(article, "ja")))
    assert "<script" not in text and "</script>" not in text
    assert "<img" not in text and "<b>" not in text
    assert "&lt;/script&gt;&lt;b&gt;&quot;x&quot;" in text
    assert re.sub(r"</?i>|</?span[^>]*>", "", text).count("<") == 0


def test_the_style_is_valid_csl():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for code in LANGUAGES:
            CitationStylesStyle(
                str(citations.STYLE_PATH),
                locale=citations.CSL_LOCALES[code],
                validate=True,
            )
