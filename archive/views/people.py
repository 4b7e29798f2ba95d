"""People: the list (names in every script) and one person's page."""

from __future__ import annotations

from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from archive import selectors
from archive.languages import local_text
from archive.models import Person

from .base import ItemDetailMixin, PageMixin


class PersonListView(PageMixin, ListView):
    """Everyone the sources name."""

    template_name = "archive/person_list.html"
    context_object_name = "people"
    nav_section = "people"
    url_name = "archive:person_list"

    def get_queryset(self):
        return selectors.person_list()


class PersonDetailView(ItemDetailMixin, DetailView):
    """A person: names in every script, bio, dated timeline, articles."""

    template_name = "archive/person_detail.html"
    context_object_name = "person"
    nav_section = "people"

    def find_object(self, slug: str) -> Person | None:
        return selectors.person_detail(slug=slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person: Person = self.object
        context.update(
            name=local_text(person, "name"),
            bio=local_text(person, "bio"),
            is_fallback=not person.has_language(get_language()),
        )
        return context
