"""generate_archive: synthetic content for benchmarks, and removing exactly it."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.dates import edtf_range
from archive.languages import LANGUAGE_CODES, localized
from archive.models import (
    Article,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
)
from archive.synthetic import Writer

pytestmark = pytest.mark.django_db

MODELS = (Article, Person, Event, Image)
THROUGH = (Article.people.through, Article.events.through, Event.people.through)
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_archive", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*MODELS, *THROUGH)}


def snapshot() -> list:
    """Everything the seed decides, without database ids or timestamps."""
    rows = []
    for article in Article.objects.filter(key__startswith="gen-").order_by("key"):
        rows.append(
            (
                article.key,
                article.original_language,
                article.published_at,
                [article.text("body", code) for code in LANGUAGE_CODES],
                sorted(article.people.values_list("key", flat=True)),
                sorted(article.events.values_list("key", flat=True)),
            )
        )
    rows += list(
        Event.objects.filter(key__startswith="gen-")
        .order_by("key")
        .values_list("key", "date", "title_en", "title_ja", "title_zh_hans")
    )
    rows += list(
        Image.objects.filter(key__startswith="gen-")
        .order_by("key")
        .values_list("key", "alt_text_en", "decorative", "description_pending")
    )
    return rows


def test_counts_proportions_and_links_at_twenty():
    output = generate("--articles", "20")
    assert "\rArticles: 20/20\n" in output
    assert Article.objects.published().count() == 20
    assert Person.objects.count() == 4
    assert Event.objects.count() == 40
    assert Image.objects.count() == 60
    for article in Article.objects.prefetch_related("images", "people", "events"):
        images = sorted(article.images.all(), key=lambda image: image.position)
        assert [image.position for image in images] == [0, 1, 2]
        assert article.cover_image_id == images[0].pk
        assert 2 <= len(article.people.all()) <= 4
        assert 4 <= len(article.events.all()) <= 6
    assert Event.people.through.objects.count() >= 40
    remote = Image.objects.remote_only()
    assert remote.count() == 60
    assert all(
        url.startswith("https://synthetic.invalid/gen-1-")
        for url in remote.values_list("source_url", flat=True)
    )


def test_all_three_languages_with_real_scripts_and_5_kb_bodies():
    generate("--articles", "20")
    originals = set(Article.objects.values_list("original_language", flat=True))
    assert originals == set(LANGUAGE_CODES)
    for article in Article.objects.all():
        body = article.text("body", article.original_language)
        assert 4_500 <= len(body.encode()) <= 8_000
        assert "\n## " in body or body.startswith("## ") or "\n\n" in body
        if article.original_language == "ja":
            assert KANA.search(body)
        if article.original_language == "zh-hans":
            assert HAN.search(body) and not KANA.search(body)


def test_edtf_dates_of_every_precision():
    writer = Writer(3)
    values = [writer.edtf() for _ in range(300)]
    assert any(re.fullmatch(r"\d{4}", value) for value in values)
    assert any(re.fullmatch(r"\d{4}-\d{2}", value) for value in values)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in values)
    assert any(value.endswith("~") for value in values)
    assert any("/" in value for value in values)


def test_rows_pass_full_clean_and_hold_what_save_derives():
    generate("--articles", "20")
    for model in MODELS:
        for item in model.objects.all():
            item.full_clean()
            derived = {
                field.attname: getattr(item, field.attname)
                for field in model._meta.concrete_fields
            }
            item.fill_derived_fields()
            again = {
                field.attname: getattr(item, field.attname)
                for field in model._meta.concrete_fields
            }
            assert again == derived, item.key
    for event in Event.objects.all():
        dates = edtf_range(event.date)
        assert (event.date_start, event.date_end) == (dates.start, dates.end)
    for article in Article.objects.all():
        assert article.published_on_site is not None
        for code in LANGUAGE_CODES:
            has_title = bool(article.text("title", code))
            assert bool(getattr(article, localized("slug", code))) == has_title


def test_the_same_seed_gives_the_same_archive():
    generate("--articles", "12", "--seed", "7")
    first = snapshot()
    generate("--purge")
    assert not Article.objects.exists()
    generate("--articles", "12", "--seed", "7")
    assert snapshot() == first
    generate("--purge")
    generate("--articles", "12", "--seed", "8")
    assert snapshot() != first


def test_no_clash_with_the_fixture_and_purge_leaves_it_intact():
    call_command("loaddata", "archive", verbosity=0)
    before = counts()
    fixture_people = {
        person.key: sorted(person.articles.values_list("key", flat=True))
        for person in Person.objects.all()
    }
    generate("--articles", "20")
    after = counts()
    assert after["Article"] == before["Article"] + 20
    assert after["Image"] == before["Image"] + 60
    assert generate("--purge").startswith("Removed ")
    assert counts() == before
    assert {
        person.key: sorted(person.articles.values_list("key", flat=True))
        for person in Person.objects.all()
    } == fixture_people


def test_purge_with_a_seed_removes_only_that_seed():
    generate("--articles", "5", "--seed", "1")
    generate("--articles", "5", "--seed", "11")
    generate("--purge", "--seed", "1")
    keys = set(Article.objects.values_list("key", flat=True))
    assert len(keys) == 5 and all(key.startswith("gen-11-") for key in keys)
    assert (
        Article.people.through.objects.filter(article__key__startswith="gen-1-").count()
        == 0
    )
    generate("--purge")
    assert counts() == dict.fromkeys(counts(), 0)


def test_the_same_seed_twice_is_refused_and_adds_nothing():
    generate("--articles", "5")
    before = counts()
    with pytest.raises(CommandError, match="already holds .* keyed gen-1-") as error:
        generate("--articles", "5")
    assert "\n" not in str(error.value)
    assert counts() == before


@pytest.mark.parametrize("value", ["0", "-5", "abc", "2.5"])
def test_bad_article_counts_are_one_clear_line(value):
    with pytest.raises(CommandError) as error:
        generate("--articles", value)
    assert str(error.value) == (
        f"--articles needs a whole number of at least 1, not “{value}”."
    )
    assert not Article.objects.exists()


def test_nothing_asked_is_one_clear_line():
    with pytest.raises(
        CommandError, match=r"^Give --articles N \(N ≥ 1\), or --purge\.$"
    ):
        generate()


def test_bad_input_from_the_command_line_exits_non_zero_with_one_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_archive", "--articles", "abc"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: --articles needs a whole number of at least 1, not “abc”."
    ]


def test_without_faker_one_clear_line_and_nothing_written(monkeypatch):
    monkeypatch.setitem(sys.modules, "faker", None)  # as if not installed
    with pytest.raises(CommandError) as error:
        generate("--articles", "3")
    assert str(error.value) == (
        "generate_archive needs Faker (pip install -r requirements-dev.txt)"
    )
    assert counts() == dict.fromkeys(counts(), 0)


def test_export_then_loaddata_reads_the_generated_archive_back(tmp_path):
    generate("--articles", "20")
    before = counts()
    before_links = sorted(
        Article.people.through.objects.values_list("article__key", "person__key")
    )
    export = tmp_path / "archive.json"
    call_command("export_archive", output=export, stdout=io.StringIO())
    generate("--purge")
    assert Article.objects.count() == 0
    call_command("loaddata", str(export), verbosity=0)
    assert counts() == before
    assert (
        sorted(
            Article.people.through.objects.values_list("article__key", "person__key")
        )
        == before_links
    )


def test_every_event_and_person_is_sourced_and_purge_removes_the_sources():
    generate("--articles", "20")
    events = Event.objects.filter(key__startswith="gen-")
    mentioned = events.filter(articles__isnull=False).distinct()
    assert mentioned.exists()
    for event in mentioned:
        (citation,) = event.citations.all()
        assert event.articles.filter(pk=citation.article_id).exists()
        assert citation.quote.strip()
        citation.full_clean()
    people = Person.objects.filter(key__startswith="gen-", articles__isnull=False)
    for person in people.distinct():
        (fact,) = person.facts.all()
        fact.full_clean()
        dates = edtf_range(fact.date)
        assert (fact.date_start, fact.date_end) == (dates.start, dates.end)
        (citation,) = fact.citations.all()
        assert person.articles.filter(pk=citation.article_id).exists()
        assert citation.article.original_language == fact.original_language
    assert generate("--purge").startswith("Removed ")
    assert not EventCitation.objects.exists()
    assert not PersonFact.objects.exists()
    assert not PersonFactCitation.objects.exists()
    assert counts() == dict.fromkeys(counts(), 0)
