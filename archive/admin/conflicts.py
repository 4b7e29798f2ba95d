"""Optimistic locking for every archive change form: no editor overwrites another.

The form carries the row's ``updated_at`` (to the microsecond) in a hidden field,
written when the form is rendered. ``clean()`` compares it with the row as stored
now, read with ``select_for_update`` inside the admin's save transaction, so of two
simultaneous POSTs on PostgreSQL the second waits for the first and then sees the
new version. A stale form is refused with a form error naming who saved last and
when, and the fields whose stored value differs from what this editor sent. The
stored row is untouched, the editor's values are re-rendered, and the hidden
version is refreshed to the stored row's, so a deliberate second save goes through.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.db import models, router, transaction
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from archive.languages import bcp47, language_name_local

VERSION_FIELD = "version"
# Longer values are shown as a short diff: the differing part and a little context.
LONG_VALUE = 120
CONTEXT = 30
EXCERPT = 160


@dataclass(frozen=True)
class Shown:
    """A value as the conflict table shows it; ``changed`` is marked when the
    value was cut down to the part that differs."""

    before: str
    changed: str
    after: str
    marked: bool = False


@dataclass(frozen=True)
class Difference:
    """One field whose stored value differs from this editor's."""

    name: str
    label: str
    stored: Shown
    yours: Shown
    lang: str = ""  # BCP 47 tag of a language column's text

    @property
    def values(self) -> tuple[Shown, Shown]:
        """The stored value, then this editor's: the table's two columns."""
        return self.stored, self.yours


@dataclass(frozen=True)
class Conflict:
    """Who changed the row since the form was opened, when, and what differs."""

    by: str
    at: str
    differences: list[Difference]


# -- versions ----------------------------------------------------------------------
def version_of(obj: models.Model) -> str:
    """The token a form carries: the row's last save, to the microsecond."""
    return obj.updated_at.isoformat() if obj.updated_at else ""


def is_version(token: str, stored: datetime.datetime | None) -> bool:
    """Whether ``token`` names exactly the stored version (a garbled token never)."""
    try:
        return stored is not None and datetime.datetime.fromisoformat(token) == stored
    except ValueError:
        return False


def stored_row(instance: models.Model) -> models.Model | None:
    """The row as stored now, locked until the save transaction ends.

    Outside a transaction (a form validated on its own) the row is read unlocked:
    ``select_for_update`` is only allowed inside one.
    """
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if not transaction.get_autocommit(using=router.db_for_write(model)):
        rows = rows.select_for_update()
    return rows.first()


def last_editor(obj: models.Model) -> str:
    """Who saved ``obj`` last: the latest admin history entry, unless the row was
    saved after it (an import or a command), which has no user to name."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(
                obj, for_concrete_model=False
            ),
            object_id=str(obj.pk),
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    # The admin writes its entry just after saving the row.
    if entry is None or entry.action_time < obj.updated_at:
        return str(_("an import or a command (not the admin)"))
    return entry.user.get_full_name() or entry.user.get_username()


def local_time(value: datetime.datetime) -> str:
    """``value`` in the editor's time zone and language's format, with the zone."""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


# -- what differs ------------------------------------------------------------------
def field_label(model: type[models.Model], name: str, form_field: forms.Field) -> str:
    """The label an editor knows: a language column says its language by the
    name on its tab (the language's own)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return str(form_field.label or name)
    original = getattr(field, "translated_field", None)
    if original is None:
        return str(form_field.label or field.verbose_name)
    language = language_name_local(field.language)
    return f"{str(original.verbose_name).capitalize()} ({language})"


def comparable(value: Any) -> Any:
    """A value reduced to what an editor would call the same: related rows by key,
    files by name, text without line-ending or surrounding-whitespace noise, times
    to the second."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(comparable(item) for item in value)
    if isinstance(value, File):
        return value.name or ""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, datetime.datetime | datetime.time):
        # The admin's widgets show seconds: a stored microsecond is no difference.
        return value.replace(microsecond=0)
    return value


def displayed(field: models.Field | None, value: Any) -> str:
    """``value`` as text an editor reads (choice labels, names, dates)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, File):
        return value.name or "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime | datetime.date):
        return formats.localize(
            timezone.localtime(value) if isinstance(value, datetime.datetime) else value
        )
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def excerpts(stored: str, yours: str) -> tuple[Shown, Shown]:
    """Both values whole when short; else the part that differs, with context."""
    if len(stored) <= LONG_VALUE and len(yours) <= LONG_VALUE:
        return Shown("", stored, ""), Shown("", yours, "")
    start = 0
    while start < min(len(stored), len(yours)) and stored[start] == yours[start]:
        start += 1
    end = 0
    while (
        end < min(len(stored), len(yours)) - start
        and stored[-1 - end] == yours[-1 - end]
    ):
        end += 1

    def cut(text: str) -> Shown:
        middle_end = len(text) - end
        before = text[max(0, start - CONTEXT) : start]
        after = text[middle_end : middle_end + CONTEXT]
        return Shown(
            ("…" if start > CONTEXT else "") + before,
            Truncator(text[start:middle_end]).chars(EXCERPT),
            after + ("…" if len(text) - middle_end > CONTEXT else ""),
            marked=True,
        )

    return cut(stored), cut(yours)


