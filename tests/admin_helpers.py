"""The editors' admin test modules' shared set-up: a logged-in editor, form data, URLs.

The fixtures are pytest fixtures; each test module that uses them names them at
module level (``client = admin_helpers.client``) so that pytest finds them there.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from archive.models.common import LANGUAGE_CODES, localized
from archive.rights import DEFAULT_STATEMENT

RIGHTS_NOT_EVALUATED = str(DEFAULT_STATEMENT)


# -- fixtures and form data --------------------------------------------------
@pytest.fixture
def editor(django_user_model):
    """A staff member who may edit the archive, and nothing else (not a superuser)."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw-for-tests", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    return user


@pytest.fixture
def client(client, editor):
    client.force_login(editor)
    return client


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def empty_columns(*fields: str) -> dict[str, str]:
    return {localized(field, code): "" for field in fields for code in LANGUAGE_CODES}


def article_post(**overrides) -> dict:
    """Every field of the article add form, its three inlines included (empty)."""
    data = {
        **empty_columns(
            "title",
            "subtitle",
            "summary",
            "body",
            "slug",
            "publisher",
            "author",
            "posting_location",
            "rights_note",
            "permission_note",
        ),
        "key": "ja-only",
        "original_language": "ja",
        "text_origin": "editors",
        "text_author": "",
        "title_ja": "日本語だけの記事",
        "body_ja": "本文です。英語も中国語もありません。",
        "original_url": "",
        "published_at_0": "",
        "published_at_1": "",
        "published_timezone": "",
        "generator_model": "",
        "translated_from": "",
        "source_filename": "",
        "source_format": "other",
        "source_document": "",
        "source_metadata": "{}",
        "rights_statement": RIGHTS_NOT_EVALUATED,
        "source_rights_notice": "",
        "cover_image": "",
        "status": "draft",
        "published_on_site_0": "",
        "published_on_site_1": "",
        **management("images"),
        **management("references"),
        **management("translations"),
    }
    data.update(overrides)
    return data


def event_post(**overrides) -> dict:
    data = {
        **empty_columns("title", "description", "slug"),
        "key": "born",
        "original_language": "en",
        "text_origin": "editors",
        "text_author": "",
        "title_en": "Born",
        "date": "1993-04",
        "date_order": "0",
        "category": "life",
        **management("citations"),
    }
    data.update(overrides)
    return data


def person_post(**overrides) -> dict:
    data = {
        **empty_columns("name", "bio", "slug"),
        "key": "alec-radford",
        "original_language": "en",
        "text_origin": "editors",
        "text_author": "",
        "name_en": "Alec Radford",
        "sort_name": "Radford, Alec",
        "portrait": "",
        **management("alternative_names"),
        **management("facts"),
        **management("links"),
    }
    data.update(overrides)
    return data


def fact_rows(date: str, *, kind: str = "born", statement: str = "Born") -> dict:
    """One row of a person form's facts inline, as a browser posts it."""
    return {
        **management("facts", total=1),
        "facts-0-position": "0",
        "facts-0-kind": kind,
        "facts-0-statement_en": statement,
        "facts-0-statement_ja": "",
        "facts-0-statement_zh_hans": "",
        "facts-0-date": date,
        "facts-0-original_language": "en",
    }


def image_post(**overrides) -> dict:
    data = {
        **empty_columns(
            "title", "caption", "alt_text", "credit", "rights_note", "permission_note"
        ),
        "rights_statement": RIGHTS_NOT_EVALUATED,
        "key": "cover",
        "original_language": "zh-hans",
        "text_origin": "editors",
        "text_author": "",
        "source_url": "https://mmbiz.qpic.cn/cover.jpg",
        "alt_text_zh_hans": "封面",
        "article": "",
        "position": "",
    }
    data.update(overrides)
    return data


def url(model: type, view: str, *args) -> str:
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def results(response) -> list:
    return list(response.context["cl"].result_list)
