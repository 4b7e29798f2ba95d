"""The Editor and Translator groups the roles migration makes: exactly their
permissions, none over accounts; the migration runs twice and backwards.
What each role may do in the admin: test_admin_roles.py."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

roles_migration = importlib.import_module("archive.migrations.0010_roles_groups")
# Later models' permissions are granted by their own migrations.
claims_migration = importlib.import_module("archive.migrations.0014_claims")
names_migration = importlib.import_module(
    "archive.migrations.0016_personname_categories"
)


def create_roles(apps, schema_editor) -> None:
    """The roles as every migration that grants them leaves them."""
    roles_migration.create_roles(apps, schema_editor)
    claims_migration.grant_roles(apps, schema_editor)
    names_migration.grant_name_permissions(apps, schema_editor)


CONTENT = (
    "article",
    "articletranslation",
    "reference",
    "person",
    "personlink",
    "personname",
    "event",
    "image",
    "personfact",
    "personfactcitation",
    "eventcitation",
)
ORIGINAL = {
    f"change_original_{model}" for model in ("article", "person", "event", "image")
}
EDITOR = (
    {
        f"{action}_{model}"
        for model in CONTENT
        for action in ("view", "add", "change", "delete")
    }
    | ORIGINAL
    | {"publish_article"}
)
TRANSLATOR = {
    f"{action}_{model}" for model in CONTENT for action in ("view", "change")
} | {
    "add_articletranslation",
    "delete_articletranslation",
}


def codenames(group: Group) -> set[str]:
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def member(django_user_model, name: str, role: str):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


# -- the groups --------------------------------------------------------------------
def test_the_migration_makes_both_groups_with_exactly_their_permissions():
    editor = Group.objects.get(name="Editor")
    translator = Group.objects.get(name="Translator")
    assert codenames(editor) == {("archive", name) for name in EDITOR}
    assert codenames(translator) == {("archive", name) for name in TRANSLATOR}
    # Superusers alone manage accounts; translators never delete, publish or
    # touch an original.
    assert not Permission.objects.filter(group__in=[editor, translator]).exclude(
        content_type__app_label="archive"
    )
    assert not TRANSLATOR & (ORIGINAL | {"publish_article"})
    assert not {name for name in TRANSLATOR if name.startswith("delete_")} - {
        "delete_articletranslation"
    }


def test_the_roles_migration_is_idempotent_and_reversible():
    # RunPython's functions read only the schema editor's connection.
    schema_editor = SimpleNamespace(connection=connection)
    editor = Group.objects.get(name="Editor")
    editor.permissions.remove(Permission.objects.get(codename="publish_article"))
    create_roles(django_apps, schema_editor)
    create_roles(django_apps, schema_editor)
    assert Group.objects.filter(name__in=["Editor", "Translator"]).count() == 2
    assert codenames(Group.objects.get(name="Editor")) == {
        ("archive", name) for name in EDITOR
    }
    roles_migration.delete_roles(django_apps, schema_editor)
    assert not Group.objects.filter(name__in=["Editor", "Translator"]).exists()
    assert roles_migration.Migration.operations[-1].reversible
    create_roles(django_apps, schema_editor)
    assert codenames(Group.objects.get(name="Translator")) == {
        ("archive", name) for name in TRANSLATOR
    }


def test_neither_role_manages_accounts(client, django_user_model):
    client.force_login(member(django_user_model, "translator", "Translator"))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    user = member(django_user_model, "ed", "Editor")
    assert not user.has_perm("auth.change_user")
    assert not user.has_perm("auth.add_user")
