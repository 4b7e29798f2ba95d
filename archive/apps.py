from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The language columns (title_ja, …) must exist before django-reversion
        # lists the fields it records; modeltranslation's own ready() runs later.
        import archive.translation  # noqa: F401
        from archive.revisions import register_models

        register_models()

        # Pillow's bomb guard, wherever Pillow runs, agrees with the upload limit
        # (it warns above it and refuses above twice it; uploads stop at it).
        from django.conf import settings
        from PIL import Image as PILImage

        PILImage.MAX_IMAGE_PIXELS = settings.ARCHIVE_IMAGE_MAX_PIXELS

        # Cached counts of the public pages follow every change of content.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from archive.counting import bump_content_version

        for model in self.get_models():
            for signal in (post_save, post_delete):
                signal.connect(bump_content_version, sender=model, weak=False)
        m2m_changed.connect(bump_content_version, weak=False)

        # A deleted image's files (local or in the bucket) go with its row, however
        # the row was deleted (admin page, bulk action, queryset).
        from archive.models import Image
        from archive.services.images import delete_stored_files

        post_delete.connect(
            lambda sender, instance, **kwargs: delete_stored_files(instance),
            sender=Image,
            weak=False,
            dispatch_uid="archive.image.delete_stored_files",
        )

        # SQLite's search triggers call Python functions (archive.search.sqlite).
        from django.db.backends.signals import connection_created

        from archive.search.sqlite import register_functions

        connection_created.connect(register_functions, weak=False)
