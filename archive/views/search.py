"""The search results page: /search/?q=… with facets and pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import get_language, gettext
from django.views.generic import ListView

from archive import search
from archive.languages import LANGUAGE_CODES
from archive.search.display import facets, present

from .base import ForgivingPaginationMixin, PageMixin


class SearchView(ForgivingPaginationMixin, PageMixin, ListView):
    """Items matching ``q`` in any language, best first, narrowed by facets.

    Any input is a search, never an error: unknown facet values are ignored and
    the query is cleaned (``archive.search.text``) before it reaches SQL.
    """

    template_name = "archive/search_results.html"
    context_object_name = "hits"
    paginate_by = 20
    url_name = "archive:search"

    def get(self, request, *args, **kwargs):
        self.query = search.parse_query(request.GET.get("q", ""))
        self.filters = self.read_filters(request.GET)
        self.results = search.find(self.query, language=get_language())
        return super().get(request, *args, **kwargs)

    @staticmethod
    def read_filters(params) -> dict:
        filters: dict = {}
        if params.get("kind") in search.KINDS:
            filters["kind"] = params["kind"]
        if params.get("lang") in LANGUAGE_CODES:
            filters["lang"] = params["lang"]
        year = params.get("year", "")
        if year.isascii() and year.isdigit() and 0 < int(year) < 10000:
            filters["year"] = int(year)
        person = search.person_by_key(params.get("person", "")[:100])
        if person is not None:
            filters["person"] = person
        return filters

    def hits_for(self, exclude: str = "") -> list[search.Hit]:
        chosen = {k: v for k, v in self.filters.items() if k != exclude}
        person = chosen.get("person")
        return self.results.filtered(
            kind=chosen.get("kind", ""),
            language=chosen.get("lang", ""),
            year=chosen.get("year"),
            person=person.pk if person is not None else None,
        )

    def get_queryset(self):
        return self.hits_for()

    def filter_params(self) -> dict[str, str]:
        params = {}
        for name, value in self.filters.items():
            params[name] = value.key if name == "person" else str(value)
        return params

    def get_query_params(self, language: str) -> dict[str, str]:
        params = {"q": self.query.text} if self.query.text else {}
        params.update(self.filter_params())
        if self.page is not None and self.page.number > 1:
            params["page"] = str(self.page.number)
        return params

    def url_with(self, **changes: str | None) -> str:
        """This search with facet values changed (None removes one), page 1."""
        params = {"q": self.query.text, **self.filter_params()}
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        return f"{self.get_page_url()}?{urlencode(params)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facet_list = []
        if self.results.hits:
            for facet in facets(self.results, self.filters, self.hits_for):
                facet_list.append(
                    (
                        facet,
                        [
                            (
                                value,
                                self.url_with(
                                    **{
                                        facet.name: None
                                        if value.selected
                                        else value.value
                                    }
                                ),
                            )
                            for value in facet.values
                        ],
                    )
                )
        context.update(
            search_title=(
                gettext("Search: %(q)s") % {"q": self.query.text}
                if self.query
                else gettext("Search")
            ),
            query=self.query,
            results=present(list(context["page_obj"].object_list), self.query)
            if self.query
            else [],
            total=len(self.hits_for()),
            truncated=self.results.truncated,
            facets=facet_list,
            filtered=bool(self.filters),
            clear_url=self.url_with(
                **dict.fromkeys(("kind", "lang", "year", "person"))
            ),
            max_results=search.MAX_RESULTS,
        )
        return context
