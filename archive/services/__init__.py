"""Multi-step writes, one function each, called by the admin, commands and imports.

``import_source`` (the ``import_article`` command), ``publish_articles`` and
``unpublish_articles`` (admin action, article form, importer),
``archive_image_file`` (image admin, article form's image rows) and
``delete_stored_files`` (an image row's files, after it is deleted).
"""

from .images import archive_image_file, delete_stored_files
from .imports import ImportResult, import_source
from .publishing import publish_articles, unpublish_articles

__all__ = [
    "ImportResult",
    "archive_image_file",
    "delete_stored_files",
    "import_source",
    "publish_articles",
    "unpublish_articles",
]
