"""The name policy applied to the archive (README, "Names"): every person's names,
the translations we made, institutions, event categories and translation records.

Only the archive's own texts are checked for consistency: an article's body in its
original language is the source, verbatim, whatever it writes.
"""

from __future__ import annotations

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from archive import names
from archive.models import Article, ArticleTranslation, Event, Image, Person, PersonName
from archive.models.common import LANGUAGE_CODES, localized
from archive.templatetags.archive_partials import translation_record
from tests.archive_fixture import JA_ARTICLE, ZH_ARTICLE

# Each text field of each model, slugs left out (URLs stay as published).
TEXT_FIELDS = {
    Article: ("title", "subtitle", "summary", "body"),
    Event: ("title", "description"),
    Person: ("name", "bio"),
    Image: ("title", "caption", "alt_text", "credit"),
}
# Forms the archive's texts must not use, per language, and the form they use.
NOT_OURS = {
    "ja": {"オーリン": "オリン", "シスタシアン予備校に": "シトー会系の私立学校"},
    "zh-hans": {
        "欧林": "奥林",
        "预科学校": "西多会预备学校",
        "亚历克": "Alec Radford",
        "萨姆·奥尔特曼": "山姆·奥特曼",
    },
}


def our_texts(language: str):
    """(item, field, text) of every text the archive wrote in ``language``: not an
    article's body in its original language."""
    for model, fields in TEXT_FIELDS.items():
        for item in model.objects.all():
            for field in fields:
                if model is Article and field == "body":
                    if item.original_language == language:
                        continue
                text = getattr(item, localized(field, language)) or ""
                if text:
                    yield item, field, text


class NamePolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "archive", verbosity=0)

    def test_every_name_uses_one_separator_per_script(self):
        used: dict[str, set[str]] = {}
        for person in Person.objects.prefetch_related("alternative_names"):
            forms = [person.text("name", code) for code in LANGUAGE_CODES]
            forms += [
                other.name
                for other in person.alternative_names.all()
                if other.kind != PersonName.Kind.AS_WRITTEN
            ]
            for name in filter(None, forms):
                with self.subTest(person=person.key, name=name):
                    self.assertEqual(names.wrong_dots(name), set())
                used.setdefault(names.script(name), set()).update(names.dots_in(name))
        self.assertEqual(used[names.HAN], {names.CHINESE_DOT})
        self.assertEqual(used[names.KANA], {names.KATAKANA_DOT})
        self.assertEqual(used[names.LATIN], set())

    def test_the_chinese_sources_spelling_is_kept_as_written(self):
        synced = Article.objects.get(key=ZH_ARTICLE)
        altman = Person.objects.get(key="sam-altman")
        self.assertEqual(altman.name_zh_hans, "山姆·奥特曼")
        kept = altman.alternative_names.get(kind=PersonName.Kind.AS_WRITTEN)
        self.assertEqual((kept.name, kept.source), ("山姆・奥特曼", synced))
        self.assertIn(kept.name, synced.body_zh_hans)

    def test_chinese_names_are_the_chinese_sources_else_latin(self):
        synced = Article.objects.get(key=ZH_ARTICLE).body_zh_hans
        synced = names.with_policy_dots(synced)  # compare names, not their dots
        for person in Person.objects.all():
            with self.subTest(person=person.key):
                name = person.name_zh_hans
                if names.script(name) == names.LATIN:
                    self.assertEqual(name, person.name_en)
                else:  # a Chinese form only where the Chinese source writes one
                    self.assertIn(name, synced)

    def test_the_translations_we_made_use_the_records_names(self):
        bio = Article.objects.get(key=JA_ARTICLE)
        for person in bio.people.prefetch_related("alternative_names"):
            if person.name_ja not in bio.body_ja:
                continue
            with self.subTest(person=person.key):
                self.assertIn(person.name_zh_hans, bio.body_zh_hans)
                self.assertIn(person.name_en, bio.body_en)
                for other in person.alternative_names.all():
                    self.assertNotIn(other.name, bio.body_zh_hans)

    def test_institutions_are_written_one_way_in_our_texts(self):
        for language, forms in NOT_OURS.items():
            for item, field, text in our_texts(language):
                for wrong in forms:
                    with self.subTest(item=str(item), field=field, wrong=wrong):
                        self.assertNotIn(wrong, text)
        event = Event.objects.get(key="cistercian-preparatory-school")
        self.assertIn("シトー会系の私立学校", event.title_ja)
        self.assertIn("西多会预备学校", event.title_zh_hans)

    def test_changes_to_our_translations_are_recorded_in_their_notes(self):
        zh = ArticleTranslation.objects.get(article__key=JA_ARTICLE, language="zh-hans")
        self.assertIn("萨姆·奥尔特曼 → 山姆·奥特曼", zh.notes)
        ja = ArticleTranslation.objects.get(article__key=ZH_ARTICLE, language="ja")
        self.assertIn("オーリン → オリン", ja.notes)

    def test_papers_and_media_reports_have_their_own_categories(self):
        def keys(category):
            return set(
                Event.objects.filter(category=category).values_list("key", flat=True)
            )

        self.assertEqual(
            keys(Event.Category.MEDIA),
            {"synced-profile-published", "techcrunch-subpoena-report"},
        )
        self.assertIn("gpt-1-paper", keys(Event.Category.PAPER))
        labels = {}
        for language in ("ja", "zh-hans"):
            with translation.override(language):
                labels[language] = (
                    str(Event.Category.PAPER.label),
                    str(Event.Category.MEDIA.label),
                )
        self.assertEqual(labels["ja"], ("論文", "報道"))
        self.assertEqual(labels["zh-hans"], ("论文", "媒体报道"))

    def test_the_translator_is_marked_as_english_on_other_pages(self):
        record = ArticleTranslation.objects.get(
            article__key=JA_ARTICLE, language="zh-hans"
        )
        with translation.override("zh-hans"):
            html = translation_record(record, "ja")
        self.assertIn(f'<span lang="en">{record.translator}</span>', html)
        with translation.override("en"):
            self.assertNotIn("<span", translation_record(record, "ja"))

    def test_the_article_page_marks_the_translator_and_notes(self):
        bio = Article.objects.get(key=JA_ARTICLE)
        with translation.override("zh-hans"):
            html = self.client.get(bio.get_absolute_url()).content.decode()
        self.assertIn('由<span lang="en">Claude (Anthropic)</span>翻译', html)
        self.assertIn("（英语）", html)
        self.assertIn('<span lang="en">Machine-translated from', html)
