"""Rights (issue 8, deliverable 5): rightsstatements.org statements, the source's
own notice, permission notes; on the pages, in the admin, the export, the import
and the migration of existing rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, Image
from archive.rights import DEFAULT_STATEMENT, RightsStatement, find_rights_notice
from archive.services.imports import import_source
from tests import admin_helpers
from tests.admin_helpers import article_post, image_post
from tests.factories import make_article, make_image, page_text, url_in
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db
client = admin_helpers.client
editor = admin_helpers.editor

ZH_SOURCE = SOURCES / "002_d55c27320bfb4ba1.txt"
JA_SOURCE = SOURCES / "000_26fa5280491dbf1f.txt"
REPRINT_NOTICE = "转载请联系本公众号获得授权"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/"


# -- the vocabulary ---------------------------------------------------------------
def test_the_twelve_statements_by_their_uris():
    assert len(RightsStatement.choices) == 12
    assert RightsStatement.IN_COPYRIGHT == IN_COPYRIGHT
    assert DEFAULT_STATEMENT == NOT_EVALUATED
    assert RightsStatement.NOT_EVALUATED.label == "Copyright Not Evaluated"
    for uri, _label in RightsStatement.choices:
        assert uri.startswith("http://rightsstatements.org/vocab/")
        assert uri.endswith("/1.0/")


def test_new_articles_and_images_are_not_evaluated():
    assert make_article().rights_statement == NOT_EVALUATED
    assert make_image().rights_statement == NOT_EVALUATED


@pytest.mark.parametrize(
    ("body", "notice"),
    [
        # "© THE END" closes every WeChat article: no rights notice.
        (f"正文。\n\n© THE END\n\n{REPRINT_NOTICE}\n\n投稿", REPRINT_NOTICE),
        ("Text.\n\n  All rights reserved.  \n", "All rights reserved."),
        ("Text.\n© 2024 Example Press\n", "© 2024 Example Press"),
        ("本文です。\n無断転載を禁じます。\n", "無断転載を禁じます。"),
        ("Nothing about rights here.\n© THE END\n", ""),
    ],
)
def test_find_rights_notice_quotes_the_line_as_it_stands(body, notice):
    assert find_rights_notice(body) == notice


# -- the pages --------------------------------------------------------------------
def rights_link(html: str) -> str:
    start = html.index('<a class="rights-statement"')
    return html[start : html.index("</a>", start) + 4]


@pytest.mark.parametrize(
    ("language", "label", "no_permission"),
    [
        ("en", "In Copyright", "No permission recorded"),
        ("ja", "著作権あり", "許諾の記録なし"),
        ("zh-hans", "受版权保护", "无授权记录"),
    ],
)
def test_article_page_links_the_statement_and_quotes_the_notice(
    client, language, label, no_permission
):
    article = make_article(
        original_language="zh-hans",
        title_zh_hans="标题",
        body_zh_hans="正文",
        title_en="Title",
        body_en="Text",
        rights_statement=IN_COPYRIGHT,
        source_rights_notice=REPRINT_NOTICE,
        rights_note_en="The account reserves reprints.",
    )
    html = page_text(client.get(url_in(article, language)))
    link = rights_link(html)
    assert f'href="{IN_COPYRIGHT}"' in link
    assert 'rel="external noopener noreferrer"' in link
    assert f">{label}</a>" in link
    assert f'<q lang="zh-Hans">{REPRINT_NOTICE}</q>' in html
    assert no_permission in html
    # Two languages: the translations carry the original's statement, and say so.
    assert "translations" in html.lower() or "翻訳" in html or "译文" in html
    if language != "en":
        # The note is in English only: shown, marked as English.
        assert '<span lang="en">The account reserves reprints.</span>' in html


def test_a_recorded_permission_replaces_no_permission_recorded(client):
    article = make_article(permission_note_ja="2026年11月27日、編集部がメールで許諾。")
    html = page_text(client.get(url_in(article, "ja")))
    assert "2026年11月27日、編集部がメールで許諾。" in html
    assert "許諾の記録なし" not in html


def test_an_article_only_in_its_original_says_nothing_of_translations(client):
    article = make_article()
    html = page_text(client.get(url_in(article, "en")))
    assert "carry the same rights statement" not in html
    assert ">Copyright Not Evaluated</a>" in rights_link(html)


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Copyright Not Evaluated"),
        ("ja", "著作権未評価"),
        ("zh-hans", "版权未评估"),
    ],
)
def test_image_page_shows_credit_statement_and_note(client, language, label):
    image = make_image(
        original_language="zh-hans",
        alt_text_zh_hans="截图",
        credit_en="From the Synced article",
        credit_ja="機器之心の記事より",
        credit_zh_hans="出自机器之心文章",
        rights_note_zh_hans="可能是第三方截图。",
    )
    html = page_text(client.get(url_in(image, language)))
    link = rights_link(html)
    assert f'href="{NOT_EVALUATED}"' in link and f">{label}</a>" in link
    assert "可能是第三方截图。" in html
    credit = {"en": "From the Synced article", "ja": "機器之心の記事より"}
    assert credit.get(language, "出自机器之心文章") in html


# -- the admin --------------------------------------------------------------------
def test_admin_article_form_saves_rights_with_crlf_textareas(client):
    data = article_post(
        rights_statement=IN_COPYRIGHT,
        source_rights_notice=REPRINT_NOTICE,
        rights_note_en="The notice is quoted.\r\nNo reply yet.",
        permission_note_ja="許諾なし\r\n問い合わせ中",
    )
    response = client.post(reverse("admin:archive_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(key="ja-only")
    assert article.rights_statement == IN_COPYRIGHT
    assert article.source_rights_notice == REPRINT_NOTICE
    assert article.rights_note_en == "The notice is quoted.\nNo reply yet."
    assert article.permission_note_ja == "許諾なし\n問い合わせ中"
    page = page_text(
        client.get(reverse("admin:archive_article_change", args=[article.pk]))
    )
    assert "Rights" in page and 'name="rights_statement"' in page


def test_admin_refuses_a_uri_outside_the_vocabulary(client):
    data = article_post(rights_statement="https://example.org/my-licence")
    response = client.post(reverse("admin:archive_article_add"), data)
    assert response.status_code == 200
    assert "rights_statement" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_admin_image_form_saves_rights(client):
    data = image_post(
        rights_statement=RightsStatement.UNDETERMINED,
        rights_note_zh_hans="推文截图\r\n作者不明",
        credit_zh_hans="出自机器之心文章",
    )
    response = client.post(reverse("admin:archive_image_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get(key="cover")
    assert image.rights_statement == RightsStatement.UNDETERMINED
    assert image.rights_note_zh_hans == "推文截图\n作者不明"


# -- export and load --------------------------------------------------------------
def test_export_and_loaddata_keep_the_rights(tmp_path: Path):
    article = make_article(
        key="synced",
        rights_statement=IN_COPYRIGHT,
        source_rights_notice=REPRINT_NOTICE,
        rights_note_en="Quoted.",
        permission_note_en="None asked.",
    )
    image = make_image(
        key="shot",
        article=article,
        rights_statement=RightsStatement.UNDETERMINED,
        rights_note_en="A screenshot.",
    )
    out = tmp_path / "export.json"
    call_command("export_archive", output=out, verbosity=0)
    rows = {
        obj["fields"]["key"]: obj["fields"]
        for obj in json.loads(out.read_text(encoding="utf-8"))
        if obj["model"] in ("archive.article", "archive.image")
    }
    assert rows["synced"]["rights_statement"] == IN_COPYRIGHT
    assert rows["synced"]["source_rights_notice"] == REPRINT_NOTICE
    assert rows["synced"]["permission_note_en"] == "None asked."
    assert rows["shot"]["rights_note_en"] == "A screenshot."
    Article.objects.filter(pk=article.pk).update(
        rights_statement=NOT_EVALUATED, source_rights_notice="", rights_note_en=""
    )
    Image.objects.filter(pk=image.pk).update(rights_statement=NOT_EVALUATED)
    call_command("loaddata", str(out), verbosity=0)
    article.refresh_from_db()
    image.refresh_from_db()
    assert article.rights_statement == IN_COPYRIGHT
    assert article.source_rights_notice == REPRINT_NOTICE
    assert article.rights_note_en == "Quoted."
    assert image.rights_statement == RightsStatement.UNDETERMINED


# -- the importer -----------------------------------------------------------------
def test_import_sets_not_evaluated_and_quotes_the_reprint_notice():
    zh = import_source(ZH_SOURCE).article
    assert zh.rights_statement == NOT_EVALUATED
    assert zh.source_rights_notice == REPRINT_NOTICE
    assert REPRINT_NOTICE in ZH_SOURCE.read_text(encoding="utf-8").splitlines()
    # The WeChat export says nothing of AI generation or translation.
    assert zh.ai_generated is None and zh.machine_translated is None
    assert zh.posting_location_zh_hans == "四川"
    assert zh.source_metadata["posting_location"] == "四川"
    assert not any(zh.text("subtitle", code) for code in ("en", "ja", "zh-hans"))
    ja = import_source(JA_SOURCE).article
    assert ja.source_rights_notice == ""
    assert ja.ai_generated is True and ja.machine_translated is True


def test_reimport_keeps_an_editors_rights_evaluation():
    article = import_source(ZH_SOURCE).article
    article.rights_statement = IN_COPYRIGHT
    article.permission_note_en = "Asked on 2026-11-27."
    article.save()
    import_source(ZH_SOURCE, replace=True)
    article.refresh_from_db()
    assert article.rights_statement == IN_COPYRIGHT
    assert article.permission_note_en == "Asked on 2026-11-27."


@pytest.mark.parametrize(
    ("front_matter", "ai", "machine", "subtitle"),
    [
        ("generated: false\ntranslated: false\n", False, False, ""),
        ("model: gpt-x\n", None, None, ""),
        ("generated: true\nsubtitle: 副題\n", True, None, "副題"),
    ],
)
def test_front_matter_flags_are_set_only_when_stated(
    tmp_path, front_matter, ai, machine, subtitle
):
    path = tmp_path / "note.md"
    path.write_text(f"---\ntitle: 題\nlang: ja\n{front_matter}---\n本文\n", "utf-8")
    article = import_source(path).article
    assert article.ai_generated is ai
    assert article.machine_translated is machine
    assert (article.subtitle_ja or "") == subtitle
