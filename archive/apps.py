from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Pillow's bomb guard, wherever Pillow runs, agrees with the upload limit
        # (it warns above it and refuses above twice it; uploads stop at it).
        from django.conf import settings
        from PIL import Image as PILImage

        PILImage.MAX_IMAGE_PIXELS = settings.ARCHIVE_IMAGE_MAX_PIXELS
