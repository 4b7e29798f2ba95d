"""The archive's own dates, read against the sources: every value in words in three
languages, and the timeline in the order the sources imply."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from archive import selectors
from archive.dates import format_edtf, validate_edtf
from archive.models import Event, PersonFact
from tests.factories import make_event, page_text

#: EDTF syntax that must never reach a reader.
RAW_CODE = re.compile(r"\[|\]|\{|\}|\.\.|[~?%]|XX|\d{4}-\d{2}(?!\d)|^\d{4}/|/\d{4}")

#: (earlier, later, the passage that orders them).
KNOWN_ORDER = [
    (
        "leaves-openai",
        "openai-restructuring",
        "上个月 20 号 … / 几天前，OpenAI 宣布组织结构调整",
    ),
    (
        "leaves-openai",
        "altman-thanks-radford",
        "上个月 20 号 … / 几天前 … 之后，他又单独发了一条推文",
    ),
    (
        "openai-restructuring",
        "altman-thanks-radford",
        "几天前，OpenAI 宣布组织结构调整 … 与此同时 … 之后，他又单独发了一条推文",
    ),
    (
        "openai-restructuring",
        "synced-profile-published",
        "几天前 (before 发布时间 2025-01-01)",
    ),
    (
        "altman-thanks-radford",
        "synced-profile-published",
        "几天前 (before 发布时间 2025-01-01)",
    ),
    (
        "olin-college-enrolment",
        "alexnet-fascination",
        "2011年 … 入学 / 2年次の2012年後半",
    ),
    ("alexnet-fascination", "indico-founded", "2012年後半 / 2013年、3年次に"),
    (
        "vae-tweets",
        "gan-faces-tweet",
        "2015年初頭 … / 2015年7月のGAN生成顔画像のツイート",
    ),
    ("gan-faces-tweet", "text-to-image", "2015年7月 / 2015年10月までに"),
    (
        "joins-openai",
        "reddit-language-model-experiment",
        "2016 年，Radford 选择加入 OpenAI / 他的第一个实验",
    ),
    (
        "reddit-language-model-experiment",
        "gpt-1-paper",
        "第一个实验 … 成为后续 … 如大家熟知的初代 GPT 的开始",
    ),
]


class FixtureDatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "archive", verbosity=0)

    def test_every_edtf_value_displays_in_three_languages_without_the_raw_code(self):
        values = {("event", e.key, e.date) for e in Event.objects.all()}
        values |= {
            ("fact", f"{f.person.key} {f.position}", f.date)
            for f in PersonFact.objects.select_related("person")
        }
        dated = [item for item in values if item[2]]
        self.assertGreater(len(dated), 25)
        for kind, key, value in sorted(dated):
            validate_edtf(value)
            for language in ("en", "ja", "zh-hans"):
                with self.subTest(item=f"{kind} {key}", language=language):
                    with translation.override(language):
                        shown = format_edtf(value)
                    self.assertTrue(shown)
                    if not re.fullmatch(r"\d{4}", value):  # a year reads as itself
                        self.assertNotEqual(shown, value)
                    self.assertIsNone(RAW_CODE.search(shown), shown)

    def test_the_corrected_dates_read_as_the_sources_say(self):
        expected = {
            "alexnet-fascination": (
                "second half of 2012",
                "2012年後半",
                "2012年下半年",
            ),
            "vae-tweets": (
                "early 2015 (first quarter)",
                "2015年初頭（第1四半期）",
                "2015年初（第一季度）",
            ),
            "reddit-language-model-experiment": (
                "one of 2016, 2017 or 2018",
                "2016年、2017年または2018年のいずれか",
                "2016年、2017年或2018年中的某一个",
            ),
            "openai-restructuring": (
                "one day between Dec. 21, 2024 and Dec. 31, 2024",
                "2024年12月21日から2024年12月31日までのいずれかの日",
                "2024年12月21日至2024年12月31日之间的某一天",
            ),
        }
        for key, texts in expected.items():
            event = Event.objects.get(key=key)
            for language, text in zip(("en", "ja", "zh-hans"), texts, strict=True):
                with self.subTest(key=key, language=language):
                    with translation.override(language):
                        self.assertEqual(event.date_display, text)
        thanks = Event.objects.get(key="altman-thanks-radford")
        self.assertEqual(thanks.date, "[2024-12-21..2024-12-31]")

    def test_timeline_order_against_the_sources(self):
        order = [e.key for group in selectors.timeline() for e in group.events]
        for earlier, later, passage in KNOWN_ORDER:
            with self.subTest(earlier=earlier, later=later, passage=passage):
                self.assertLess(order.index(earlier), order.index(later))

    def test_undated_events_come_after_every_dated_one(self):
        make_event(key="undated-fact", date="")
        groups = selectors.timeline()
        self.assertIsNone(groups[-1].year)
        undated = [e.key for e in groups[-1].events]
        self.assertIn("undated-fact", undated)
        self.assertIn("gpt-4-pretraining", undated)
        self.assertEqual(
            set(undated),
            set(Event.objects.filter(date="").values_list("key", flat=True)),
        )
        self.assertTrue(all(group.year for group in groups[:-1]))
        # The home page's "latest events" are dated ones.
        overview = selectors.home_overview()
        self.assertNotIn("undated-fact", [e.key for e in overview.highlights])

    def test_timeline_page_in_three_languages(self):
        make_event(key="undated-fact", date="")
        for language, half, undated in (
            ("en", "second half of 2012", "Undated"),
            ("ja", "2012年後半", "日付不明"),
            ("zh-hans", "2012年下半年", None),
        ):
            with self.subTest(language=language):
                # override: restore the active language the page activates.
                with translation.override("en"):
                    response = self.client.get(f"/{language}/timeline/")
                html = page_text(response)
                self.assertIn(half, html)
                self.assertNotIn("[2016..2018]", html)
                self.assertNotIn("2024-12-21..", html)
                # 2024-12-20 before the late-December events, undated last.
                self.assertLess(
                    html.index('id="year-2024"'), html.index('id="year-2025"')
                )
                self.assertLess(
                    html.index('id="year-2025"'), html.index('id="year-undated"')
                )
                if undated:
                    self.assertIn(undated, html)
