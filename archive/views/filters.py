"""GET filter forms of the list pages: every value is validated, bad ones ignored.

A filter a visitor (or a crawler) mangles by hand must never cost a 500: each
field that does not validate is simply dropped, the others still apply.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive.languages import local_text
from archive.models import Event, Person

MAX_PARAM_LENGTH = 200


class PersonChoiceField(forms.ModelChoiceField):
    """People by their stable ``key``, labelled in the visitor's language."""

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(
            queryset,
            to_field_name="key",
            required=False,
            empty_label=_("Anyone"),
            widget=LangSelect,
            **kwargs,
        )

    def label_from_instance(self, obj: Person) -> str:
        return local_text(obj, "name").text or obj.key


class LangSelect(forms.Select):
    """A ``<select>`` whose options carry ``lang`` when a name is in another script."""

    def create_option(
        self, name, value, label, selected, index, subindex=None, attrs=None
    ):
        option = super().create_option(
            name, value, label, selected, index, subindex, attrs
        )
        instance = getattr(value, "instance", None)
        if instance is not None:
            text = local_text(instance, "name")
            if text.is_foreign:
                option["attrs"]["lang"] = text.lang
        return option


class FilterForm(forms.Form):
    """Shared behaviour: per-field validation, the cleaned values as URL params."""

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None:
            # Only our own fields; no absurdly long values (they cannot be valid) and
            # no NUL characters (PostgreSQL refuses them in a query).
            data = {
                name: data.get(name, "")[:MAX_PARAM_LENGTH]
                for name in self.base_fields
                if data.get(name) and "\x00" not in data.get(name)
            }
        super().__init__(data, **kwargs)

    def valid_values(self) -> dict:
        """Each field's cleaned value if it validated; invalid fields are ignored."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "")
        }

    def query_params(self) -> dict[str, str]:
        """The valid filters as query-string parameters."""
        params = {}
        for name, value in self.valid_values().items():
            params[name] = value.key if isinstance(value, Person) else str(value)
        return params


class ArticleFilterForm(FilterForm):
    lang = forms.ChoiceField(
        label=_("Original language"),
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=()
    )
    person = PersonChoiceField(Person.objects.none(), label=_("Person mentioned"))

    def __init__(self, data=None, *, years: list[int], people, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [("", _("Any year"))] + [
            (y, str(y)) for y in years
        ]
        self.fields["person"].queryset = people


class TimelineFilterForm(FilterForm):
    person = PersonChoiceField(Person.objects.none(), label=_("Person"))
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *Event.Category.choices],
    )

    def __init__(self, data=None, *, people, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["person"].queryset = people
