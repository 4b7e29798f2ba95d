"""The archive's claims read against its two sources: every event and every fact
about a person has a source, every quote is verbatim, every heading is the
source's own, and the public pages show it all (issue 8, deliverables 1 and 3)."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from archive.models import (
    Article,
    Event,
    EventCitation,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
)
from tests.archive_fixture import JA_ARTICLE, SOURCES, ZH_ARTICLE, read_text
from tests.factories import page_text, url_in

AI_LABEL = "Only source: AI-generated and machine-translated"


def headings(article: Article) -> set[str]:
    """The headings the source file gives: its Markdown ``###`` lines; the WeChat
    export has one, a bold line of its own (its other bold line is the byline)."""
    if article.key == ZH_ARTICLE:
        return {"Alec Radford 的人生故事"}
    text = read_text(SOURCES / article.source_filename)
    return set(re.findall(r"^#{2,6} (.+?)\s*$", text, flags=re.MULTILINE))


class ClaimsFixtureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "archive", verbosity=0)

    # -- every claim has a source ----------------------------------------------
    def test_every_event_has_a_source(self):
        self.assertGreaterEqual(Event.objects.count(), 30)
        unsourced = Event.objects.filter(citations=None).values_list("key", flat=True)
        self.assertEqual(list(unsourced), [])

    def test_every_person_has_facts_and_every_fact_a_source(self):
        self.assertFalse(Person.objects.filter(facts=None).exists())
        self.assertFalse(PersonFact.objects.filter(citations=None).exists())
        for fact in PersonFact.objects.all():
            with self.subTest(fact=str(fact)):
                fact.full_clean()
                for code in ("en", "ja", "zh_hans"):
                    self.assertTrue(getattr(fact, f"statement_{code}"))

    def test_the_birth_date_is_a_sourced_fact(self):
        born = PersonFact.objects.get(person__key="alec-radford", kind="born")
        self.assertEqual(born.date, "1993-04")
        self.assertEqual(
            [c.locator for c in born.citations.all()], ["生年月日"]
        )  # the biography's own heading: its only source

    def test_every_quote_is_verbatim_and_every_heading_the_sources_own(self):
        citations = [
            *EventCitation.objects.select_related("article"),
            *PersonFactCitation.objects.select_related("article"),
        ]
        self.assertGreater(len(citations), 60)
        for citation in citations:
            article = citation.article
            with self.subTest(quote=citation.quote[:30]):
                source = read_text(SOURCES / article.source_filename)
                self.assertIn(citation.quote, source)
                self.assertIn(citation.quote, article.source_document)
                if citation.locator:
                    self.assertIn(citation.locator, headings(article))

    def test_quotes_stand_under_the_heading_they_name(self):
        for citation in EventCitation.objects.select_related("article"):
            source = read_text(SOURCES / citation.article.source_filename)
            start = source.index(citation.quote)
            before = source[:start]
            names = [h for h in headings(citation.article) if h in before]
            last = max(names, key=before.rindex) if names else ""
            with self.subTest(event=citation.event_id, quote=citation.quote[:20]):
                self.assertEqual(citation.locator, last)

    # -- the missing facts ---------------------------------------------------------
    def test_gpt_4_is_an_undated_event_quoting_the_synced_sentence(self):
        event = Event.objects.get(key="gpt-4-pretraining")
        self.assertEqual((event.date, event.date_start), ("", None))
        quote = event.citations.get().quote
        self.assertIn("GPT-4 的预训练数据和架构研究工作", quote)
        self.assertEqual(event.citations.get().article.key, ZH_ARTICLE)
        self.assertTrue(event.articles.filter(key=ZH_ARTICLE).exists())
        for code in ("en", "ja", "zh_hans"):
            self.assertIn("GPT-4", getattr(event, f"title_{code}"))

    def test_conflicting_readings_are_both_recorded(self):
        olin = PersonFact.objects.get(
            person__key="alec-radford", statement_en__contains="Olin"
        )
        readings = {c.article.key: c.reading_en for c in olin.citations.all()}
        self.assertIn("without a degree", readings[JA_ARTICLE])
        self.assertIn("bachelor's degree", readings[ZH_ARTICLE])
        self.assertTrue(olin.sources_differ)

    def test_only_the_archives_links_are_marked_as_its_own(self):
        self.assertTrue(PersonLink.objects.exists())
        self.assertFalse(PersonLink.objects.filter(source__isnull=False).exists())

    # -- the public pages ----------------------------------------------------------
    def test_event_page_lists_each_source_with_its_heading_and_quote(self):
        event = Event.objects.get(key="joins-openai")
        html = page_text(self.client.get(url_in(event, "en")))
        self.assertIn("What the sources say", html)
        self.assertIn('<blockquote class="citation__quote" lang="ja">', html)
        self.assertIn('<blockquote class="citation__quote" lang="zh-Hans">', html)
        self.assertIn("ラドフォードは2016年、創立1年後のOpenAIに参加し", html)
        self.assertIn('<q lang="zh-Hans">Alec Radford 的人生故事</q>', html)
        # One source is neither AI-generated nor machine-translated: no label.
        self.assertNotIn("Only source", html)

    def test_ai_only_claims_are_labelled_on_event_timeline_and_person_pages(self):
        born = Event.objects.get(key="radford-born")
        for language, label in (
            ("en", AI_LABEL),
            ("ja", "唯一の出典：AI生成・機械翻訳"),
            ("zh-hans", "唯一出处：AI 生成且经机器翻译"),
        ):
            with self.subTest(language=language):
                html = page_text(self.client.get(url_in(born, language)))
                self.assertIn(label, html)
                timeline = page_text(self.client.get(f"/{language}/timeline/"))
                item = re.search(
                    rf'<a href="{re.escape(url_in(born, language))}">.*?</p>\s*'
                    r'<p class="event__sources">(.*?)</p>',
                    timeline,
                    flags=re.DOTALL,
                )
                self.assertIsNotNone(item)
                self.assertIn(label, item.group(1))
                radford = Person.objects.get(key="alec-radford")
                person = page_text(self.client.get(url_in(radford, language)))
                self.assertIn(label, person)
        joins = Event.objects.get(key="joins-openai")
        with translation.override("en"):
            self.assertEqual(joins.source_caution, "")

    def test_both_readings_render_where_the_sources_differ(self):
        event = Event.objects.get(key="olin-college-linkedin")
        html = page_text(self.client.get(url_in(event, "en")))
        self.assertIn("The sources differ", html)
        self.assertIn("大学を中退", html)
        self.assertIn("并获得学士学位", html)
        self.assertIn("left university without a degree", html)
        self.assertIn("earned a bachelor&#x27;s degree", html)
        radford = Person.objects.get(key="alec-radford")
        person = page_text(self.client.get(url_in(radford, "ja")))
        self.assertIn("資料によって記述が異なる", person)
        self.assertIn("学位を取らずに大学を中退し", person)
        self.assertIn("学士号を取得した", person)

    def test_timeline_names_each_events_sources(self):
        html = page_text(self.client.get("/en/timeline/"))
        self.assertEqual(html.count('class="event__sources"'), Event.objects.count())
        self.assertIn("Sources:", html)
        self.assertIn("Source:", html)

    def test_person_page_shows_dated_affiliations_and_the_archives_links(self):
        kornblith = Person.objects.get(key="simon-kornblith")
        html = page_text(self.client.get(url_in(kornblith, "en")))
        self.assertIn("Researcher at Anthropic", html)
        self.assertIn('<time datetime="2025-01-01">as of Jan. 1, 2025</time>', html)
        altman = Person.objects.get(key="sam-altman")
        html = page_text(self.client.get(url_in(altman, "zh-hans")))
        self.assertIn('href="https://en.wikipedia.org/wiki/Sam_Altman"', html)
        self.assertIn("由本档案馆添加", html)
