"""People: the list (names in every script) and one person's page."""

from __future__ import annotations

from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from archive import fragments, selectors
from archive.languages import local_text
from archive.models import Person

from .base import ForgivingPaginationMixin, ItemDetailMixin, PageMixin


class PersonListView(ForgivingPaginationMixin, PageMixin, ListView):
    """Everyone the sources name, a page at a time, with their counts."""

    template_name = "archive/person_list.html"
    context_object_name = "people"
    paginate_by = 24
    count_name = "people"
    nav_section = "people"
    url_name = "archive:person_list"

    def get_queryset(self):
        return selectors.person_list()

    def get_query_params(self, language: str) -> dict[str, str]:
        page = self.page
        return (
            {"page": str(page.number)} if page is not None and page.number > 1 else {}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each card's HTML cached (archive.fragments); the counts are read only
        # for the cards not cached yet.
        context["cards"] = fragments.render_rows(
            context["people"],
            "includes/person_card.html",
            "person",
            prepare=selectors.add_person_counts,
            heading="2",
        )
        return context


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
