"""The home page: what the archive holds, latest articles, highlights, people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from archive import selectors

from .base import PageMixin


class HomeView(PageMixin, TemplateView):
    template_name = "archive/home.html"
    nav_section = "home"
    url_name = "archive:home"
    meta_title = _("Radford Archive")
    meta_description = _(
        "Source articles about the researcher Alec Radford, kept exactly as the "
        "archive received them, with translations into English, Japanese and "
        "Simplified Chinese."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = selectors.home_overview()
        return context
