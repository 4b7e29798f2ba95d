"""The timeline (events grouped by year, filterable) and one event's page."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.http import HttpResponseRedirect
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from archive import fragments, selectors, structured_data
from archive.languages import local_text
from archive.models import Event
from archive.page_meta import PageMeta, description_from

from .base import ForgivingPaginationMixin, ItemDetailMixin, PageMixin
from .filters import TimelineFilterForm, YearJumpForm


@dataclass(frozen=True)
class YearRows:
    """The timeline entries of one year on a page (None: undated), as HTML."""

    year: int | None
    rows: list[SafeString]


@dataclass(frozen=True)
class DecadeLink:
    """One entry of the timeline's index: a decade (None: undated), its number of
    events and the address of the page where it begins."""

    decade: int | None
    count: int
    url: str


class TimelineView(ForgivingPaginationMixin, PageMixin, ListView):
    """Events at their real precision, a page at a time, grouped by the year they
    start in, with an index of decades and a "go to year"."""

    template_name = "archive/timeline.html"
    context_object_name = "events"
    paginate_by = 30
    count_name = "timeline"
    nav_section = "timeline"
    url_name = "archive:timeline"
    meta_title = gettext_lazy("Timeline")
    meta_description = gettext_lazy(
        "Events as the sources date them: a year or a month is never turned into "
        "an invented day."
    )

    def get(self, request, *args, **kwargs):
        self.form = TimelineFilterForm(
            request.GET, people=selectors.people_with_events()
        )
        self.filters = self.form.valid_values()
        self.years = selectors.timeline_years(
            person=self.filters.get("person"), category=self.filters.get("category")
        )
        self.jump_form = YearJumpForm(request.GET)
        year = self.jump_form.year_or_none()
        if year is not None:
            return HttpResponseRedirect(self.year_url(year))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The entries' sources and people are fetched only for the entries not
        # cached yet (``rows``).
        return selectors.timeline_events(
            person=self.filters.get("person"), category=self.filters.get("category")
        ).prefetch_related(None)

    def rows(self, events: list[Event]) -> list[YearRows]:
        """The page's entries, grouped by year, each entry's HTML cached
        (``archive.fragments``)."""
        html = fragments.render_rows(
            events,
            "includes/event_item.html",
            "event",
            prepare=selectors.prefetch_event_rows,
            show_people=True,
        )
        return [
            YearRows(year, [row for _event, row in group])
            for year, group in itertools.groupby(
                zip(events, html, strict=True), key=lambda pair: pair[0].year
            )
        ]

    def get_count_parts(self) -> tuple:
        person = self.filters.get("person")
        return (person.pk if person else None, self.filters.get("category"))

    def count_rows(self, queryset) -> int:
        # The year index already counted the events: no COUNT query.
        return sum(year.count for year in self.years)

    def get_query_params(self, language: str) -> dict[str, str]:
        params = self.form.query_params()
        if self.page is not None and self.page.number > 1:
            params["page"] = str(self.page.number)
        return params

    def page_of(self, before: int) -> int:
        return before // self.paginate_by + 1

    def year_url(self, year: int) -> str:
        """The page holding the first event of ``year`` or of the first year after
        it (the last page if none), at that year's heading."""
        target = next(
            (
                entry
                for entry in self.years
                if entry.year is not None and entry.year >= year
            ),
            None,
        )
        if target is None:
            last = self.years[-1] if self.years else None
            if last is None:
                return self.page_url(1)
            return self.page_url(self.page_of(last.before))
        return f"{self.page_url(self.page_of(target.before))}#year-{target.year}"

    def decades(self) -> list[DecadeLink]:
        links: list[DecadeLink] = []
        for decade, entries in itertools.groupby(
            self.years,
            key=lambda entry: None if entry.year is None else entry.year // 10 * 10,
        ):
            entries = list(entries)
            first = entries[0]
            anchor = f"year-{first.year}" if first.year is not None else "year-undated"
            links.append(
                DecadeLink(
                    decade,
                    sum(entry.count for entry in entries),
                    f"{self.page_url(self.page_of(first.before))}#{anchor}",
                )
            )
        return links

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            years=self.rows(list(context["events"])),
            event_count=context["paginator"].count,
            decades=self.decades(),
            form=self.form,
            jump_form=self.jump_form,
            filter_params=self.form.query_params(),
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

    def get_page_meta(self) -> PageMeta:
        event: Event = self.object
        title = local_text(event, "title")
        data = structured_data.event(event, url=self.absolute(event.get_absolute_url()))
        fallback = _(
            "%(title)s: an event of the Radford Archive's timeline, with the "
            "sources that tell it."
        ) % {"title": title.text}
        return PageMeta(
            title=title.text,
            description=description_from(
                local_text(event, "description"), fallback=fallback
            ),
            json_ld=structured_data.json_ld_script(data),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event: Event = self.object
        context.update(
            title=local_text(event, "title"),
            description=local_text(event, "description"),
            is_fallback=not event.has_language(get_language()),
        )
        return context
