"""People: the list (names in every script) and one person's page."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from archive import fragments, selectors, structured_data
from archive.languages import local_text
from archive.models import Person
from archive.page_meta import PageMeta, description_from

from .base import ForgivingPaginationMixin, ItemDetailMixin, PageMixin


class PersonListView(ForgivingPaginationMixin, PageMixin, ListView):
    """Everyone the sources name, a page at a time, with their counts."""

    template_name = "archive/person_list.html"
    context_object_name = "people"
    paginate_by = 24
    count_name = "people"
    nav_section = "people"
    url_name = "archive:person_list"
    meta_title = gettext_lazy("People")
    meta_description = gettext_lazy(
        "Everyone the source articles name, with their names in every script."
    )

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

    def get_page_meta(self) -> PageMeta:
        person: Person = self.object
        name = local_text(person, "name")
        data = structured_data.person(
            person,
            url=self.absolute(person.get_absolute_url()),
            absolute=self.absolute,
        )
        fallback = _(
            "%(name)s in the Radford Archive: their names in every script, the "
            "events of their life and the source articles that name them."
        ) % {"name": name.text}
        return PageMeta(
            title=name.text,
            description=description_from(local_text(person, "bio"), fallback=fallback),
            og_type="profile",
            image_url=data.get("image", ""),
            image_alt=name.text if data.get("image") else "",
            json_ld=structured_data.json_ld_script(data),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person: Person = self.object
        context.update(
            name=local_text(person, "name"),
            bio=local_text(person, "bio"),
            is_fallback=not person.has_language(get_language()),
        )
        return context
