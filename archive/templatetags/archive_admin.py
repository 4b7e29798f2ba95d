"""The admin's date hierarchy, its top level read once per table state.

Django's ``date_hierarchy`` reads the range and the distinct years (or, when every
row falls in one year, that year's months) of every row on each request: scans
growing with the table, and a number of queries that depends on the data. On the
unfiltered top level we cache what Django's own tag returns, per table state,
language, time zone and query string, so the page costs the same queries at any
size; any filter, search or drill-down goes to Django's.
"""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags.admin_list import (
    date_hierarchy,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils import timezone
from django.utils.translation import get_language

from archive.admin.lists import cached_choices, cached_results

register = template.Library()


def _plain(level: dict) -> dict:
    """Django's context with its lazy strings made plain (safe to cache)."""
    back = level.get("back")
    return {
        **level,
        "back": {**back, "title": str(back["title"])} if back else None,
        "choices": [
            {**choice, "title": str(choice["title"])} for choice in level["choices"]
        ],
        "field_name": str(level["field_name"]),
    }


@register.inclusion_tag("admin/date_hierarchy.html")
def cached_date_hierarchy(cl) -> dict:
    field_name = cl.date_hierarchy
    drilled = any(key.startswith(f"{field_name}__") for key in cl.params)
    if drilled or cl.query or cl.has_active_filters:
        return date_hierarchy(cl)
    name = (
        f"hierarchy:{field_name}:{timezone.get_current_timezone_name()}:"
        f"{get_language()}:{cl.get_query_string()}"
    )
    (level,) = cached_choices(cl.model, name, lambda: [_plain(date_hierarchy(cl))])
    return level


def cached_result_list(cl) -> dict:
    """Django's ``result_list`` context, its rows from ``cached_results``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(
            1 for header in headers if header["sortable"] and header["sorted"]
        ),
        "results": cached_results(cl),
    }


@register.tag(name="cached_result_list")
def cached_result_list_tag(parser, token):
    """``{% cached_result_list cl %}``: Django's ``{% result_list cl %}`` (same
    template, overridable per app and model), rows cached."""
    return InclusionAdminNode(
        "cached_result_list",
        parser,
        token,
        func=cached_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
