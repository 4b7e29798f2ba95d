"""Page bookmarks: any page of a long list found through an index, not by skipping.

``OFFSET n`` makes the database produce and discard every row before a page: the
last page of 30,000 images read (and checked for publication) all 30,000. A list's
*bookmarks* are the sort keys of the first row of each of its pages, read in one pass
and cached with the list's count (``archive.counting``); page *n* is then the rows
at or after bookmark *n*, in the list's order, ``LIMIT`` the page's size (keyset
pagination, with page numbers kept). The last sort key must be unique (``key`` or
``pk``), so that a bookmark names exactly one row and ties in the other keys never
move a row between pages.

A bookmark that went stale (content changed since it was cached, by a write that sent
no signal) still names a real position: the page shows the rows from there, as a
list being edited while someone reads it would.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet, Window
from django.db.models.functions import Mod, RowNumber


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: where it sorts, and where its NULLs go."""

    field: str
    descending: bool
    nulls_last: bool

    def after(self, value: object) -> Q | None:
        """Rows that sort strictly after ``value`` in this column (None: none do)."""
        if value is None:
            return None if self.nulls_last else Q(**{f"{self.field}__isnull": False})
        lookup = "lt" if self.descending else "gt"
        after = Q(**{f"{self.field}__{lookup}": value})
        if self.nulls_last:
            after |= Q(**{f"{self.field}__isnull": True})
        return after

    def equal(self, value: object) -> Q:
        if value is None:
            return Q(**{f"{self.field}__isnull": True})
        return Q(**{self.field: value})


def sort_keys(queryset: QuerySet) -> list[SortKey] | None:
    """The queryset's order as plain columns, or None when it is not one a bookmark
    can follow (an expression, a random order, no unique last key)."""
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    keys: list[SortKey] = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            descending = term.startswith("-")
            name = term.lstrip("-")
            nulls_last = None
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name = term.expression.name
            descending = term.descending
            nulls_last = (
                True if term.nulls_last else False if term.nulls_first else None
            )
        else:
            return None
        if name == "?":
            return None
        if nulls_last is None:
            # The database's own place for NULLs: largest on PostgreSQL and
            # Oracle, smallest on SQLite and MySQL.
            nulls_last = nulls_largest != descending
        keys.append(SortKey(name, descending, nulls_last))
    if not keys or keys[-1].field not in {"pk", "id", "key"}:
        return None
    return keys


def page_bookmarks(queryset: QuerySet, per_page: int) -> list[tuple]:
    """The sort keys of the first row of every page of ``queryset`` (one query: a
    row number over the list's order, every ``per_page``-th row kept)."""
    keys = sort_keys(queryset)
    if keys is None:
        raise ValueError("This list's order cannot be followed by bookmarks.")
    fields = [key.field for key in keys]
    firsts = (
        queryset.prefetch_related(None)
        .annotate(_row=Window(RowNumber(), order_by=list(queryset.query.order_by)))
        .annotate(_slot=Mod(F("_row") - 1, per_page))
        .filter(_slot=0)
        .values_list(*fields)
    )
    return [tuple(values) for values in firsts]


def at_or_after(keys: list[SortKey], values: tuple, until: tuple | None = None) -> Q:
    """Rows at or after the row whose sort keys are ``values``, in the list's order:
    after it in the first key, or equal there and after it in the next, and so on.

    The first key's bound is said again on its own, as a range the database can
    seek to in the list's index rather than walk it from the start. ``until``,
    the next page's bookmark, tells whether the page can reach the NULLs sorted
    after every value: when it cannot, the range leaves them out (an ``OR ... IS
    NULL`` would keep SQLite from seeking)."""
    condition = Q()
    same = Q()
    for key, value in zip(keys, values, strict=True):
        after = key.after(value)
        if after is not None:
            condition |= same & after
        same &= key.equal(value)
    first, start = keys[0], values[0]
    if start is None:
        leading = first.equal(None) if first.nulls_last else Q()
    elif first.nulls_last and until is not None and until[0] is not None:
        lookup = "lte" if first.descending else "gte"
        leading = Q(**{f"{first.field}__{lookup}": start})
    else:
        leading = first.equal(start) | first.after(start)
    return leading & (condition | same)
