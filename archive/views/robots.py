"""``/robots.txt``: where the sitemap is, and what crawlers should leave alone."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.views.generic import TemplateView


class RobotsView(TemplateView):
    """Names the sitemap; keeps crawlers out of the admin (its previews included)
    and the search results in every language. A draft's preview at its public
    address answers only to editors and says ``noindex`` itself."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sitemap_url=self.request.build_absolute_uri(reverse("sitemap")),
            disallowed=[
                reverse("admin:index"),
                *(f"/{code}/search/" for code, _name in settings.LANGUAGES),
            ],
        )
        return context
