"""The whole ``archive`` fixture, loaded and checked.

It must load into an empty database, give every item its text in all three
languages, load a second time without changing anything (natural keys), and a
malformed fixture must fail cleanly and write nothing. That it keeps both sources
verbatim is checked in ``test_fixture_sources``.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from archive.dates import edtf_range
from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    Image,
    Person,
    PersonFact,
    PersonLink,
    Reference,
)
from archive.models.common import LANGUAGE_CODES, localized
from archive.rights import RightsStatement
from archive.sources import parse_source
from tests.archive_fixture import (
    FIXTURE,
    JA_ARTICLE,
    ZH_ARTICLE,
    read_text,
    snapshot,
)


class ArchiveFixtureTests(TestCase):
    """``manage.py loaddata archive`` into an empty, migrated database."""

    @classmethod
    def setUpTestData(cls):
        assert not Article.objects.exists(), "the database should start empty"
        call_command("loaddata", "archive", verbosity=0)

    # -- the file itself -------------------------------------------------------
    def test_fixture_uses_natural_keys_only(self):
        data = json.loads(read_text(FIXTURE))
        self.assertTrue(data)
        for obj in data:
            self.assertNotIn("pk", obj, obj["model"])
        self.assertIn(
            ["jiqizhixin-2025-cover"], [o["fields"].get("cover_image") for o in data]
        )

    # -- counts ----------------------------------------------------------------
    def test_counts(self):
        self.assertEqual(Article.objects.count(), 2)
        self.assertGreaterEqual(Person.objects.count(), 10)
        self.assertGreaterEqual(Event.objects.count(), 20)
        self.assertEqual(Image.objects.count(), 12)
        self.assertEqual(Reference.objects.filter(article__key=JA_ARTICLE).count(), 4)
        self.assertEqual(Reference.objects.filter(article__key=ZH_ARTICLE).count(), 2)
        self.assertEqual(ArticleTranslation.objects.count(), 4)
        self.assertGreaterEqual(PersonLink.objects.count(), 3)

    # -- three languages -------------------------------------------------------
    def test_every_item_has_its_title_in_all_three_languages(self):
        checks = [
            (Article, "title"),
            (Article, "summary"),
            (Person, "name"),
            (Person, "bio"),
            (Event, "title"),
            (Event, "description"),
            (Image, "title"),
            (Image, "caption"),
            (Image, "alt_text"),
        ]
        for model, field in checks:
            for obj in model.objects.all():
                for code in LANGUAGE_CODES:
                    with self.subTest(item=obj.key, field=field, language=code):
                        self.assertTrue(obj.text(field, code).strip())

    def test_full_translations_are_recorded_and_never_replace_the_original(self):
        expected = {
            JA_ARTICLE: ("ja", {"en", "zh-hans"}),
            ZH_ARTICLE: ("zh-hans", {"en", "ja"}),
        }
        for key, (original, translations) in expected.items():
            article = Article.objects.get(key=key)
            original_body = article.text("body", original)
            records = {t.language: t for t in article.translations.all()}
            self.assertEqual(set(records), translations)
            for code in translations:
                with self.subTest(article=key, language=code):
                    body = article.text("body", code)
                    # A full translation, not a summary: of comparable length.
                    self.assertGreater(len(body), len(original_body) // 3)
                    self.assertNotEqual(body, original_body)
                    record = records[code]
                    self.assertEqual(record.translated_from, original)
                    self.assertEqual(record.method, ArticleTranslation.Method.MACHINE)
                    self.assertTrue(record.translator)
                    self.assertIn("not reviewed", record.notes)
                    self.assertIsNotNone(record.translated_on)

    def test_the_archives_own_text_says_who_wrote_it(self):
        # Names, bios, descriptions, captions and summaries were written for the
        # archive by an AI model: recorded as such on every item.
        for model in (Article, Person, Event, Image):
            for item in model.objects.all():
                with self.subTest(item=item.key):
                    self.assertEqual(item.text_origin, "ai")
                    self.assertEqual(item.text_author, "Claude (Anthropic)")

    def test_slugs_in_every_language_with_a_title(self):
        for model in (Article, Person, Event):
            for obj in model.objects.all():
                for code in LANGUAGE_CODES:
                    with self.subTest(item=obj.key, language=code):
                        self.assertTrue(getattr(obj, localized("slug", code)))

    # -- people ----------------------------------------------------------------
    def test_people_are_named_in_the_articles_linking_them(self):
        expected = {
            "alec-radford",
            "slater-victoroff",
            "diana-yuan",
            "madison-may",
            "luke-metz",
            "soumith-chintala",
            "jeff-clune",
            "sam-altman",
            "simon-kornblith",
            "larry-page",
        }
        self.assertLessEqual(
            expected, set(Person.objects.values_list("key", flat=True))
        )
        for person in Person.objects.prefetch_related("articles", "alternative_names"):
            self.assertTrue(person.articles.exists(), person.key)
            for article in person.articles.all():
                with self.subTest(person=person.key, article=article.key):
                    # The preferred name, or the source's own spelling kept beside
                    # it (README, "Names": 山姆・奥特曼 as Synced writes it).
                    forms = {person.text("name", article.original_language)} | {
                        other.name
                        for other in person.alternative_names.all()
                        if other.source_id == article.pk
                    }
                    body = article.text("body", article.original_language)
                    self.assertTrue(any(form in body for form in forms), forms)

    def test_radford_birth_date_keeps_its_precision(self):
        radford = Person.objects.get(key="alec-radford")
        born = radford.facts.get(kind=PersonFact.Kind.BORN)
        self.assertEqual(born.date, "1993-04")
        self.assertEqual(born.date_start, datetime.date(1993, 4, 1))
        self.assertEqual(radford.sort_name, "Radford, Alec")
        self.assertTrue(
            radford.links.filter(
                url="https://en.wikipedia.org/wiki/Alec_Radford"
            ).exists()
        )
        for fact in PersonFact.objects.all():
            dates = edtf_range(fact.date)
            self.assertEqual((fact.date_start, fact.date_end), (dates.start, dates.end))

    # -- events ----------------------------------------------------------------
    def test_events_span_1993_to_2025_with_derived_dates(self):
        years = set()
        for event in Event.objects.prefetch_related("articles"):
            with self.subTest(event=event.key):
                dates = edtf_range(event.date)
                self.assertEqual(
                    (event.date_start, event.date_end), (dates.start, dates.end)
                )
                self.assertTrue(event.articles.exists())
                self.assertTrue(event.text("title", event.original_language))
                self.assertTrue(event.text("description", event.original_language))
                self.assertIn(event.original_language, ("ja", "zh-hans"))
                if event.date:  # undated events have no sort keys
                    years.add(event.date_start.year)
        self.assertEqual(min(years), 1993)
        self.assertEqual(max(years), 2025)
        self.assertEqual(Event.objects.get(key="radford-born").date, "1993-04")
        self.assertEqual(Event.objects.get(key="leaves-openai").date, "2024-12-20")

    def test_events_link_people(self):
        radford = Person.objects.get(key="alec-radford")
        self.assertGreaterEqual(radford.events.count(), 20)
        self.assertTrue(
            Event.objects.filter(
                key="last-tweet", people__key="simon-kornblith"
            ).exists()
        )

    # -- references and images -------------------------------------------------
    def test_references_are_the_links_the_sources_give(self):
        ja = Article.objects.get(key=JA_ARTICLE)
        titles = list(
            ja.references.order_by("position").values_list("title", flat=True)
        )
        self.assertEqual(titles[0], "THE PEOPLE ARE IN THE COMPUTER—PART I")
        self.assertEqual(len(titles), 4)
        for article in Article.objects.all():
            body = article.text("body", article.original_language)
            for reference in article.references.all():
                with self.subTest(article=article.key, position=reference.position):
                    self.assertIn(f"[{reference.title}]({reference.url})", body)

    def test_images_keep_their_source_url_and_place_in_the_text(self):
        article = Article.objects.get(key=ZH_ARTICLE)
        parsed = parse_source(article.source_document)
        images = list(article.images.order_by("position"))
        self.assertEqual([image.position for image in images], list(range(12)))
        self.assertEqual(article.cover_image, images[0])
        self.assertEqual(images[0].source_url, parsed.metadata["cover_image_url"])
        body = article.text("body", "zh-hans")
        offsets = [body.index(f"![]({image.source_url})") for image in images[1:]]
        self.assertEqual(offsets, sorted(offsets))
        for image in images:
            with self.subTest(image=image.key):
                self.assertFalse(image.file)
                self.assertFalse(image.decorative)
                self.assertEqual(image.original_language, "zh-hans")
                self.assertEqual(image.credit_zh_hans, "出自机器之心文章")
                self.assertEqual(image.credit_en, "From the Synced article")
                self.assertEqual(image.rights_statement, RightsStatement.NOT_EVALUATED)
                self.assertIn("转载请联系本公众号获得授权", image.rights_note_zh_hans)

    def test_rights_and_the_archives_own_words(self):
        zh = Article.objects.get(key=ZH_ARTICLE)
        ja = Article.objects.get(key=JA_ARTICLE)
        self.assertEqual(zh.rights_statement, RightsStatement.IN_COPYRIGHT)
        notice = "转载请联系本公众号获得授权"
        self.assertEqual(zh.source_rights_notice, notice)
        self.assertIn(notice, zh.source_document.splitlines())
        # No permission is recorded: the page says so.
        for code in LANGUAGE_CODES:
            self.assertFalse(zh.text("permission_note", code))
            self.assertTrue(zh.text("rights_note", code))
            self.assertTrue(ja.text("rights_note", code))
            # The subtitles were the archive's: neither source has one.
            self.assertFalse(zh.text("subtitle", code))
            self.assertFalse(ja.text("subtitle", code))
        # An AI-generated note with no author, publisher or notice: not evaluated.
        self.assertEqual(ja.rights_statement, RightsStatement.NOT_EVALUATED)
        self.assertEqual(ja.source_rights_notice, "")
        self.assertIsNone(zh.ai_generated)
        self.assertEqual(zh.posting_location_zh_hans, "四川")

    # -- validity and idempotence ----------------------------------------------
    def test_every_object_passes_full_clean(self):
        for model in (
            Article,
            Person,
            Event,
            Image,
            PersonLink,
            Reference,
            ArticleTranslation,
            PersonFact,
        ):
            for obj in model.objects.all():
                with self.subTest(model=model.__name__, pk=obj.pk):
                    obj.full_clean()

    def test_export_gives_back_the_fixture_and_loads_without_change(self):
        out = Path(tempfile.mkdtemp()) / "export.json"
        call_command("export_archive", output=out, verbosity=0)
        exported = json.loads(out.read_text(encoding="utf-8"))
        original = json.loads(FIXTURE.read_text(encoding="utf-8"))

        def comparable(objects):
            # M2M lists as sets; an empty translation column may be "" or NULL.
            return sorted(
                json.dumps(
                    {
                        "model": obj["model"],
                        "fields": {
                            name: sorted(map(json.dumps, value))
                            if isinstance(value, list)
                            else (None if value == "" else value)
                            for name, value in obj["fields"].items()
                        },
                    },
                    sort_keys=True,
                    ensure_ascii=False,
                )
                for obj in objects
            )

        self.assertEqual(comparable(exported), comparable(original))
        before = snapshot()
        call_command("loaddata", str(out), verbosity=0)
        self.assertEqual(snapshot(), before)

    def test_loading_twice_changes_nothing(self):
        before = snapshot()
        call_command("loaddata", "archive", verbosity=0)
        after = snapshot()
        self.assertEqual(
            {t: len(r) for t, r in after.items()},
            {t: len(r) for t, r in before.items()},
        )
        self.assertEqual(after, before)

    def test_invalid_json_fails_cleanly_and_writes_nothing(self):
        path = self._write("broken.json", '[{"model": "archive.event", "fields": {')
        self._assert_rejected(path)

    def test_unknown_field_fails_cleanly_and_writes_nothing(self):
        path = self._write_objects("unknown-field.json", {"nonexistent_column": "x"})
        self._assert_rejected(path)

    def test_invalid_value_fails_cleanly_and_writes_nothing(self):
        path = self._write_objects("bad-date.json", {"date": "late in 2015"})
        self._assert_rejected(path)

    # -- helpers ---------------------------------------------------------------
    def _write(self, name: str, text: str) -> Path:
        folder = tempfile.TemporaryDirectory(prefix="fixture-test-")
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / name
        path.write_text(text, encoding="utf-8")
        return path

    def _write_objects(self, name: str, bad_fields: dict) -> Path:
        """A valid new event followed by a broken one: neither may be written."""

        def event(key: str, **extra) -> dict:
            return {
                "model": "archive.event",
                "fields": {
                    "key": key,
                    "original_language": "en",
                    "title_en": f"Event {key}",
                    "date": "2015",
                    "date_start": "2015-01-01",
                    "date_end": "2015-12-31",
                    "created_at": "2026-11-23T00:00:00Z",
                    "updated_at": "2026-11-23T00:00:00Z",
                    **extra,
                },
            }

        data = [event("fixture-test-valid"), event("fixture-test-broken", **bad_fields)]
        return self._write(name, json.dumps(data))

    def _assert_rejected(self, path: Path) -> None:
        before = snapshot()
        with self.assertRaises(CommandError) as caught:
            call_command("loaddata", str(path), verbosity=0)
        message = str(caught.exception)
        self.assertTrue(message)
        self.assertNotIn("\n", message)
        self.assertEqual(snapshot(), before)
        self.assertFalse(Event.objects.filter(key__startswith="fixture-test-").exists())
