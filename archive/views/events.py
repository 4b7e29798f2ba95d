"""The timeline (events grouped by year, filterable) and one event's page."""

from __future__ import annotations

from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from archive import selectors
from archive.languages import local_text
from archive.models import Event

from .base import ItemDetailMixin, PageMixin
from .filters import TimelineFilterForm


class TimelineView(PageMixin, TemplateView):
    """Every event at its real precision, grouped by the year it starts in."""

    template_name = "archive/timeline.html"
    nav_section = "timeline"
    url_name = "archive:timeline"

    def get(self, request, *args, **kwargs):
        self.form = TimelineFilterForm(
            request.GET, people=selectors.people_with_events()
        )
        self.filters = self.form.valid_values()
        return super().get(request, *args, **kwargs)

    def get_query_params(self, language: str) -> dict[str, str]:
        return self.form.query_params()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = selectors.timeline(
            person=self.filters.get("person"), category=self.filters.get("category")
        )
        context.update(
            years=years,
            event_count=sum(len(group.events) for group in years),
            form=self.form,
            filtered=bool(self.filters),
        )
        return context


class EventDetailView(ItemDetailMixin, DetailView):
    """One event: its date, description, people and source articles."""

    template_name = "archive/event_detail.html"
    context_object_name = "event"
    nav_section = "timeline"

    def find_object(self, slug: str) -> Event | None:
        return selectors.event_detail(slug=slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event: Event = self.object
        context.update(
            title=local_text(event, "title"),
            description=local_text(event, "description"),
            is_fallback=not event.has_language(get_language()),
        )
        return context
