"""The whole ``archive`` fixture keeps both sources verbatim.

Bodies, documents, checksums and source metadata are the project's source files'
own; an unchanged admin post of any item changes and logs nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from archive.models import (
    Article,
    Event,
    Image,
    Person,
)
from archive.sources import parse_source
from tests.admin_forms import browser_post_data, change_form_id
from tests.archive_fixture import (
    JA_ARTICLE,
    SOURCES,
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

    # -- sources kept verbatim -------------------------------------------------
    def test_bodies_and_documents_are_the_sources_verbatim(self):
        for article in Article.objects.all():
            with self.subTest(article=article.key):
                raw = read_text(SOURCES / article.source_filename)
                parsed = parse_source(raw)
                self.assertEqual(article.source_document, raw)
                self.assertEqual(
                    article.text("body", article.original_language), parsed.body
                )
                self.assertEqual(
                    article.text("title", article.original_language), parsed.title
                )
                self.assertEqual(article.source_format, parsed.format)
                self.assertEqual(article.original_language, parsed.language)
                self.assertEqual(
                    article.source_metadata, json.loads(json.dumps(parsed.metadata))
                )
                self.assertEqual(
                    article.source_sha256,
                    hashlib.sha256(raw.encode("utf-8")).hexdigest(),
                )
                self.assertEqual(article.source_sha256, parsed.sha256)

    def test_every_project_source_is_one_article_of_the_fixture(self):
        files = sorted(path.name for path in SOURCES.glob("*.txt"))
        self.assertTrue(files)
        self.assertEqual(
            sorted(Article.objects.values_list("source_filename", flat=True)), files
        )
        for name in files:
            with self.subTest(source=name):
                article = Article.objects.get(source_filename=name)
                self.assertEqual(article.source_document, read_text(SOURCES / name))

    def test_recorded_checksums_are_the_source_files_bytes(self):
        files = sorted(SOURCES.glob("*.txt"))
        self.assertEqual(len(files), 2)
        for path in files:
            with self.subTest(source=path.name):
                article = Article.objects.get(source_filename=path.name)
                self.assertEqual(
                    article.source_sha256, hashlib.sha256(path.read_bytes()).hexdigest()
                )
                self.assertEqual(
                    article.source_document.encode("utf-8"), path.read_bytes()
                )

    def test_an_unchanged_admin_post_of_every_item_changes_and_logs_nothing(self):
        # Every change form posted back as Chromium posts it (CRLF textareas).
        user = get_user_model().objects.create_superuser("admin", "a@example.org")
        self.client.force_login(user)
        before = snapshot()
        for model in (Article, Person, Event, Image):
            for item in model.objects.all():
                with self.subTest(item=item.key):
                    page = reverse(
                        f"admin:archive_{model._meta.model_name}_change",
                        args=[item.pk],
                    )
                    html = self.client.get(page).content.decode()
                    data = browser_post_data(html, change_form_id(model))
                    self.assertEqual(self.client.post(page, data).status_code, 302)
        self.assertEqual(snapshot(), before)
        self.assertFalse(LogEntry.objects.exists())

    def test_source_metadata_fields(self):
        ja = Article.objects.get(key=JA_ARTICLE)
        self.assertTrue(ja.ai_generated)
        self.assertTrue(ja.machine_translated)
        self.assertEqual(ja.generator_model, "x-ai/grok-4-fast")
        self.assertEqual(ja.translated_from, "")
        self.assertIsNone(ja.published_at)

        zh = Article.objects.get(key=ZH_ARTICLE)
        parsed = parse_source(read_text(SOURCES / zh.source_filename))
        self.assertEqual(zh.published_at, parsed.published_at)
        self.assertEqual(
            zh.published_at, datetime.datetime(2025, 1, 1, 4, 5, tzinfo=datetime.UTC)
        )
        self.assertEqual(zh.published_timezone, "Asia/Shanghai")
        self.assertEqual(zh.published_local.hour, 12)
        self.assertEqual(zh.original_url, parsed.metadata["original_url"])
        self.assertEqual(zh.author_zh_hans, "机器之心")
        self.assertEqual(zh.publisher_zh_hans, "机器之心")
        self.assertEqual(zh.posting_location_zh_hans, "四川")
        # The WeChat export says nothing of AI generation or translation.
        self.assertIsNone(zh.ai_generated)
        self.assertIsNone(zh.machine_translated)
        for article in (ja, zh):
            self.assertEqual(article.status, Article.Status.PUBLISHED)
            self.assertIsNotNone(article.published_on_site)
