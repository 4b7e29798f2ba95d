"""The editors' admin, one module per model family (like ``archive.models``).

A tab per language (modeltranslation), what is missing at a glance, provenance.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .articles import ArticleAdmin
from .claims import PersonFactAdmin
from .events import EventAdmin
from .images import ImageAdmin
from .people import PersonAdmin

admin.site.site_header = _("Archive administration")
admin.site.site_title = _("Archive admin")
admin.site.index_title = _("Content")

__all__ = ["ArticleAdmin", "EventAdmin", "ImageAdmin", "PersonAdmin", "PersonFactAdmin"]
