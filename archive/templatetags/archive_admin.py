"""The admin's date hierarchy, its list of years read once per table state.

Django's ``date_hierarchy`` reads the distinct years of every row on each request
(a scan growing with the table). On the unfiltered top level we give it the same
years from ``cached_choices``; any filter, search or drill-down goes to Django's.
"""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db import models
from django.utils import timezone

from archive.admin.lists import cached_choices

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def cached_date_hierarchy(cl) -> dict:
    field_name = cl.date_hierarchy
    drilled = any(key.startswith(f"{field_name}__") for key in cl.params)
    if drilled or cl.query or cl.has_active_filters:
        return date_hierarchy(cl)
    zone = timezone.get_current_timezone_name()
    manager = cl.model._default_manager

    def years() -> list[int]:
        field = cl.model._meta.get_field(field_name)
        kind = "datetimes" if isinstance(field, models.DateTimeField) else "dates"
        return [day.year for day in getattr(manager, kind)(field_name, "year")]

    found = cached_choices(cl.model, f"hierarchy:{field_name}:{zone}", years)
    if len(found) < 2:
        return date_hierarchy(cl)  # one year: Django opens it at its months
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string(
                    {f"{field_name}__year": str(year)}, [f"{field_name}__"]
                ),
                "title": str(year),
            }
            for year in found
        ],
        "field_name": cl.model._meta.get_field(field_name).verbose_name,
    }
