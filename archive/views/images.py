"""The image gallery and one image's page (caption, credit, rights, source)."""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from archive import selectors
from archive.models import Image

from .base import ForgivingPaginationMixin, ItemDetailMixin, PageMixin


class ImageListView(ForgivingPaginationMixin, PageMixin, ListView):
    """Every public image, archived copy or placeholder."""

    template_name = "archive/image_list.html"
    context_object_name = "images"
    paginate_by = 24
    count_name = "images"
    nav_section = "images"
    url_name = "archive:image_list"

    def get_queryset(self):
        return selectors.image_list()

    def get_query_params(self, language: str) -> dict[str, str]:
        page = self.page
        return (
            {"page": str(page.number)} if page is not None and page.number > 1 else {}
        )


class ImageDetailView(ItemDetailMixin, DetailView):
    """One image: the picture or a placeholder, and everything known about it."""

    template_name = "archive/image_detail.html"
    context_object_name = "image"
    slug_url_kwarg = "key"
    nav_section = "images"

    def find_object(self, slug: str) -> Image | None:
        return selectors.image_detail(key=slug)
