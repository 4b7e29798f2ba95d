"""What each role may change in the admin (see README, "Roles").

An account without an item's ``change_original_<model>`` permission (a Translator)
changes only the translated columns of the languages other than the item's
original, and translation records; the rest of the form, and the inlines of the
item's own records (references, links, images), are read-only: read-only fields
are not in the form, so a forged POST of them is ignored. Status fields need the
``publish_<model>`` permission.
"""

from __future__ import annotations

from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpRequest

from archive.languages import LANGUAGE_CODES, localized


def original_permission_name(model: type[models.Model]) -> str:
    """The permission to change ``model``'s original text, key, sources and status
    (``archive.models.common.original_permission``)."""
    return f"{model._meta.app_label}.change_original_{model._meta.model_name}"


class OriginalRecordInline:
    """An inline of the item's own record (references, links, images): read-only,
    like the item's original text, to an account without the item's original
    permission. Mixed in before Django's inline class."""

    def may_change_original(self, request: HttpRequest) -> bool:
        return request.user.has_perm(original_permission_name(self.parent_model))

    def has_add_permission(self, request, obj):
        return self.may_change_original(request) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return self.may_change_original(request) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self.may_change_original(request) and super().has_delete_permission(
            request, obj
        )


class RoleAdminMixin:
    """Read-only fields by role, for ``MultilingualAdmin`` (mixed in before
    modeltranslation's admin, whose ``get_readonly_fields`` it extends)."""

    # Fields only an account with the publish permission changes (an article's status).
    publish_fields: tuple[str, ...] = ()

    def has_original_permission(self, request: HttpRequest) -> bool:
        """May change the item's original text, key, sources and status (Editor)."""
        return request.user.has_perm(original_permission_name(self.model))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        """May publish and unpublish (the ``publish`` actions, ``publish_fields``)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def translation_columns(self, obj: models.Model | None) -> set[str]:
        """The columns a translator may change: every translated field's column in
        each language but the item's original (none before the item exists)."""
        if obj is None:
            return set()
        return {
            localized(field, code)
            for field in self.trans_opts.fields
            for code in LANGUAGE_CODES
            if code != obj.original_language
        }

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        locked: list[str] = []
        if not self.has_publish_permission(request):
            locked += self.publish_fields
        if not self.has_original_permission(request):
            editable = self.translation_columns(obj)
            locked += [
                field
                for field in flatten_fieldsets(self.get_fieldsets(request, obj))
                if field not in editable
            ]
        return readonly + [
            field for field in dict.fromkeys(locked) if field not in readonly
        ]
