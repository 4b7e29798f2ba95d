"""The verbatim guard: what an editor did not change, a save does not write.

Browsers send every textarea's line breaks as CRLF, whatever the stored text
holds. Every text field of every archive form and inline reads CRLF and lone CR
as LF, so a field whose text differs only in line endings is unchanged
(``form.has_changed()``, ``changed_data``); textareas are not stripped, and a
one-line input stored with surrounding spaces is unchanged when posted back. A
change form then writes only the fields the editor changed; a form with no
change at all writes nothing (the row, ``updated_at`` included, stays as it
was) and logs nothing.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms


def normalise_line_endings(text: str) -> str:
    """``text`` with CRLF and lone CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LineEndingsMixin:
    """A text form field that reads CRLF and lone CR as LF.

    The stored value is compared the same way, so a text that differs from the
    stored one only in its line endings is not a change.
    """

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalise_line_endings(value)
        return super().to_python(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(initial, str):
            initial = normalise_line_endings(initial)
            if getattr(self, "strip", False):
                initial = initial.strip()
        return super().has_changed(initial, data)


@functools.cache
def _line_endings_class(field_class: type[forms.Field]) -> type[forms.Field]:
    return type(f"LF{field_class.__name__}", (LineEndingsMixin, field_class), {})


def with_line_endings_normalised(formfield: forms.Field | None) -> forms.Field | None:
    """``formfield``, reading line endings as LF if it takes text.

    Every ``forms.CharField`` (its URL, slug and JSON kinds included, and
    modeltranslation's nullable ones) becomes a subclass of its own class with
    ``LineEndingsMixin`` first, the way modeltranslation adds its own mixins.
    A textarea's text is kept as typed, not stripped: Django would otherwise
    drop a body's final newline on every save.
    """
    if isinstance(formfield, forms.CharField) and not isinstance(
        formfield, LineEndingsMixin
    ):
        formfield.__class__ = _line_endings_class(type(formfield))
        if isinstance(formfield.widget, forms.Textarea):
            formfield.strip = False
    return formfield


class VerbatimModelForm(forms.ModelForm):
    """A model form that writes onto an existing row only the fields that changed.

    Unchanged fields keep the row's own values: a text stored with CRLF, or a
    time with microseconds a widget cannot show, is never rewritten as the form
    shows it. ``cleaned_data`` itself stays complete.
    """

    def _post_clean(self) -> None:
        if self.instance._state.adding:
            return super()._post_clean()
        unchanged = {
            name: self.cleaned_data.pop(name)
            for name in list(self.cleaned_data)
            if name not in self.changed_data
        }
        try:
            super()._post_clean()
        finally:
            self.cleaned_data.update(unchanged)
        return None


class VerbatimFormsMixin:
    """For every archive admin and inline: text fields normalise line endings,
    forms write only what changed."""

    form = VerbatimModelForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return with_line_endings_normalised(formfield)


class VerbatimAdminMixin(VerbatimFormsMixin):
    """For every archive ModelAdmin: an unchanged change form saves and logs nothing.

    Inline rows are saved (or left alone, when unchanged) by their own formsets.
    """

    def save_model(self, request, obj, form, change) -> None:
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        # Django would log "No fields changed."; nothing happened, so nothing is logged.
        if not message:
            return None
        return super().log_change(request, obj, message)
