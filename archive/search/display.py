"""What the search page shows of each hit and of the facets (fixed query count).

``present()`` loads the items of one page of hits, one query per kind found on the
page (and one for people's other names when a hit matched one), and gives each its
title and snippet in the language that matched, matches marked. ``facets()`` counts
the hits by kind, original language, year and person (one query for the names of
the people listed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.languages import (
    LANGUAGE_CODES,
    bcp47,
    language_name,
    localized,
    page_language,
)
from archive.models import Article, Event, Image, Person, PersonName

from . import Hit, Results
from .text import Part, Query, highlight, plain_text, snippet

KIND_LABELS = {
    "article": pgettext_lazy("search result kind", "Article"),
    "person": pgettext_lazy("search result kind", "Person"),
    "event": pgettext_lazy("search result kind", "Event"),
    "image": pgettext_lazy("search result kind", "Image"),
}
KIND_PLURALS = {
    "article": _("Articles"),
    "person": _("People"),
    "event": _("Events"),
    "image": _("Images"),
}
# Facet values listed at most (the rest are reachable by refining the query).
FACET_LIMIT = 12


@dataclass(frozen=True)
class Result:
    """One hit as the page shows it."""

    kind: str
    kind_label: str
    url: str
    title: list[Part]
    snippet: list[Part]
    language: str  # Django code; "" when unknown (another name's own tag: lang)
    lang: str  # BCP 47, for the lang attribute
    language_label: str
    when: str


_TEXT_FIELDS = {
    "article": ("summary", "body", "subtitle", "author", "publisher"),
    "person": ("bio",),
    "event": ("description",),
    "image": ("caption", "alt_text", "credit"),
}


def _load(hits: list[Hit]) -> dict[tuple[str, int], object]:
    ids: dict[str, list[int]] = {}
    for hit in hits:
        ids.setdefault(hit.kind, []).append(hit.item_id)
    loaded: dict[tuple[str, int], object] = {}
    querysets = {
        "article": Article.objects.defer("source_document", "source_metadata"),
        "person": Person.objects.all(),
        "event": Event.objects.all(),
        "image": Image.objects.all(),
    }
    names_needed = {h.item_id for h in hits if h.kind == "person" and not h.language}
    for kind, kind_ids in ids.items():
        queryset = querysets[kind].filter(pk__in=kind_ids)
        if kind == "person" and names_needed:
            queryset = queryset.prefetch_related(
                Prefetch(
                    "alternative_names",
                    queryset=PersonName.objects.filter(person_id__in=names_needed),
                )
            )
        for item in queryset:
            loaded[kind, item.pk] = item
    return loaded


def _matched_text(item, hit: Hit, query: Query) -> tuple[str, str]:
    """The text the snippet quotes and its language: the first field in the hit's
    language that holds a match, else the first non-empty one."""
    if hit.kind == "person" and not hit.language:
        names = list(item.alternative_names.all())
        for name in names:
            if highlight(name.name, query.terms) != [Part(name.name)]:
                return name.name, name.language
        return (names[0].name, names[0].language) if names else ("", "")
    texts = [
        plain_text(item.text(f, hit.language))
        for f in _TEXT_FIELDS[hit.kind]
        if item.text(f, hit.language)
    ]
    for text in texts:
        parts = snippet(text, query.terms)
        if any(part.marked for part in parts):
            return text, bcp47(hit.language)
    return (texts[0] if texts else ""), bcp47(hit.language)


def _title(item, hit: Hit) -> str:
    language = hit.language or item.original_language
    if hit.kind == "image":
        return (
            item.text("title", language)
            or item.text("alt_text", language)
            or plain_text(item.text("caption", language))[:120]
            or item.key
        )
    return item.text(item.TITLE_FIELD, language) or str(item)


def _when(item, hit: Hit) -> str:
    if hit.kind == "article" and item.published_at:
        return formats.date_format(item.published_local, "DATE_FORMAT")
    if hit.kind == "event":
        return item.date_display
    return ""


def present(hits: list[Hit], query: Query) -> list[Result]:
    """The page's hits, ready to show (items deleted meanwhile are left out)."""
    loaded = _load(hits)
    results = []
    for hit in hits:
        item = loaded.get((hit.kind, hit.item_id))
        if item is None:
            continue
        text, lang = _matched_text(item, hit, query)
        code = hit.language
        results.append(
            Result(
                kind=hit.kind,
                kind_label=str(KIND_LABELS[hit.kind]),
                url=item.get_absolute_url(),
                title=highlight(_title(item, hit), query.terms),
                snippet=snippet(text, query.terms),
                language=code,
                lang=lang or bcp47(item.original_language),
                language_label=language_name(code) if code else "",
                when=_when(item, hit),
            )
        )
    return results


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue]
    lang_values: bool = False


def facets(results: Results, filters: dict, hits_for) -> list[Facet]:
    """Counts by kind, original language, year and person. Each dimension is
    counted over the hits the *other* selected filters leave (``hits_for``)."""
    out = []
    kinds = results.facet_counts(hits_for(exclude="kind"), "kind")
    out.append(
        Facet(
            "kind",
            str(_("Kind")),
            [
                FacetValue(k, str(KIND_PLURALS[k]), kinds[k], filters.get("kind") == k)
                for k in KIND_LABELS
                if kinds[k]
            ],
        )
    )
    languages = results.facet_counts(hits_for(exclude="lang"), "original_language")
    out.append(
        Facet(
            "lang",
            str(_("Original language")),
            [
                FacetValue(code, language_name(code), n, filters.get("lang") == code)
                for code, n in languages.most_common()
            ],
        )
    )
    years = results.facet_counts(hits_for(exclude="year"), "year")
    top_years = sorted(years.most_common(FACET_LIMIT), reverse=True)
    out.append(
        Facet(
            "year",
            str(_("Year")),
            [
                FacetValue(str(y), str(y), n, filters.get("year") == y)
                for y, n in top_years
            ],
        )
    )
    people = results.facet_counts(hits_for(exclude="person"), "person")
    top = people.most_common(FACET_LIMIT)
    selected = filters.get("person")
    if selected is not None and selected.pk not in dict(top):
        top.append((selected.pk, people.get(selected.pk, 0)))
    columns = [localized("name", code) for code in LANGUAGE_CODES]
    names = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[pk for pk, _n in top]).only(
            "id", "key", "original_language", *columns
        )
    }
    reader = page_language()
    out.append(
        Facet(
            "person",
            str(_("Person")),
            [
                FacetValue(
                    names[pk].key,
                    names[pk].text("name", names[pk].display_language(reader)),
                    n,
                    selected is not None and selected.pk == pk,
                )
                for pk, n in top
                if pk in names
            ],
        )
    )
    return [facet for facet in out if facet.values]
