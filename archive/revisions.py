"""Revisions of archive items (django-reversion): what is recorded, and restoring.

Every archive model is registered here, once. An article's revision holds its
references, translation records and the images placed in it; a person's holds
their links, other names and facts (with the facts' sources); an event's holds
its sources. ``updated_at`` is left out, so a save that changes nothing adds no
revision (``ignore_duplicates``). Comparing revisions: ``archive.revision_diff``.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion import register
from reversion.errors import RevertError
from reversion.models import Version

from archive.models import (
    Article,
    ArticleTranslation,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
    PersonName,
    Reference,
)

# Rows that belong to their item: restoring an item deletes those added since.
OWNED = {
    Article: ("references", "translations"),
    Person: ("links", "alternative_names", "facts"),
    PersonFact: ("citations",),
    Event: ("citations",),
}
# Items placed in an article: restoring unlinks those placed since, never deletes.
PLACED = {Article: ("images",)}

EXCLUDE = ("updated_at",)
# As the history page shows revisions (templates/admin/archive/revisions/).
REVISION_DATE_FORMAT = "Y-m-d H:i:s"

# Comments are stored verbatim, the same words from every path (like the publishing
# service's history entries).
IMPORTED_COMMENT = "Imported from {name}"
RESTORED_COMMENT = "Restored the version of {date}"


def register_models() -> None:
    """Put every archive model under revision control (called by the app's ready())."""
    options = {"ignore_duplicates": True}
    register(
        Article,
        follow=("references", "translations", "images"),
        exclude=EXCLUDE,
        **options,
    )
    register(Reference, follow=("article",), **options)
    register(ArticleTranslation, follow=("article",), **options)
    register(
        Person,
        follow=("links", "alternative_names", "facts"),
        exclude=EXCLUDE,
        **options,
    )
    register(PersonLink, follow=("person",), **options)
    register(PersonName, follow=("person",), **options)
    register(PersonFact, follow=("citations",), exclude=EXCLUDE, **options)
    register(PersonFactCitation, follow=("fact",), **options)
    register(Event, follow=("citations",), exclude=EXCLUDE, **options)
    register(EventCitation, follow=("event",), **options)
    register(Image, exclude=EXCLUDE, **options)


def versions_of(obj_or_model, object_id: str) -> models.QuerySet:
    """Versions of one item, oldest first, with their revisions and users."""
    return (
        Version.objects.get_for_object_reference(obj_or_model, object_id)
        .select_related("revision", "revision__user")
        .order_by("revision__date_created", "pk")
    )


def restored_comment(version: Version) -> str:
    """The comment of a restore: which version came back (in UTC, unambiguous)."""
    when = version.revision.date_created.astimezone(datetime.UTC)
    return RESTORED_COMMENT.format(date=f"{when:%Y-%m-%d %H:%M:%S} UTC")


@transaction.atomic
def restore_version(version: Version) -> None:
    """Put ``version``'s item back as it was, with the rows its revision holds.

    Owned rows added since (references, translation records, links) are deleted;
    images placed in an article since are unlinked from it, never deleted (an image
    is an item of its own, with files). Then every version of the revision is
    saved back (django-reversion's ``revert`` without its delete step).
    ``RevertError`` if a row cannot be saved back.
    """
    model = version._model
    current = model._default_manager.filter(pk=version.object_id).first()
    revision = version.revision
    kept = {(v.content_type_id, v.object_id) for v in revision.version_set.all()}
    if current is not None:
        for related in (*OWNED.get(model, ()), *PLACED.get(model, ())):
            for row in getattr(current, related).all():
                if (_content_type_id(type(row)), str(row.pk)) in kept:
                    continue
                if related in OWNED.get(model, ()):
                    row.delete()
                else:
                    # Placed since: unlinked, so the old placement can come back.
                    type(row)._default_manager.filter(pk=row.pk).update(
                        article=None, position=None
                    )
    save_back(list(revision.version_set.all()))


def save_back(versions: list[Version]) -> None:
    """Save each version's row as it was; ``updated_at`` (not versioned) is now.

    Rows that clash with another not yet saved back (two references swapping
    positions) are retried once the others are in place, as django-reversion does.
    """
    now = timezone.now()
    for version in versions:
        row = version._object_version.object
        if hasattr(row, "updated_at"):
            row.updated_at = now
        if isinstance(row, Image):
            forget_missing_files(row)
    pending = versions
    while pending:
        failed = []
        for version in pending:
            try:
                with transaction.atomic(using=version.db):
                    version.revert()
            except IntegrityError:
                failed.append(version)
        if len(failed) == len(pending):
            raise RevertError(
                _("Could not restore %(item)s: it clashes with another row.")
                % {"item": failed[0].object_repr}
            )
        pending = failed


def forget_missing_files(image: Image) -> None:
    """Drop from ``image`` (unsaved) the stored files a revision names but storage
    no longer holds: a deleted image's file and renditions went with it, and a
    replaced file's renditions with the replacement. A missing original leaves the
    image remote-only (its source URL, if any), to be uploaded again."""
    if not image.file:
        return
    storage = image.file.storage
    if not storage.exists(image.file.name):
        image.file = ""
        image.sha256 = ""
        image.width = image.height = None
        image.renditions = {}
        return
    image.renditions = {
        width: name
        for width, name in (image.renditions or {}).items()
        if storage.exists(name)
    }


def _content_type_id(model: type[models.Model]) -> int:
    return ContentType.objects.get_for_model(model).pk


def revision_date(version: Version) -> str:
    """A revision's time to the second (two saves a minute apart must differ)."""
    return formats.date_format(
        timezone.localtime(version.revision.date_created), REVISION_DATE_FORMAT
    )
