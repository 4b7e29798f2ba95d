"""The home page: what the archive holds, latest articles, highlights, people."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from archive import selectors
from archive.counting import versioned_get_many, versioned_set

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
        """The page's content (counts, latest articles, timeline highlights,
        people) depends only on the archive and the language: it is cached per
        language and content version, which every write moves on, and read with
        that version in one round trip. Rendering it costs four queries."""
        context = super().get_context_data(**kwargs)
        key = f"home-main:{get_language()}"
        version, cached = versioned_get_many([key])
        main = cached.get(key)
        if main is None:
            main = render_to_string(
                "includes/home_main.html",
                {**context, "overview": selectors.home_overview()},
            )
            versioned_set(key, str(main), version)
        # Safe: our own template's output, escaped as it was rendered.
        context["home_main"] = mark_safe(main)
        return context
