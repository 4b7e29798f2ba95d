"""A reader cites an article: the formatted citation in Japanese, then the three
downloads, each saved under the article's key and read back."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from django.core.management import call_command
from django.utils import translation

from archive.models import Article

ZH_KEY = "jiqizhixin-alec-radford-no-phd-gpt-era"


@pytest.fixture
def archive(transactional_db):
    call_command("loaddata", "archive", verbosity=0)
    return Article.objects.get(key=ZH_KEY)


def test_reader_cites_an_article_and_downloads_it(page, archive):
    with translation.override("ja"):
        page.goto(archive.get_absolute_url())
    cite = page.locator("section.cite")
    assert cite.get_by_role("heading", name="この記事を引用する").count() == 1
    text = cite.locator(".cite__text").inner_text()
    # The account signs its post (once), the original title marked as Chinese,
    # the date as Japanese readers write it.
    assert text.startswith("機器之心（Synced）. 「")
    assert text.count("機器之心") == 1
    assert cite.locator(".cite__text [lang='zh-Hans']").count() == 1
    assert "2025年1月1日" in text and "参照日" in text

    saved = {}
    for name, extension in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json")):
        with page.expect_download() as download_info:
            cite.get_by_role("link", name=name).click()
        download = download_info.value
        assert download.suggested_filename == f"{ZH_KEY}.{extension}"
        saved[extension] = Path(download.path()).read_bytes().decode("utf-8")

    library = bibtexparser.parse_string(saved["bib"])
    assert not library.failed_blocks
    assert library.entries[0]["title"] == archive.title_zh_hans
    assert saved["ris"].startswith("TY  - ELEC\r\n")
    assert f"TI  - {archive.title_zh_hans}\r\n" in saved["ris"]
    item = json.loads(saved["json"])[0]
    assert item["title"] == archive.title_zh_hans
    assert item["custom"]["translated-title"] == archive.title_ja
    assert page.problems == []
