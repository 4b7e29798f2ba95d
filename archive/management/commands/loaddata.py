"""loaddata, made safe and portable for the archive's fixtures.

Django's own command (as extended by modeltranslation), with these differences:

* every object of the ``archive`` app is validated (field validators such as EDTF
  dates, and the model's ``clean()``: required text in the original language)
  before it is saved;
* derived fields (empty slugs, EDTF sort keys) are computed as ``save()`` would,
  so a fixture cannot store a sort key that disagrees with its date; a raw
  source's SHA-256 is checked, never recomputed: a fixture whose recorded
  checksum is not its source's is refused (recomputing would hide an alteration);
* a load is strict, so that what loads on SQLite loads on PostgreSQL and the
  reverse: the same object twice (same model and natural key, or same primary key,
  across all files of the load) is refused instead of the last one silently
  winning; a NUL character anywhere in an object is refused before the database
  sees it; account objects (``auth`` users, groups, permissions and their
  memberships, and sessions) are refused unless ``--allow-users`` is given;
* any failure is reported as one clear line and a non-zero exit, and — as in
  Django's command — the whole load runs in one transaction, so nothing is written;
* it is built for an archive that only grows (``archive/loading.py``): a JSON
  fixture is read one object at a time, natural keys of what the load wrote are
  answered from memory, and the new rows of a model that was empty are inserted a
  batch at a time (the rows of a model that held rows are saved one by one, as
  Django does). Bulk inserts send no ``post_save``: the cached counts' content
  version moves on once, at the end.
"""

from __future__ import annotations

import io
import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import cached_property
from modeltranslation.management.commands import loaddata
from modeltranslation.translator import NotRegistered, translator

from archive.counting import bump_content_version
from archive.loading import ArchiveDeserializer, BulkWriter, raw_objects
from archive.models.natural_keys import (
    NaturalKey,
    natural_key_memo,
    natural_key_of,
    remember_natural_key,
)

# Objects that create accounts or grant access. Groups and permissions are
# included because a group's permissions, or a user's group memberships, are
# grants as surely as a superuser flag; a session row is a live login.
ACCOUNT_APPS = frozenset({"auth", "sessions"})

NUL = "\x00"
READ_STDIN = "-"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _show(value: Any) -> str:
    """A value for a one-line message, with any NUL made visible."""
    return _one_line(str(value).replace(NUL, "\\x00"))


