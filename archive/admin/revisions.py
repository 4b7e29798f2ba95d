"""Revisions in the admin: history with values, comparing two revisions, restoring.

django-reversion's ``VersionAdmin`` records a revision for every admin save (with
the user and the change message). On top of it: a compare view (every language
column, related rows) and a restore that brings back an item's references,
translation records and image placements and records itself as a new revision.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from archive.revision_diff import compare
from archive.revisions import (
    restore_version,
    restored_comment,
    revision_date,
    versions_of,
)

TEMPLATES = "admin/archive/revisions/"


class _RollBack(Exception):
    """Carries a rendered preview out of the transaction that is undone."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class RevisionAdmin(VersionAdmin):
    """History with values: compare any two revisions, restore an earlier one."""

    object_history_template = TEMPLATES + "object_history.html"
    revision_form_template = TEMPLATES + "revision_form.html"
    recover_form_template = TEMPLATES + "recover_form.html"
    recover_list_template = TEMPLATES + "recover_list.html"
    change_list_template = TEMPLATES + "change_list.html"
    history_latest_first = True

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare_url = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare_url, *super().get_urls()]

    def _history_url(self, object_id: str) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_history".format(*info), args=[quote(object_id)])

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        info = self.opts.app_label, self.opts.model_name
        versions = versions_of(self.model, unquote(object_id)).reverse()
        context = {
            # Each row carries its version's id, for the compare form.
            "action_list": [
                {
                    "revision": version.revision,
                    "version_id": version.pk,
                    "url": reverse(
                        "admin:{}_{}_revision".format(*info),
                        args=[quote(version.object_id), version.pk],
                    ),
                }
                for version in versions
            ],
            "compare_url": reverse(
                "admin:{}_{}_compare".format(*info), args=[object_id]
            ),
            "can_restore": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two revisions of one item side by side: each differing column and row."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        versions = versions_of(self.model, str(obj.pk))
        chosen = [request.GET.get("old", ""), request.GET.get("new", "")]
        picked = versions.filter(
            pk__in=[int(pk) for pk in chosen if pk.isdigit()]
        ).order_by("revision__date_created", "pk")
        if len(picked) != 2:
            messages.warning(request, _("Choose two different revisions to compare."))
            return redirect(self._history_url(str(obj.pk)))
        old, new = picked
        fields, rows = compare(old, new)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": _("Compare revisions of %(name)s") % {"name": obj},
            "old": old,
            "new": new,
            "old_date": revision_date(old),
            "new_date": revision_date(new),
            "fields": fields,
            "rows": rows,
            "history_url": self._history_url(str(obj.pk)),
            "can_restore": self.has_change_permission(request, obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, TEMPLATES + "compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The change form prefilled from an old revision; saving it restores it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        version = get_object_or_404(versions_of(self.model, object_id), pk=version_id)
        context = {
            "title": _("Restore %(name)s") % {"name": version.object_repr},
            **(extra_context or {}),
        }
        return self._restore_view(
            request, version, self.revision_form_template, context
        )

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted item's last revision in the add form; saving it recovers it."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        deleted = Version.objects.get_deleted(self.model)
        version = get_object_or_404(deleted, pk=version_id)
        context = {
            "title": _("Restore %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        return self._restore_view(request, version, self.recover_form_template, context)

    def _restore_view(
        self, request: HttpRequest, version: Version, template: str, context: dict
    ) -> HttpResponse:
        """Shown inside a transaction that is rolled back, like django-reversion's
        own views; a save is recorded as a new revision saying what came back."""
        context = {"version_date": revision_date(version), "revert": True, **context}
        try:
            with transaction.atomic(using=version.db):
                restore_version(version)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(restored_comment(version))
                    elif response.status_code == 200:
                        response.template_name = template
                        response.render()
                        raise _RollBack(response)
        except _RollBack as rollback:
            return rollback.response
        except RevertError as exc:
            messages.error(request, str(exc))
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            )
        return response
