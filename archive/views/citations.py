"""An article's citation as a file: BibTeX, RIS or CSL-JSON."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views import View

from archive import selectors
from archive.citations import FORMATS, WRITERS, citation_record


class ArticleCitationView(View):
    """``articles/<slug>/citation.<bib|ris|json>``: the citation in the URL's
    language, as a download named after the article's key. Published articles
    only; any other format or slug is a 404."""

    def get(self, request, slug: str, fmt: str):
        if fmt not in FORMATS:
            raise Http404("No such citation format.")
        article = selectors.article_for_citation(slug=slug)
        if article is None:
            raise Http404("No such article.")
        record = citation_record(
            article,
            language=get_language(),
            archive_url=request.build_absolute_uri(article.get_absolute_url()),
        )
        response = HttpResponse(WRITERS[fmt](record), content_type=FORMATS[fmt])
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{record.key}.{fmt}"
        )
        # A copy of the article page's data: the page is what search engines index.
        response["X-Robots-Tag"] = "noindex"
        return response
