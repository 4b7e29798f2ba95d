"""The admin pieces every item's admin shares: fieldsets, count columns, filters."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from archive.admin.common import (
    KEY_FIELDS,
    key_fieldset,
    record_fieldset,
    text_origin_fieldset,
)
from archive.models import Article, Event, Image, Person
from tests.factories import make_article, make_event, make_image, make_person

pytestmark = pytest.mark.django_db

ITEM_MODELS = (Article, Event, Image, Person)


@pytest.fixture
def client(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    client.force_login(editor)
    return client


def changelist(model: type, **params: str) -> tuple[str, dict[str, str]]:
    return reverse(f"admin:archive_{model._meta.model_name}_changelist"), params


def results(response) -> list:
    return list(response.context["cl"].result_list)


# -- fieldsets ---------------------------------------------------------------------
@pytest.mark.parametrize("model", ITEM_MODELS)
def test_every_item_form_opens_with_its_key_and_original_language(model):
    first = admin.site._registry[model].fieldsets[0]
    assert first[1]["fields"][0] == KEY_FIELDS
    assert first[1]["description"]


def test_fieldset_builders_never_hand_two_admins_the_same_dict():
    # modeltranslation rewrites a fieldset's fields in place, per admin.
    assert text_origin_fieldset()[1] is not text_origin_fieldset()[1]
    assert record_fieldset()[1] is not record_fieldset()[1]
    assert key_fieldset("T", "D")[1] is not key_fieldset("T", "D")[1]


@pytest.mark.parametrize(
    ("model", "factory"), [(Event, make_event), (Person, make_person)]
)
def test_shared_fieldsets_render_on_the_change_form(client, model, factory):
    item = factory()
    response = client.get(
        reverse(f"admin:archive_{model._meta.model_name}_change", args=[item.pk])
    )
    html = response.content.decode()
    for heading in ("Who wrote this text", "Record"):
        assert f">{heading}<" in html, heading
    assert 'name="text_origin"' in html and 'name="text_author"' in html
    assert 'name="key"' in html and 'name="original_language"' in html


# -- count columns -----------------------------------------------------------------
def test_count_columns_show_and_sort_by_their_annotation(client):
    busy, quiet = make_person(sort_name="B"), make_person(sort_name="A")
    event = make_event()
    event.people.add(busy)
    for _n in range(2):
        make_article().people.add(busy)
    person_admin = admin.site._registry[Person]
    # The change list puts the action checkbox before list_display's columns.
    index = person_admin.list_display.index("article_count") + 1
    url, params = changelist(Person, o=f"-{index}")
    rows = results(client.get(url, params))
    assert rows == [busy, quiet]
    assert person_admin.article_count(rows[0]) == 2
    assert person_admin.event_count(rows[0]) == 1
    assert person_admin.article_count(rows[1]) == 0
    url, params = changelist(Person, o=f"{index}")
    assert results(client.get(url, params)) == [quiet, busy]


def test_count_columns_are_labelled_and_sortable():
    event_admin = admin.site._registry[Event]
    assert str(event_admin.people_count.short_description) == "people"
    assert event_admin.people_count.admin_order_field == "people_total"


# -- filters -----------------------------------------------------------------------
def png_file() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def test_archived_filter_splits_copies_from_remote_only_images(client):
    remote = make_image()
    archived = make_image(file=png_file(), source_url="")
    url, params = changelist(Image, archived="yes")
    assert results(client.get(url, params)) == [archived]
    url, params = changelist(Image, archived="no")
    assert results(client.get(url, params)) == [remote]
    assert list(Image.objects.archived()) == [archived]
    assert list(Image.objects.remote_only()) == [remote]
