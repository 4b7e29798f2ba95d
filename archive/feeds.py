"""Atom and RSS feeds of the latest published articles, one of each per language.

``/<lang>/feeds/articles.atom`` and ``.rss`` list the ``FEED_LENGTH`` newest
published articles (by the source's publication date, along the list's index) in
the feed's language where the archive has a translation, otherwise in their
original language: each entry says which (Atom ``xml:lang`` on the entry, RSS
``dc:language``). Entries carry the source's date, its author when the source
names one, a plain-text summary and the address the source was published at (Atom
``link rel="via"``, RSS ``dc:source``, and a line of the summary). A feed is built
with one query and cached per content version (``archive.counting``), so polling
readers cost nothing until the archive changes.
"""

from __future__ import annotations

import copy

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive import selectors
from archive.counting import content_version
from archive.languages import bcp47, display_language, field_text, local_text
from archive.links import web_url
from archive.markdown import render_markdown
from archive.models import Article
from archive.structured_data import plain_excerpt

FEED_LENGTH = 50
SUMMARY_LENGTH = 300
FEED_TIMEOUT = 60 * 60

DC = "http://purl.org/dc/elements/1.1/"


class _AtomWithLanguages(Atom1Feed):
    """Atom with each entry's language and the source's address (``rel="via"``)."""

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language_tag"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["source_url"]:
            handler.addQuickElement(
                "link", "", {"rel": "via", "href": item["source_url"]}
            )


class _RssWithLanguages(Rss201rev2Feed):
    """RSS 2.0 with each item's language and the source's address (Dublin Core)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language_tag"])
        if item["source_url"]:
            handler.addQuickElement("dc:source", item["source_url"])


class ArticleFeed(Feed):
    """The latest published articles in the active language (base of both kinds)."""

    kind = ""

    request = None

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (it is in the URLconf): a copy holds
        # this request's.
        feed = copy.copy(self)
        feed.request = request
        return feed.respond(request, *args, **kwargs)

    def respond(self, request, *args, **kwargs):
        language = get_language()
        key = (
            f"article-feed:{content_version()}:{self.kind}:{language}:"
            f"{request.get_host()}:{int(request.is_secure())}"
        )
        cached = cache.get(key)
        if cached is not None:
            content, content_type, modified = cached
            response = HttpResponse(content, content_type=content_type)
            if modified:
                response.headers["Last-Modified"] = modified
            return response
        response = super().__call__(request, *args, **kwargs)
        cache.set(
            key,
            (
                response.content,
                response["Content-Type"],
                response.headers.get("Last-Modified", ""),
            ),
            timeout=FEED_TIMEOUT,
        )
        return response

    def title(self) -> str:
        return _("Radford Archive: articles")

    def subtitle(self) -> str:
        return _(
            "The latest source articles of the Radford Archive, in this language "
            "where the archive has a translation, otherwise in their original "
            "language."
        )

    description = subtitle

    def link(self) -> str:
        return reverse("archive:article_list")

    def items(self) -> list[Article]:
        return list(
            selectors.public_articles().defer("source_document", "source_metadata")[
                :FEED_LENGTH
            ]
        )

    def _shown(self, item: Article) -> str:
        return display_language(item, get_language())

    def item_title(self, item: Article) -> str:
        return local_text(item, "title", self._shown(item)).text

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        # The address by the article's stable key (it redirects to the current
        # slug): an edited title never makes an entry look new.
        return self.request.build_absolute_uri(
            reverse("archive:article_detail", kwargs={"slug": item.key})
        )

    def item_description(self, item: Article) -> str:
        """Plain text, escaped for the feeds' HTML summaries: the archive's summary
        or the source's subtitle in the entry's language, else the text's opening;
        then the source's address."""
        shown = self._shown(item)
        text = field_text(item, "summary", shown) or field_text(item, "subtitle", shown)
        if not text:
            text = render_markdown(field_text(item, "body", shown), language=shown)
        summary = escape(plain_excerpt(text, SUMMARY_LENGTH))
        source = web_url(item.original_url)
        if source:
            summary += format_html(
                '<p>{} <a href="{}">{}</a></p>', _("Original:"), source, source
            )
        return summary

    def item_pubdate(self, item: Article):
        return item.published_local or item.published_on_site

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        # Only an author the source names: never the publisher, never the archive.
        return field_text(item, "author", item.original_language) or None

    def item_extra_kwargs(self, item: Article) -> dict:
        return {
            "language_tag": bcp47(self._shown(item)),
            "source_url": web_url(item.original_url),
        }


class AtomArticleFeed(ArticleFeed):
    kind = "atom"
    feed_type = _AtomWithLanguages


class RssArticleFeed(ArticleFeed):
    kind = "rss"
    feed_type = _RssWithLanguages
