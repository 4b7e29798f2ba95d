"""Multi-step writes, one function each, called by the admin, commands and imports.

``import_source`` (the ``import_article`` command), ``publish_articles`` and
``unpublish_articles`` (admin action, article form, importer).
"""

from .imports import ImportResult, import_source
from .publishing import publish_articles, unpublish_articles

__all__ = [
    "ImportResult",
    "import_source",
    "publish_articles",
    "unpublish_articles",
]
