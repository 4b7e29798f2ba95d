"""Multi-step writes, one function each, called by the admin, commands and imports.

``import_source`` (the ``import_article`` command), ``publish_articles`` and
``unpublish_articles`` (admin action, article form, importer), and
``archive_image_file`` (image admin, article form's image rows).
"""

from .images import archive_image_file
from .imports import ImportResult, import_source
from .publishing import publish_articles, unpublish_articles

__all__ = [
    "ImportResult",
    "archive_image_file",
    "import_source",
    "publish_articles",
    "unpublish_articles",
]