def differences(form: forms.ModelForm, stored: models.Model) -> list[Difference]:
    """Each field of ``form`` whose stored value differs from what the editor sent."""
    model = type(stored)
    found = []
    for name, form_field in form.fields.items():
        if name == VERSION_FIELD or name not in form.cleaned_data:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: nothing stored
            continue
        if field.many_to_many:
            now = list(getattr(stored, name).all())
        elif field.is_relation:
            now = getattr(stored, name)
        else:
            now = field.value_from_object(stored)
        mine = form.cleaned_data[name]
        if comparable(now) == comparable(mine):
            continue
        shown = excerpts(
            displayed(field, comparable(now) if isinstance(now, str) else now),
            displayed(field, comparable(mine) if isinstance(mine, str) else mine),
        )
        language = getattr(field, "language", None)
        found.append(
            Difference(
                name,
                field_label(model, name, form_field),
                *shown,
                lang=bcp47(language) if language else "",
            )
        )
    return found


# -- the form and the admin --------------------------------------------------------
class ConflictCheckedForm(forms.ModelForm):
    """A change form that refuses to save over a row changed since it was opened.

    A POST without a version (not sent by our change form: a script, or the
    revision views of another admin) is not checked; the add form has none.
    """

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    conflict: Conflict | None = None
    conflict_message = _(
        "This %(item)s was changed by %(user)s at %(time)s since you opened "
        "it. Nothing was saved. Your values are kept in the form; the table "
        "shows where the stored %(item)s now differs. Save again to replace "
        "it with your version."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields[VERSION_FIELD].initial = version_of(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        submitted = cleaned_data.get(VERSION_FIELD)
        if self.instance._state.adding or not submitted:
            return cleaned_data
        stored = stored_row(self.instance)
        if stored is None or is_version(submitted, stored.updated_at):
            return cleaned_data
        self.conflict = Conflict(
            by=last_editor(stored),
            at=local_time(stored.updated_at),
            differences=differences(self, stored),
        )
        # The re-rendered form keeps every value the editor sent, with the stored
        # version: saving it again, after reading the differences, goes through.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version_of(stored)
        raise forms.ValidationError(
            self.conflict_message,
            code="conflict",
            params={
                "item": self._meta.model._meta.verbose_name,
                "user": self.conflict.by,
                "time": self.conflict.at,
            },
        )


class _ChecksItsForm:
    """Puts ``checked_form`` under whatever form a (model or inline) admin
    declares."""

    checked_form: type[ConflictCheckedForm] = ConflictCheckedForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not issubclass(self.form, ConflictCheckedForm):
            self.form = type(
                self.form.__name__,
                (self.checked_form, self.form),
                {"__module__": self.form.__module__},
            )
        super().__init__(*args, **kwargs)


class ConflictCheckedAdmin(_ChecksItsForm):
    """Admin hooks for ``ConflictCheckedForm``: every change form gets the check,
    whatever form an admin declares, and a change to inline rows only (images,
    references, translation records, links) makes a new version of the item too."""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        inline_changes = any(
            getattr(formset, name, None)
            for formset in formsets
            for name in ("new_objects", "changed_objects", "deleted_objects")
        )
        if change and inline_changes:
            obj = form.instance
            obj.updated_at = timezone.now()
            type(obj)._base_manager.filter(pk=obj.pk).update(updated_at=obj.updated_at)


class ConflictCheckedInlineForm(ConflictCheckedForm):
    """An inline row that also has a change page of its own (an article's image,
    a person's fact): checked like a change form, so a save of the item's page
    never overwrites what another editor saved on the row's own page.

    A row this editor did not touch is checked too: the formset compares what
    was sent with the row as stored now, so it would write the copy opened
    earlier back over the other editor's save."""

    conflict_message = _(
        "This %(item)s was changed by %(user)s at %(time)s since you opened this "
        "page. Nothing was saved. Your values are kept in the row; open the "
        "%(item)s's own page to see it as stored, or save again to replace it "
        "with your values."
    )


class ConflictCheckedInline(_ChecksItsForm):
    """Inline hooks for ``ConflictCheckedInlineForm``: each row carries its version
    (a hidden field in the row) and is refused when stale."""

    checked_form = ConflictCheckedInlineForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION_FIELD in fields else [*fields, VERSION_FIELD]
