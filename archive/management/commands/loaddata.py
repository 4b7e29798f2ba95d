"""loaddata, made safe for the archive's fixtures.

Django's own command (as extended by modeltranslation), with three differences
for objects of the ``archive`` app:

* every object is validated (field validators such as EDTF dates, and the model's
  ``clean()``: required text in the original language) before it is saved;
* derived fields (empty slugs, EDTF sort keys, SHA-256 of a source) are computed
  as ``save()`` would, so a fixture cannot store a sort key that disagrees with
  its date;
* any failure is reported as one clear line and a non-zero exit, and — as in
  Django's command — the whole load runs in one transaction, so nothing is written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from modeltranslation.management.commands import loaddata


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class Command(loaddata.Command):
    help = (
        "Load fixtures (e.g. `loaddata archive`), validating archive objects; "
        "all or nothing."
    )

    def handle(self, *fixture_labels, **options):
        try:
            return super().handle(*fixture_labels, **options)
        except CommandError as exc:
            raise CommandError(_one_line(exc)) from exc
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            if exc.__cause__ is not None:
                message += f" {exc.__cause__}"
            raise CommandError(_one_line(message)) from exc

    def save_obj(self, obj):
        instance = obj.object
        if instance._meta.app_label == "archive":
            self.validate(instance)
        return super().save_obj(obj)

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
        derive = getattr(instance, "fill_derived_fields", None)
        if derive:
            derive()

    @staticmethod
    def _clean_needs_relations(instance) -> bool:
        # ArticleTranslation.clean() reads its article, which may not be loaded yet.
        return instance._meta.model_name == "articletranslation"
