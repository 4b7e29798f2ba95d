"""The image gallery and one image's page (caption, credit, rights, source)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from archive import selectors, structured_data
from archive.languages import local_text
from archive.models import Image
from archive.page_meta import PageMeta, description_from

from .base import ForgivingPaginationMixin, ItemDetailMixin, PageMixin


class ImageListView(ForgivingPaginationMixin, PageMixin, ListView):
    """Every public image, archived copy or placeholder."""

    template_name = "archive/image_list.html"
    context_object_name = "images"
    paginate_by = 24
    count_name = "images"
    nav_section = "images"
    url_name = "archive:image_list"
    meta_title = _("Images")
    meta_description = _(
        "The images the sources show. Images we have not archived are shown as a "
        "placeholder that links to the original."
    )

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

    def get_page_meta(self) -> PageMeta:
        image: Image = self.object
        title = local_text(image, "title").text or gettext("Image “%(key)s”") % {
            "key": image.key
        }
        data = structured_data.image(
            image,
            url=self.absolute(image.get_absolute_url()),
            absolute=self.absolute,
            title=title,
        )
        alt = local_text(image, "alt_text")
        return PageMeta(
            title=title,
            description=description_from(
                local_text(image, "caption"),
                alt,
                fallback=gettext(
                    "An image from the Radford Archive, with its source, credit "
                    "and rights."
                ),
            ),
            image_url=data.get("contentUrl", ""),
            image_alt=alt.text,
            json_ld=structured_data.json_ld_script(data),
        )