def _holds_nul(value: Any) -> bool:
    """True if NUL appears in the value, or in any string nested inside it."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def _nul_problem(raw: Any, position: int, file_name: str) -> str | None:
    """The refusal for one serialized object holding a NUL, or None."""
    if not isinstance(raw, dict):
        return None
    fields = raw.get("fields") if isinstance(raw.get("fields"), dict) else {}
    label = raw.get("pk", fields.get("key", f"#{position}"))
    where = f"{_show(raw.get('model', '?'))} '{_show(label)}' in {file_name}"
    if _holds_nul(raw.get("pk")):
        return f"NUL character in the pk of {where}"
    for name, value in fields.items():
        if _holds_nul(name) or _holds_nul(value):
            return f"NUL character in field {_show(name)} of {where}"
    return None


class _AfterReading:
    """Runs ``Command.finish_reading()`` once every fixture is read: Django's
    loaddata calls ``save_deferred_fields()`` on what ``objs_with_deferred_fields``
    holds, then checks the constraints of everything loaded."""

    def __init__(self, command: Command) -> None:
        self.command = command

    def save_deferred_fields(self, using=None) -> None:
        self.command.finish_reading()


class Command(loaddata.Command):
    help = (
        "Load fixtures (e.g. `loaddata archive`), validating archive objects; "
        "all or nothing. Refuses the same object twice in one load, any NUL "
        "character, and account objects (users, groups, permissions, sessions) "
        "unless --allow-users is given."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-users",
            action="store_true",
            help=(
                "Also load account objects (auth users, groups, permissions and "
                "their memberships, sessions). Without it, any such object in "
                "the fixtures refuses the whole load."
            ),
        )

    def handle(self, *fixture_labels, **options):
        self.allow_users = options.get("allow_users", False)
        try:
            return super().handle(*fixture_labels, **options)
        except CommandError as exc:
            raise CommandError(_one_line(exc)) from exc
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            if exc.__cause__ is not None:
                message += f" {exc.__cause__}"
            raise CommandError(_one_line(message)) from exc

    @cached_property
    def compression_formats(self):
        formats = dict(super().compression_formats)
        # Standard input is read once, then served from memory.
        formats["stdin"] = (lambda *args: io.StringIO(self._stdin_text), None)
        return formats

    def loaddata(self, fixture_labels):
        self._seen: dict[tuple[str, str, str], None] = {}
        self._clean_later: list[Model] = []
        self._exclusions: dict[type[Model], set[str]] = {}
        self.writer = BulkWriter(self.using)
        self.after_reading = _AfterReading(self)
        self._stdin_text = sys.stdin.read() if READ_STDIN in fixture_labels else ""
        with natural_key_memo():
            super().loaddata(fixture_labels)
        if self.writer.count:
            # Bulk inserts send no post_save: move the cached counts on once.
            bump_content_version()
        self.analyze()

    def load_label(self, fixture_label):
        """Load the fixture files of one label (as Django's ``load_label``), each
        object streamed through ``save_obj``; a file's kept rows are inserted
        before the next file begins."""
        for fixture_file, fixture_dir, fixture_name in self.find_fixtures(
            fixture_label
        ):
            _name, ser_fmt, cmp_fmt = self.parse_name(os.path.basename(fixture_file))
            open_method, mode = self.compression_formats[cmp_fmt]
            fixture = open_method(fixture_file, mode)
            self.fixture_count += 1
            objects_in_fixture = loaded_objects_in_fixture = 0
            if self.verbosity >= 2:
                self.stdout.write(
                    f"Installing {ser_fmt} fixture '{fixture_name}' from "
                    f"{fixture_dir or 'absolute path'}."
                )
            try:
                for obj in self.deserialize(fixture, ser_fmt, fixture_file):
                    objects_in_fixture += 1
                    if self.save_obj(obj):
                        loaded_objects_in_fixture += 1
                self.writer.flush()
            except Exception as e:
                if not isinstance(e, CommandError):
                    e.args = (f"Problem installing fixture '{fixture_file}': {e}",)
                raise
            finally:
                fixture.close()
            self.loaded_object_count += loaded_objects_in_fixture
            self.fixture_object_count += objects_in_fixture
            if objects_in_fixture == 0:
                warnings.warn(
                    f"No fixture data found for '{fixture_name}'. (File format may "
                    "be invalid.)",
                    RuntimeWarning,
                    stacklevel=2,
                )
        # Last in the list, so that it runs after Django's own deferred saves.
        if self.after_reading in self.objs_with_deferred_fields:
            self.objs_with_deferred_fields.remove(self.after_reading)
        self.objs_with_deferred_fields.append(self.after_reading)

    def deserialize(self, fixture, ser_fmt: str, fixture_file: str) -> Iterable[Any]:
        """The fixture's objects, each checked for NUL before it is built."""
        raw = raw_objects(fixture, ser_fmt)
        if raw is None:
            # XML cannot carry a NUL (its parser refuses one): Django's own
            # deserializer, its objects saved one by one.
            return serializers.deserialize(
                ser_fmt,
                fixture,
                using=self.using,
                ignorenonexistent=self.ignore,
                handle_forward_references=True,
            )
        return ArchiveDeserializer(
            self.refuse_nul(raw, os.path.basename(fixture_file)),
            using=self.using,
            ignorenonexistent=self.ignore,
            handle_forward_references=True,
        )

    def refuse_nul(self, raw: Iterable[Any], file_name: str) -> Iterator[Any]:
        """Refuse a NUL in any serialized object before it is built.

        PostgreSQL cannot store NUL in text (SQLite can), and a NUL in a natural key
        fails even the lookup, so the check reads the serialized objects themselves.
        """
        for position, obj in enumerate(raw, start=1):
            problem = _nul_problem(obj, position, file_name)
            if problem:
                raise CommandError(f"{problem}: PostgreSQL cannot store it; remove it.")
            yield obj

    def finish_reading(self) -> None:
        """Every fixture is read: insert what is kept, set forward references, and
        run the checks that read relations."""
        self.writer.finish()
        self.models.update(self.writer.models)
        for instance in self._clean_later:
            self.clean(instance, self._exclusions[type(instance)], relations=True)

    def analyze(self) -> None:
        """Refresh the query planner's statistics of the tables just filled.

        PostgreSQL, until autovacuum comes by, believes a freshly loaded table
        empty and joins it row by row: the admin's image list took 16 s after
        loading 10,000 articles, 5 ms after ANALYZE. SQLite has no statistics
        until told, and without them scans every published article for a lookup
        by slug or person (as ``generate_archive`` found).
        """
        connection = connections[self.using]
        if connection.vendor not in ("postgresql", "sqlite"):
            return
        if not self.loaded_object_count:
            return
        tables = {
            table
            for model in self.models
            for table in (
                model._meta.db_table,
                *(
                    field.remote_field.through._meta.db_table
                    for field in model._meta.local_many_to_many
                ),
            )
        }
        with connection.cursor() as cursor:
            for table in sorted(tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def save_obj(self, obj):
        instance = obj.object
        if not self._will_save(instance):
            return super().save_obj(obj)
        self.refuse_account(instance)
        if hasattr(obj, "natural_key"):
            natural_key = obj.natural_key
        else:
            natural_key = self._natural_key(instance)
        self.refuse_duplicate(instance, natural_key)
        if instance._meta.app_label == "archive":
            self.validate(instance)
        label = self._label(instance, natural_key)
        if self.writer.accepts(obj):
            self.writer.add(obj, label)
            remember_natural_key(instance, natural_key)
            return True
        # Saved one by one, as Django does: the database first holds what is kept.
        self.writer.flush()
        # A new row has no many-to-many rows yet: they are inserted in one query
        # below rather than diffed against the database value by value (set()).
        new_m2m = obj.m2m_data if instance.pk is None else None
        if new_m2m:
            obj.m2m_data = None
        saved = super().save_obj(obj)
        if saved and new_m2m:
            self.insert_m2m(instance, new_m2m)
        if saved:
            remember_natural_key(instance, natural_key)
            self.writer.saved(instance)
        return saved

    def insert_m2m(self, instance: Model, m2m_data: dict[str, list]) -> None:
        """Link a just-inserted ``instance`` to the rows its fixture names."""
        for name, pks in m2m_data.items():
            field = instance._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through._default_manager.using(self.using).bulk_create(
                through(**{f"{source}_id": instance.pk, f"{target}_id": pk})
                for pk in dict.fromkeys(pks)
            )

    def _will_save(self, instance: Model) -> bool:
        # The same test as Django's save_obj: excluded objects are never written.
        return not (
            instance._meta.app_config in self.excluded_apps
            or type(instance) in self.excluded_models
        ) and router.allow_migrate_model(self.using, type(instance))

    def refuse_account(self, instance: Model) -> None:
        """Refuse objects that create accounts or grant access, unless allowed."""
        if self.allow_users or instance._meta.app_label not in ACCOUNT_APPS:
            return
        raise CommandError(
            f"{instance._meta.label} '{_show(self._label(instance))}' is an account "
            "object; archive fixtures do not create or change accounts (pass "
            "--allow-users to load it deliberately)."
        )

    def refuse_duplicate(self, instance: Model, natural_key: NaturalKey | None) -> None:
        """Refuse an object already loaded earlier in this load (files included)."""
        label = instance._meta.label
        identities = []
        if natural_key is not None:
            identities.append(
                (label, "natural key", _show(", ".join(map(str, natural_key))))
            )
        if instance.pk is not None:
            identities.append((label, "pk", _show(instance.pk)))
        for identity in identities:
            if identity in self._seen:
                raise CommandError(
                    f"{label} with {identity[1]} '{identity[2]}' appears twice in "
                    "this load; the later would silently replace the earlier. "
                    "Keep one."
                )
        self._seen.update(dict.fromkeys(identities))

    @staticmethod
    def _natural_key(instance: Model) -> NaturalKey | None:
        # Only where Django itself matches objects by natural key.
        manager = instance._meta.default_manager
        if not (
            hasattr(manager, "get_by_natural_key") and hasattr(instance, "natural_key")
        ):
            return None
        # None for a forward reference not loaded yet; the primary key still counts.
        return natural_key_of(instance)

    def _label(self, instance: Model, natural_key: NaturalKey | None = None) -> str:
        if natural_key is None:
            natural_key = self._natural_key(instance)
        if natural_key:
            return ", ".join(map(str, natural_key))
        return str(instance.pk) if instance.pk is not None else "?"

    def validate(self, instance) -> None:
        now = timezone.now()
        for stamp in ("created_at", "updated_at"):
            if hasattr(instance, stamp) and getattr(instance, stamp) is None:
                setattr(instance, stamp, now)
        model = type(instance)
        if model not in self._exclusions:
            self._exclusions[model] = self._not_validated(model)
        exclude = self._exclusions[model]
        self.clean(instance, exclude, relations=False)
        if self._clean_needs_relations(instance):
            self._clean_later.append(instance)
        self.check_fixity(instance)
        derive = getattr(instance, "fill_derived_fields", None)
        if derive:
            derive()

    @staticmethod
    def _not_validated(model: type[Model]) -> set[str]:
        """Fields ``clean_fields()`` skips: relations, which may still be forward
        references here (the database's constraints check them when the load
        commits), and the original column of each translated field, which holds
        one of its languages' values, each validated in its own column."""
        relations = {
            f.name for f in model._meta.get_fields() if f.is_relation and f.concrete
        }
        try:
            originals = set(translator.get_options_for_model(model).all_fields)
        except NotRegistered:
            originals = set()
        return relations | originals

    def clean(self, instance, exclude: set[str], *, relations: bool) -> None:
        """Run the field validators (``relations=False``) and ``clean()``; a
        ``clean()`` that reads relations runs once every object is loaded
        (``relations=True``)."""
        try:
            if not relations:
                instance.clean_fields(exclude=exclude)
            if relations == self._clean_needs_relations(instance):
                instance.clean()
        except ValidationError as exc:
            label = getattr(instance, "key", None) or self._label(instance)
            if hasattr(exc, "error_dict"):
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in exc.message_dict.items()
                )
            else:
                problems = " ".join(exc.messages)
            raise CommandError(
                f"Invalid {instance._meta.label} {label}: {_one_line(problems)}"
            ) from exc

    @staticmethod
    def check_fixity(instance) -> None:
        """Refuse a raw source whose recorded SHA-256 is not its own."""
        checksum = getattr(instance, "source_checksum", None)
        if checksum is None:
            return
        found = checksum()
        if instance.source_sha256 != found:
            raise CommandError(
                f"{instance._meta.label} '{_show(instance.key)}': source_sha256 is "
                f"{instance.source_sha256 or 'empty'} but its source_document's "
                f"SHA-256 is {found or 'empty (no source)'}; the source was altered "
                "or the checksum is wrong (re-import the source file to record both)."
            )

    @staticmethod
    def _clean_needs_relations(instance) -> bool:
        # ArticleTranslation.clean() reads its article, which may come later.
        return instance._meta.model_name == "articletranslation"
