"""archive.search: the query language, folding, and an index kept current by
triggers on every write path. Runs on SQLite (FTS5) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from archive.models import Article, Event, Image, Person, PersonName
from archive.search import find, parse_query
from archive.search.text import fold, snippet
from tests.factories import (
    LANGUAGES,
    make_article,
    make_event,
    make_image,
    make_person,
)
from tests.paths import SOURCES

pytestmark = pytest.mark.django_db


def found(text: str, language: str = "en") -> set[tuple[str, int]]:
    """What the index finds now: results are cached per content version, which
    writes without signals (``update``, raw SQL) do not move."""
    cache.clear()
    return {
        (h.kind, h.item_id) for h in find(parse_query(text), language=language).hits
    }


@pytest.fixture
def corpus():
    radford = make_person(
        key="alec-radford",
        name_en="Alec Radford",
        name_ja="アレック・ラドフォード",
        name_zh_hans="亚历克·拉德福德",
        bio_en="A researcher of generative models.",
    )
    PersonName.objects.create(person=radford, name="Radford, A.", language="und-Latn")
    olin = make_event(
        key="olin",
        original_language="zh-hans",
        title_zh_hans="进入奥林工程学院",
        description_zh_hans="他是一个天才。",
        date="2011",
    )
    vae = make_article(
        key="vae",
        title_ja="変分オートエンコーダの話",
        body_ja="ラドフォードはdeep learningの変分オートエンコーダを研究した。",
        title_en="The Café on the corner",
        body_en="Deep Learning and language models, said RADFORD.",
        people=[radford],
        events=[olin],
    )
    draft = make_article(
        key="draft",
        status=Article.Status.DRAFT,
        title_ja="下書き 天才",
        body_ja="ラドフォード 秘密",
        title_en="Secret draft",
        body_en="unpublished café",
    )
    image = make_image(key="photo", caption_en="Radford at the Olin campus")
    draft_image = make_image(key="hidden", caption_en="Radford secret", article=draft)
    return {
        "radford": radford,
        "olin": olin,
        "vae": vae,
        "draft": draft,
        "image": image,
        "draft_image": draft_image,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_cjk_latin_short_phrase_and_several_words_in_every_language(corpus, language):
    vae, olin, radford = corpus["vae"], corpus["olin"], corpus["radford"]
    assert ("event", olin.pk) in found("奥林工程学院", language)
    assert ("article", vae.pk) in found("ラドフォード", language)
    assert ("person", radford.pk) in found("ラドフォード", language)
    assert found("変分オートエンコーダ", language) == {("article", vae.pk)}
    # One and two CJK characters (shorter than a trigram) match inside sentences.
    assert found("天才", language) == {("event", olin.pk)}
    assert ("event", olin.pk) in found("奥", language)
    # Latin: any case, diacritics folded either way.
    assert ("article", vae.pk) in found("radford", language)
    assert ("article", vae.pk) in found("rAdFoRd", language)
    assert ("article", vae.pk) in found("cafe", language)
    assert ("article", vae.pk) in found("CAFÉ", language)
    # Phrases must appear as written; several words must all appear.
    assert ("article", vae.pk) in found('"language models"', language)
    assert ("article", vae.pk) not in found('"models language"', language)
    assert ("article", vae.pk) in found("deep models", language)
    assert ("article", vae.pk) not in found("deep nonexistentword", language)
    # Two scripts in one language version; a short Latin word (a word start).
    assert found("ラドフォード 研究 deep", language) == {("article", vae.pk)}
    assert ("article", vae.pk) in found("de", language)


def test_drafts_and_their_images_never_appear(corpus):
    draft, draft_image = corpus["draft"], corpus["draft_image"]
    for text in ("秘密", "secret", "Secret draft", "unpublished", "下書き"):
        assert ("article", draft.pk) not in found(text)
        assert ("image", draft_image.pk) not in found(text)
    assert ("image", corpus["image"].pk) in found("olin campus")


def test_other_names_and_title_matches_first(corpus):
    radford = corpus["radford"]
    assert ("person", radford.pk) in found("radford, a.")
    hits = find(parse_query("radford"), language="en").hits
    # Title matches (the person's name, the image has none) come first.
    assert (hits[0].kind, hits[0].item_id) == ("person", radford.pk)
    assert all(h.title_hits == 0 for h in hits[1:])
    # The language that matched is the reader's when the item has it.
    ja = {h.kind: h for h in find(parse_query("ラドフォード"), language="ja").hits}
    assert ja["person"].language == "ja"


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "NEAR(",
        "NEAR(a b)",
        "AND OR",
        "title:foo",
        "'; DROP TABLE archive_article; --",
        "a\x00b",
        "%_\\",
        "^x",
        "x" * 1000,
        "\u202e\u200b",
    ],
)
def test_hostile_queries_are_just_text(corpus, text):
    find(parse_query(text), language="en")  # no database error
    assert Article.objects.filter(key="vae").exists()


def test_query_parsing_is_bounded():
    query = parse_query(" ".join(f"word{n}" for n in range(50)) + " " + "y" * 1000)
    assert 0 < len(query.terms) <= 8
    assert len(query.text) <= 200
    assert not parse_query("   ")
    assert not parse_query('" * ( ) -')
    assert [t.text for t in parse_query('Café "Deep  Learning" x').terms] == [
        "cafe",
        "deep learning",
        "x",
    ]


def test_folding_keeps_kana_voicing_and_unifies_widths():
    assert fold("ラドフォード") == "ラドフォード"
    assert fold("Ｒａｄｆｏｒｄ ÉCOLE") == "radford ecole"
    assert fold("ｶﾞ") == "ガ"


def test_snippet_marks_matches_in_the_original_text():
    parts = snippet("Le Café de Flore", parse_query("cafe").terms)
    assert [p.text for p in parts if p.marked] == ["Café"]
    long = "前置き。" * 100 + "天才がいた。" + "後書き。" * 100
    parts = snippet(long, parse_query("天才").terms, width=60)
    assert parts[0].text == "…" and parts[-1].text == "…"
    assert [p.text for p in parts if p.marked] == ["天才"]


# -- the index stays current on every write path -------------------------------------
def test_edit_delete_unpublish_are_reflected_at_once(corpus):
    vae = corpus["vae"]
    vae.title_en = "Quixotic zeppelin"
    vae.save()
    assert found("zeppelin") == {("article", vae.pk)}
    assert ("article", vae.pk) not in found("corner")
    Article.objects.filter(pk=vae.pk).update(status=Article.Status.DRAFT)
    assert found("zeppelin") == set()
    Article.objects.filter(pk=vae.pk).update(status=Article.Status.PUBLISHED)
    assert found("zeppelin") == {("article", vae.pk)}
    vae.delete()
    assert found("zeppelin") == set()
    olin = corpus["olin"]
    Event.objects.filter(pk=olin.pk).update(description_zh_hans="无")
    assert found("天才") == set()
    Person.objects.filter(pk=corpus["radford"].pk).delete()
    assert ("person", corpus["radford"].pk) not in found("radford")


def test_bulk_create_raw_sql_and_other_names(corpus):
    Image.objects.bulk_create(
        [Image(key="bulk", original_language="en", caption_en="Zanzibar harbour")]
    )
    assert {k for k, _id in found("zanzibar")} == {"image"}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_image SET caption_en = %s WHERE key = %s",
            ["Kilimanjaro view", "bulk"],
        )
    assert found("zanzibar") == set()
    assert {k for k, _id in found("kilimanjaro")} == {"image"}
    radford = corpus["radford"]
    name = PersonName.objects.create(person=radford, name="Alexandre", language="fr")
    assert found("alexandre") == {("person", radford.pk)}
    name.delete()
    assert found("alexandre") == set()


def test_import_and_loaddata_are_indexed():
    call_command("import_article", str(SOURCES / "002_d55c27320bfb4ba1.txt"))
    article = Article.objects.get()
    assert found("奥林工程学院") == set()  # imported as a draft
    call_command(
        "import_article", str(SOURCES / "002_d55c27320bfb4ba1.txt"), "--publish"
    )
    assert ("article", article.pk) in found("奥林工程学院")


def test_the_whole_fixture_is_indexed_by_loaddata():
    call_command("loaddata", "archive", verbosity=0)
    assert {"article", "person", "event"} <= {k for k, _id in found("ラドフォード")}
    assert found("天才")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's short-term index"
)
@pytest.mark.parametrize("text", ["天才", "奥", "ai"])
def test_short_terms_on_postgresql_read_their_own_index(corpus, text):
    # pg_trgm has no trigram for a one- or two-character term: such terms match
    # the full-text vector of the same rows (migration 0020), through its GIN
    # index, never by reading every row's text.
    from archive.search.backends import backend_for

    sql, params = backend_for("postgresql").ranked_ids(parse_query(text), 600)
    assert "s.short @@" in sql and "LIKE" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "archive_search_short_gin" in plan
