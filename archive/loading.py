"""Loading fixtures at size: objects read one at a time, new rows written in bulk.

The machinery under ``loaddata`` (``archive/management/commands/loaddata.py``, which
decides what may load and validates every object); here is only how objects come
in and how their rows go out:

* ``raw_objects()`` reads a JSON fixture one object at a time (ijson), never the
  whole file at once; JSON Lines and YAML come as Django reads them;
* ``ArchiveDeserializer`` is Django's, building each object once (Django builds an
  object named by natural key twice and reads its parents from the database to
  find that key) and handing over its natural key;
* ``BulkWriter`` takes the new rows of the archive models that were empty when the
  load began: it gives each its id at once, as an insert would (so later objects
  can name it), and inserts them a batch at a time, with their many-to-many rows.
  Forward references (an article's cover image, which comes after it) are set at
  the end, one statement per model and field.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import ijson
from django.core import serializers
from django.core.serializers import base
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DatabaseError, connections, models, transaction
from modeltranslation.manager import get_translatable_fields_for_model
from modeltranslation.thread_context import auto_populate_mode
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as mt_language

from archive.models.natural_keys import (
    NaturalKey,
    natural_key_of,
    written,
)

# Rows of a model kept before they are inserted together (four times as many
# many-to-many rows).
BATCH_SIZE = 500


def raw_objects(fixture: Any, ser_fmt: str) -> Iterable[Any] | None:
    """The serialized objects of a fixture as Python values, read as they come;
    None for a format that has none (XML: Django deserializes it directly)."""
    if ser_fmt == "json":
        return _json_objects(fixture)
    deserializer = serializers.get_deserializer(ser_fmt)
    if not issubclass(deserializer, PythonDeserializer):
        return None
    # JSON Lines is read a line at a time; YAML is parsed whole, as Django does.
    return deserializer(fixture).stream


def _json_objects(fixture: Any) -> Iterator[Any]:
    if isinstance(fixture, io.TextIOBase) or not hasattr(fixture, "peek"):
        # Standard input (already in memory) and zip members: read whole.
        data = fixture.read()
        fixture = io.BufferedReader(
            io.BytesIO(data.encode() if isinstance(data, str) else data)
        )
    start = fixture.peek(1).lstrip()
    if start and not start.startswith(b"["):
        raise DeserializationError("A JSON fixture is a list of objects: [{...}, ...]")
    try:
        yield from ijson.items(fixture, "item", use_float=True)
    except ijson.JSONError as exc:
        # ijson's message draws an arrow under the text on further lines.
        raise DeserializationError(f"Invalid JSON: {str(exc).splitlines()[0]}") from exc


class ArchiveDeserializer(PythonDeserializer):
    """Django's Python deserializer (as its JSON one wraps it), building each object
    once and giving the ``DeserializedObject`` its ``natural_key`` (None for models
    without one), found without reading parents this load wrote."""

    def _handle_object(self, obj):
        try:
            yield from self._build(obj)
        except (GeneratorExit, DeserializationError):
            raise
        except Exception as exc:
            raise DeserializationError(f"Error deserializing object: {exc}") from exc

    def _handle_fk_field_node(self, field, field_value):
        # A natural key this load wrote: its pk from memory, without a query.
        model = field.remote_field.model
        memory = written(model)
        if (
            memory is None
            or not isinstance(field_value, list | tuple)
            or field.remote_field.field_name != model._meta.pk.attname
        ):
            return super()._handle_fk_field_node(field, field_value)
        pk = memory.pk_of(field_value)
        return base.DEFER_FIELD if pk is None else pk

    def _handle_m2m_field_node(self, field, field_value):
        model = field.remote_field.model
        memory = written(model)
        if memory is None or not isinstance(field_value, list | tuple):
            return super()._handle_m2m_field_node(field, field_value)
        pks = []
        for value in field_value:
            if not isinstance(value, list | tuple):
                return super()._handle_m2m_field_node(field, field_value)
            pk = memory.pk_of(value)
            if pk is None:
                return base.DEFER_FIELD
            pks.append(pk)
        return pks

    def _build(self, obj):
        # As django.core.serializers.python.Deserializer._handle_object.
        data, m2m_data, deferred_fields = {}, {}, {}
        try:
            Model = self._get_model_from_node(obj["model"])
        except DeserializationError:
            if self.ignorenonexistent:
                return
            raise
        meta = Model._meta
        if "pk" in obj:
            try:
                data[meta.pk.attname] = meta.pk.to_python(obj.get("pk"))
            except Exception as e:
                raise DeserializationError.WithData(
                    e, obj["model"], obj.get("pk"), None
                ) from e
        if Model not in self.field_names_cache:
            self.field_names_cache[Model] = {f.name for f in meta.get_fields()}
        field_names = self.field_names_cache[Model]
        for field_name, field_value in obj["fields"].items():
            if self.ignorenonexistent and field_name not in field_names:
                continue
            field = meta.get_field(field_name)
            if field.remote_field and isinstance(
                field.remote_field, models.ManyToManyRel
            ):
                try:
                    values = self._handle_m2m_field_node(field, field_value)
                except base.M2MDeserializationError as e:
                    raise DeserializationError.WithData(
                        e.original_exc, obj["model"], obj.get("pk"), e.pk
                    ) from e
                if values == base.DEFER_FIELD:
                    deferred_fields[field] = field_value
                else:
                    m2m_data[field.name] = values
            elif field.remote_field and isinstance(
                field.remote_field, models.ManyToOneRel
            ):
                try:
                    value = self._handle_fk_field_node(field, field_value)
                except Exception as e:
                    raise DeserializationError.WithData(
                        e, obj["model"], obj.get("pk"), field_value
                    ) from e
                if value == base.DEFER_FIELD:
                    deferred_fields[field] = field_value
                else:
                    data[field.attname] = value
            else:
                try:
                    data[field.name] = field.to_python(field_value)
                except Exception as e:
                    raise DeserializationError.WithData(
                        e, obj["model"], obj.get("pk"), field_value
                    ) from e

        instance = _instance(Model, data)
        natural_key = None
        manager = meta.default_manager
        if hasattr(manager, "get_by_natural_key") and hasattr(Model, "natural_key"):
            instance._state.db = self.using
            natural_key = natural_key_of(instance, missing_ok=False)
            instance._state.db = None
            memory = written(Model)
            if instance.pk is None and memory is not None:
                instance.pk = memory.pk_of(natural_key)
            elif instance.pk is None:
                try:
                    found = manager.db_manager(self.using).get_by_natural_key(
                        *natural_key
                    )
                except Model.DoesNotExist:
                    pass
                else:
                    instance.pk = meta.pk.to_python(found.pk)
        deserialized = base.DeserializedObject(instance, m2m_data, deferred_fields)
        deserialized.natural_key = natural_key
        yield deserialized


def _instance(Model: type[models.Model], data: dict[str, Any]) -> models.Model:
    """``Model(**data)``, built the way Django builds a row read from the database.

    modeltranslation's constructor rewrites every keyword (``title`` becomes the
    active language's ``title_en`` unless that is given): 40% of building an
    article. Values in field order skip it; the one rewrite that matters, a
    translated field given by its original name, is done here. Its population
    modes (``loaddata --populate``) take the ordinary way.
    """
    if auto_populate_mode():
        return Model(**data)
    translated = get_translatable_fields_for_model(Model)
    if translated:
        language = mt_language()
        for name in translated:
            if name in data:
                data.setdefault(build_localized_fieldname(name, language), data[name])
    values = []
    for field in Model._meta.concrete_fields:
        if field.attname in data:
            values.append(data[field.attname])
        elif field.name in data:
            values.append(data[field.name])
        else:
            values.append(field.get_default())
    return Model(*values)


class BulkWriter:
    """New rows of models loaded from empty, inserted a batch at a time.

    ``accepts()`` says which objects it takes; ``add()`` gives the row its id and
    keeps it; ``flush()`` inserts what is kept (as a raw ``save()`` inserts a row:
    fields as given, ``auto_now`` untouched), each batch in a savepoint so that a
    failing batch names its row; ``finish()`` sets the
    forward references. Constraint checks wait for the end of the load (Django's
    loaddata), so rows may reach the database in any order.
    """

    def __init__(self, using: str, batch_size: int = BATCH_SIZE) -> None:
        self.using = using
        self.connection = connections[using]
        self.batch_size = batch_size
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        # Rows whose required foreign key names a row further on (rare).
        self.held: list[tuple[models.Model, str]] = []
        self.links: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        # (model, pk, label, field, value as serialized)
        self.forward: list[tuple[type[models.Model], int, str, Any, Any]] = []
        self.ids: dict[type[models.Model], Iterator[int]] = {}
        # The largest id a fixture gave a row of each model itself.
        self.given: dict[type[models.Model], int] = {}
        self.models: set[type[models.Model]] = set()
        self.count = 0

    def accepts(self, obj: base.DeserializedObject) -> bool:
        """A new row of an archive model this load found empty, built by
        ``ArchiveDeserializer``."""
        instance = obj.object
        meta = instance._meta
        return (
            hasattr(obj, "natural_key")
            and instance.pk is None
            and meta.app_label == "archive"
            and meta.pk is meta.auto_field
            and not meta.parents
            and written(type(instance)) is not None
        )

    def add(self, obj: base.DeserializedObject, label: str) -> None:
        instance = obj.object
        model = type(instance)
        instance.pk = self._next_id(model)
        self.models.add(model)
        self.rows[model].append(instance)
        self.count += 1
        for name, pks in (obj.m2m_data or {}).items():
            self._link(instance.pk, instance._meta.get_field(name), pks)
        for field, value in obj.deferred_fields.items():
            self.forward.append((model, instance.pk, label, field, value))
        if any(not field.null for field in obj.deferred_fields):
            # A required reference to a later row: kept until it can be set.
            self.rows[model].remove(instance)
            self.held.append((instance, label))
        elif len(self.rows[model]) >= self.batch_size:
            self._insert(model, self.rows.pop(model))

    def flush(self) -> None:
        """Insert every row kept so far."""
        while self.rows:
            model, rows = self.rows.popitem()
            self._insert(model, rows)
        while self.links:
            through, rows = self.links.popitem()
            self._insert(through, rows)

    def finish(self) -> None:
        """Flush, then set the forward references of the rows written."""
        self.flush()
        held = {(type(i), i.pk): i for i, _label in self.held}
        columns: dict[tuple[type[models.Model], Any], list[tuple[Any, int]]] = (
            defaultdict(list)
        )
        for model, pk, label, field, value in self.forward:
            where = model._meta.label_lower
            if isinstance(field.remote_field, models.ManyToManyRel):
                try:
                    pks = base.deserialize_m2m_values(
                        field, value, self.using, handle_forward_references=False
                    )
                except base.M2MDeserializationError as e:
                    raise DeserializationError.WithData(
                        e.original_exc, where, label, e.pk
                    ) from e
                self._link(pk, field, pks)
            else:
                try:
                    target = base.deserialize_fk_value(
                        field, value, self.using, handle_forward_references=False
                    )
                except Exception as e:
                    raise DeserializationError.WithData(e, where, label, value) from e
                instance = held.get((model, pk))
                if instance is not None:
                    setattr(instance, field.attname, target)
                    continue
                prepared = field.get_db_prep_save(target, connection=self.connection)
                columns[model, field].append((prepared, pk))
        self.forward = []
        for instance, _label in self.held:
            self.rows[type(instance)].append(instance)
        self.held = []
        self.flush()
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for (model, field), values in columns.items():
                meta = model._meta
                cursor.executemany(
                    f"UPDATE {quote(meta.db_table)} SET {quote(field.column)} = %s "
                    f"WHERE {quote(meta.pk.column)} = %s",
                    values,
                )
        self.flush()

    # -- rows --------------------------------------------------------------------

    def _link(self, pk: int, field: Any, pks: Iterable[Any]) -> None:
        """Keep the many-to-many rows linking the new row ``pk`` to ``pks``."""
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = self.links[through]
        rows.extend(
            through(**{f"{source}_id": pk, f"{target}_id": other})
            for other in dict.fromkeys(pks)
        )
        self.models.add(through)
        if len(rows) >= self.batch_size * 4:
            self._insert(through, self.links.pop(through))

    def _insert(self, model: type[models.Model], rows: list[models.Model]) -> None:
        """Insert ``rows`` as a raw ``save()`` inserts one: every column as given
        (``auto_now`` untouched), each value prepared by its field; one INSERT
        statement run for every row (``executemany``), in a savepoint."""
        meta = model._meta
        if meta.auto_created:  # a many-to-many table: its ids are the database's
            fields = [f for f in meta.local_concrete_fields if f is not meta.pk]
        else:
            fields = [f for f in meta.local_concrete_fields if not f.generated]
        if any(hasattr(field, "get_placeholder") for field in fields):
            # A column written through SQL of its own: Django's compiler builds it.
            return self._insert_with_django(model, rows, fields)
        quote = self.connection.ops.quote_name
        statement = (
            f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        connection = self.connection
        values = [
            [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
            for row in rows
        ]
        try:
            with transaction.atomic(using=self.using), connection.cursor() as cursor:
                cursor.executemany(statement, values)
        except DatabaseError:
            self._name_the_failing_row(statement, rows, values)
            raise

    def _name_the_failing_row(self, statement: str, rows: list, values: list) -> None:
        """Insert a refused batch row by row, to name the row that fails."""
        for row, row_values in zip(rows, values, strict=True):
            try:
                with (
                    transaction.atomic(using=self.using),
                    self.connection.cursor() as cursor,
                ):
                    cursor.execute(statement, row_values)
            except DatabaseError as e:
                e.args = (f"Could not load {_label(row)}: {e}",)
                raise

    def _insert_with_django(self, model, rows, fields) -> None:
        size = max(1, self.connection.ops.bulk_batch_size(fields, rows))
        for start in range(0, len(rows), size):
            model._base_manager._insert(
                rows[start : start + size], fields=fields, using=self.using, raw=True
            )

    def saved(self, instance: models.Model) -> None:
        """Note a row saved one by one with an id of its fixture's, which the ids
        given to new rows must then pass."""
        model = type(instance)
        if isinstance(instance.pk, int) and instance.pk > self.given.get(model, 0):
            self.given[model] = instance.pk

    def _next_id(self, model: type[models.Model]) -> int:
        if model not in self.ids:
            self.ids[model] = self._fresh_ids(model)
        pk = next(self.ids[model])
        while pk <= self.given.get(model, 0):
            pk = next(self.ids[model])
        return pk

    def _fresh_ids(self, model: type[models.Model]) -> Iterator[int]:
        """Ids for new rows, as the database would give them on insert.

        PostgreSQL: taken from the table's own sequence, a batch at a time (so no
        other writer can take them). SQLite: past the largest id the table ever
        gave (``sqlite_sequence``: AUTOINCREMENT never reuses the id of a deleted
        row, which revisions may still name); the load holds the write lock.
        """
        meta = model._meta
        quote = self.connection.ops.quote_name
        table, column = quote(meta.db_table), quote(meta.pk.column)
        if self.connection.vendor == "postgresql":
            while True:
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [table, meta.pk.column, self.batch_size],
                    )
                    batch = [row[0] for row in cursor.fetchall()]
                yield from batch
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({column}) FROM {table}")
            last = cursor.fetchone()[0] or 0
            if self.connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table]
                )
                row = cursor.fetchone()
                last = max(last, row[0] if row else 0)
        yield from itertools.count(last + 1)


def _label(instance: models.Model) -> str:
    """``archive.Image 'gen-1-i5'``: the model and the natural key, else the pk."""
    try:
        natural_key: NaturalKey | None = natural_key_of(instance)
    except Exception:  # noqa: BLE001 - only a label for a message
        natural_key = None
    shown = ", ".join(map(str, natural_key)) if natural_key else f"pk={instance.pk}"
    return f"{instance._meta.label} '{shown}'"
