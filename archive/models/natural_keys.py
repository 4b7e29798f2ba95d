"""Natural keys: how fixtures name rows, and what a load remembers of them.

Fixtures name every archive row by its natural key (an item's ``key``; a child row's
parent key and position…), never by database id. A manager says which lookups make
up its model's natural key (``natural_key_lookups``) and ``get_by_natural_key``
finds the row.

``loaddata`` looks every object, foreign key and many-to-many value up by its
natural key, and checks every slug: one query each (about 300,000 for a
10,000-article export). Within ``natural_key_memo()`` a model whose table was empty
when first looked at answers those from what the load wrote of it
(``remember_natural_key``), without a query; a model that held rows goes to the
database as outside a load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from archive.languages import LANGUAGE_CODES, localized

NaturalKey = tuple[Any, ...]


def _normal(natural_key: NaturalKey) -> tuple[str, ...]:
    # A fixture may write a position as 3 or "3": the database lookup takes both.
    return tuple(str(part) for part in natural_key)


class StandIn:
    """What a lookup answers from memory: a written row's pk and natural key.

    Enough for a deserializer (``pk`` and the pk column) and for the natural key
    of a row that points at it (``natural_key()``, and the plain fields of the
    key, e.g. ``key``); building a model instance instead costs up to 1 ms
    (modeltranslation fills every translated field).
    """

    def __init__(self, model: type[models.Model], pk: int, natural_key: NaturalKey):
        self.pk = pk
        setattr(self, model._meta.pk.attname, pk)
        self._natural_key = natural_key
        lookups = model._default_manager.natural_key_lookups
        for lookup, value in zip(lookups, natural_key, strict=True):
            if "__" not in lookup:
                setattr(self, lookup, value)

    def natural_key(self) -> NaturalKey:
        return self._natural_key


@dataclasses.dataclass
class _Written:
    """What a load wrote of one model that was empty when the load first looked."""

    # normalised natural key → pk, and pk → natural key as the row gives it
    keys: dict[tuple[str, ...], int] = dataclasses.field(default_factory=dict)
    natural_keys: dict[int, NaturalKey] = dataclasses.field(default_factory=dict)
    # (slug column, slug) → pk
    slugs: dict[tuple[str, str], int] = dataclasses.field(default_factory=dict)

    def pk_of(self, natural_key: NaturalKey) -> int | None:
        """The pk of the row ``natural_key`` names, or None if none was written."""
        return self.keys.get(_normal(natural_key))


# Per model: what the active load wrote, or None for a model that held rows before
# it (its lookups go to the database). Unset outside ``natural_key_memo``.
_memo: ContextVar[dict[type[models.Model], _Written | None] | None] = ContextVar(
    "natural_key_memo", default=None
)


@contextmanager
def natural_key_memo() -> Iterator[None]:
    """Within it, natural-key lookups and slug checks of the models empty when
    first looked at are answered from memory (``remember_natural_key``)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def written(model: type[models.Model]) -> _Written | None:
    """The active load's memory of ``model``; None outside a load, for a model
    that held rows when the load first looked at it (one query, once a model), and
    for models whose manager is not a ``KeyManagerMixin``."""
    memo = _memo.get()
    if memo is None or not isinstance(model._default_manager, KeyManagerMixin):
        return None
    if model not in memo:
        memo[model] = None if model._base_manager.exists() else _Written()
    return memo[model]


def remember_natural_key(
    instance: models.Model, natural_key: NaturalKey | None = None
) -> None:
    """Tell the active memo that ``instance`` (with its pk) now exists."""
    memory = written(type(instance))
    if memory is None:
        return
    if natural_key is None:
        natural_key = natural_key_of(instance)
    if natural_key is not None:
        memory.keys[_normal(natural_key)] = instance.pk
        memory.natural_keys[instance.pk] = natural_key
    if getattr(instance, "HAS_SLUG", False):
        for code in LANGUAGE_CODES:
            column = localized("slug", code)
            if getattr(instance, column):
                memory.slugs[column, getattr(instance, column)] = instance.pk


def natural_key_of(
    instance: models.Model, *, missing_ok: bool = True
) -> NaturalKey | None:
    """``instance.natural_key()``, reading parents this load wrote from memory.

    When a parent is not written yet (a forward reference): None, or with
    ``missing_ok=False`` the parent's ``DoesNotExist``.
    """
    stood_in = []
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.is_cached(instance):
            continue
        pk = getattr(instance, field.attname)
        memory = written(field.related_model) if pk is not None else None
        if memory is not None and pk in memory.natural_keys:
            field.set_cached_value(
                instance,
                StandIn(field.related_model, pk, memory.natural_keys[pk]),
            )
            stood_in.append(field)
    try:
        return instance.natural_key()
    except ObjectDoesNotExist:
        if not missing_ok:
            raise
        return None
    finally:
        for field in stood_in:
            field.delete_cached_value(instance)


class KeyManagerMixin:
    """Natural keys: fixtures name rows by ``natural_key_lookups`` (an item by its
    ``key``; a child row by its parent's key and what sets it apart)."""

    natural_key_lookups: tuple[str, ...] = ("key",)

    def get_by_natural_key(self, *natural_key: Any):
        memory = written(self.model)
        if memory is None:
            return self.get(
                **dict(zip(self.natural_key_lookups, natural_key, strict=True))
            )
        pk = memory.pk_of(natural_key)
        if pk is None:
            raise self.model.DoesNotExist(
                f"No {self.model.__name__} {', '.join(map(str, natural_key))!r}."
            )
        return StandIn(self.model, pk, memory.natural_keys[pk])
