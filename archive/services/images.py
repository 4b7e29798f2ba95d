"""Archiving an image file: validate, hash, store, build renditions."""

from __future__ import annotations

import hashlib

from django.core.files import File
from django.db import transaction

from archive.models import Image
from archive.renditions import build_renditions, delete_files
from archive.uploads import decoded_upload, stored_name


@transaction.atomic
def archive_image_file(image: Image, upload: File | None) -> Image:
    """Make ``upload`` the archived copy of ``image`` (``None`` removes it) and save.

    The upload is checked (size, format, pixels) and fully decoded
    (``archive.uploads``; ``ValidationError`` otherwise), hashed (SHA-256), named
    after the format its contents are in, and its renditions built, all before
    the row changes; the previous renditions are deleted only once the
    transaction commits, so a failure leaves the old copy and its renditions
    intact.
    """
    stale = list((image.renditions or {}).values())
    if upload:
        with decoded_upload(upload) as picture:
            digest = sha256_of(upload)
            if not getattr(upload, "_committed", False):  # not yet stored
                upload.name = stored_name(upload.name, picture)
            renditions = build_renditions(picture, digest, image.file.storage)
    else:
        upload, digest, renditions = None, "", {}
    image.file = upload
    image.sha256 = digest
    image.renditions = renditions
    try:
        image.save()
    except Exception:
        delete_files(image.file.storage, renditions.values())
        raise
    transaction.on_commit(lambda: delete_files(image.file.storage, stale))
    return image


def sha256_of(file: File) -> str:
    """The SHA-256 of ``file``'s bytes, read in chunks; the file is rewound."""
    digest = hashlib.sha256()
    file.open("rb")
    try:
        for chunk in file.chunks():
            digest.update(chunk)
    finally:
        file.seek(0)
    return digest.hexdigest()


def delete_stored_files(image: Image) -> None:
    """Once the deletion of ``image``'s row commits, delete its archived file and
    renditions from storage (local folder or bucket), unless another row still
    names them (a hand-made fixture may give two rows one file).

    Connected to ``post_delete`` in ``ArchiveConfig.ready``, because rows are
    deleted by the admin's page, its bulk action and querysets alike; nothing is
    deleted if the transaction rolls back.
    """
    renditions = (image.renditions or {}).values()
    names = [name for name in (image.file.name, *renditions) if name]
    if not names:
        return
    storage, pk = image.file.storage, image.pk  # the deletion clears image.pk

    def delete() -> None:
        others = Image.objects.exclude(pk=pk)
        still_named = set(others.filter(file__in=names).values_list("file", flat=True))
        if image.sha256:  # renditions are named by their original's SHA-256
            for named in others.filter(sha256=image.sha256).values_list(
                "renditions", flat=True
            ):
                still_named.update(named.values())
        delete_files(storage, [name for name in names if name not in still_named])

    transaction.on_commit(delete)
