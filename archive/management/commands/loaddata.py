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
  Django's command — the whole load runs in one transaction, so nothing is written.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from typing import Any

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import cached_property
from modeltranslation.management.commands import loaddata

from archive.models.common import natural_key_memo, remember_natural_key

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
        # Standard input is read once, by the NUL check, then served again.
        formats["stdin"] = (lambda *args: io.StringIO(self._stdin_text), None)
        return formats

    def loaddata(self, fixture_labels):
        self._seen: dict[tuple[str, str, str], None] = {}
        # Set by Django's loaddata() too; finding fixtures needs it before then.
        self.serialization_formats = serializers.get_public_serializer_formats()
        self._stdin_text = sys.stdin.read() if READ_STDIN in fixture_labels else ""
        for fixture_label in fixture_labels:
            self.refuse_nul(fixture_label)
        with natural_key_memo():
            super().loaddata(fixture_labels)
        self.analyze()

    def analyze(self) -> None:
        """Refresh PostgreSQL's statistics of the tables just filled.

        Until autovacuum comes by, the planner believes a freshly loaded table
        empty and joins it row by row: the admin's image list took 16 s after
        loading 10,000 articles, 5 ms after ANALYZE.
        """
        connection = connections[self.using]
        if connection.vendor != "postgresql" or not self.loaded_object_count:
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

    def refuse_nul(self, fixture_label: str) -> None:
        """Refuse a NUL in any serialized object before the database sees it.

        PostgreSQL cannot store NUL in text (SQLite can), and a NUL in a natural key
        fails even the lookup, so the check reads the serialized objects themselves.
        XML needs no check: XML 1.0 cannot carry a NUL, so its parser refuses it.
        """
        for fixture_file, _dir, _name in self.find_fixtures(fixture_label):
            for position, raw in enumerate(self._raw_objects(fixture_file), start=1):
                problem = _nul_problem(raw, position, os.path.basename(fixture_file))
                if problem:
                    raise CommandError(
                        f"{problem}: PostgreSQL cannot store it; remove it."
                    )

    def _raw_objects(self, fixture_file: str) -> Iterator[Any]:
        _name, ser_fmt, cmp_fmt = self.parse_name(os.path.basename(fixture_file))
        open_method, mode = self.compression_formats[cmp_fmt]
        fixture = open_method(fixture_file, mode)
        try:
            deserializer = serializers.get_deserializer(ser_fmt)(fixture)
            if isinstance(deserializer, PythonDeserializer):
                yield from deserializer.stream
        except DeserializationError:
            # Unreadable: Django's own load reports it in its usual words.
            return
        finally:
            fixture.close()

    def save_obj(self, obj):
        instance = obj.object
        if self._will_save(instance):
            self.refuse_account(instance)
            self.refuse_duplicate(instance)
        if instance._meta.app_label == "archive":
            self.validate(instance)
        # A new row has no many-to-many rows yet: they are inserted in one query
        # below rather than diffed against the database value by value (set()).
        new_m2m = obj.m2m_data if instance.pk is None else None
        if new_m2m:
            obj.m2m_data = None
        saved = super().save_obj(obj)
        if saved and new_m2m:
            self.insert_m2m(instance, new_m2m)
        if saved and hasattr(instance, "key"):
            remember_natural_key(instance)
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

    def refuse_duplicate(self, instance: Model) -> None:
        """Refuse an object already loaded earlier in this load (files included)."""
        label = instance._meta.label
        identities = []
        natural_key = self._natural_key(instance)
        if natural_key is not None:
            identities.append((label, "natural key", _show(", ".join(natural_key))))
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
    def _natural_key(instance: Model) -> tuple[str, ...] | None:
        # Only where Django itself matches objects by natural key.
        manager = instance._meta.default_manager
        if not (
            hasattr(manager, "get_by_natural_key") and hasattr(instance, "natural_key")
        ):
            return None
        try:
            return tuple(str(part) for part in instance.natural_key())
        except ObjectDoesNotExist:
            # A forward reference not loaded yet; the primary key still counts.
            return None

    def _label(self, instance: Model) -> str:
        natural_key = self._natural_key(instance)
        if natural_key:
            return ", ".join(natural_key)
        return str(instance.pk) if instance.pk is not None else "?"

    def validate(self, instance) -> None:
        now = timezone.now()
        for stamp in ("created_at", "updated_at"):
            if hasattr(instance, stamp) and getattr(instance, stamp) is None:
                setattr(instance, stamp, now)
        # Relations may still be forward references at this point; they are checked
        # by the database's constraints when the load commits.
        exclude = {
            f.name for f in instance._meta.get_fields() if f.is_relation and f.concrete
        }
        try:
            instance.clean_fields(exclude=exclude)
            if not self._clean_needs_relations(instance):
                instance.clean()
        except ValidationError as exc:
            label = getattr(instance, "key", None) or instance.pk or "?"
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
        self.check_fixity(instance)
        derive = getattr(instance, "fill_derived_fields", None)
        if derive:
            derive()

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
        # ArticleTranslation.clean() reads its article, which may not be loaded yet.
        return instance._meta.model_name == "articletranslation"
