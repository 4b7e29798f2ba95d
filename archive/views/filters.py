"""GET filter forms of the list pages: every value is validated, bad ones ignored.

A filter a visitor (or a crawler) mangles by hand must never cost a 500: each
field that does not validate is simply dropped, the others still apply.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive import selectors
from archive.languages import local_text
from archive.models import Event, Person

MAX_PARAM_LENGTH = 200


class PersonField(forms.Field):
    """A person, by key or by name in any language.

    Offered as a ``<select>`` of everyone when there are few (``set_people`` with
    complete choices), else as a text field: a page never lists thousands of names.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)
        self.queryset = Person.objects.none()

    def set_people(self, queryset, choices: selectors.PersonChoices) -> None:
        self.queryset = queryset
        if choices.complete:
            labels = [
                (person.key, local_text(person, "name")) for person in choices.people
            ]
            self.widget = LangSelect(
                choices=[("", _("Anyone"))]
                + [(key, text.text or key) for key, text in labels],
                langs={key: text.lang for key, text in labels if text.is_foreign},
            )
        else:
            self.widget = forms.TextInput(
                attrs={"placeholder": _("Name in any language"), "autocomplete": "off"}
            )

    def to_python(self, value) -> Person | None:
        if value in self.empty_values:
            return None
        person = selectors.find_person(self.queryset, str(value).strip())
        if person is None:
            raise forms.ValidationError(_("No such person."), code="invalid_choice")
        return person

    def prepare_value(self, value):
        return value.key if isinstance(value, Person) else value


class LangSelect(forms.Select):
    """A ``<select>`` whose options carry ``lang`` when a name is in another script."""

    def __init__(self, *, choices, langs: dict[str, str], **kwargs) -> None:
        super().__init__(choices=choices, **kwargs)
        self.langs = langs

    def create_option(
        self, name, value, label, selected, index, subindex=None, attrs=None
    ):
        option = super().create_option(
            name, value, label, selected, index, subindex, attrs
        )
        if value in self.langs:
            option["attrs"]["lang"] = self.langs[value]
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
    person = PersonField(label=_("Person mentioned"))

    def __init__(self, data=None, *, years: list[int], people, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [("", _("Any year"))] + [
            (y, str(y)) for y in years
        ]
        self.fields["person"].set_people(
            people, selectors.person_choices(people, name="articles")
        )


class TimelineFilterForm(FilterForm):
    person = PersonField(label=_("Person"))
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *Event.Category.choices],
    )

    def __init__(self, data=None, *, people, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["person"].set_people(
            people, selectors.person_choices(people, name="events")
        )


class YearJumpForm(forms.Form):
    """The timeline's "go to year": any whole year; the page holding it is found."""

    year = forms.IntegerField(
        label=_("Go to year"), required=False, min_value=1, max_value=9999
    )

    def year_or_none(self) -> int | None:
        if not self.is_valid():
            return None
        return self.cleaned_data["year"]
