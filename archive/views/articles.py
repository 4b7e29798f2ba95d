"""Article list (filtered, paginated) and article detail."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_name
from django.core.cache import cache
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from archive import selectors, structured_data
from archive.citations import CitationRecord, citation_record, format_citation
from archive.counting import RENDERED_TIMEOUT, versioned_get_many, versioned_set
from archive.languages import LocalText, language_name, local_text, reading
from archive.markdown import render_markdown
from archive.models import Article, ArticleTranslation, Image
from archive.page_meta import PageMeta, description_from

from .base import Alternate, ForgivingPaginationMixin, ItemDetailMixin, PageMixin
from .filters import ArticleFilterForm


def _body_html(
    article: Article, body: LocalText, images: dict[str, Image], language: str
) -> SafeString:
    """The rendered body, cached until the article or one of its images changes."""
    stamps = [article.updated_at, *(image.updated_at for image in images.values())]
    version = max(stamp for stamp in stamps if stamp).timestamp()
    key = f"article-body:{article.pk}:{body.language}:{language}:{version}"
    html = cache.get(key)
    if html is None:
        html = render_markdown(body.text, images=images, language=language)
        cache.set(key, str(html), timeout=24 * 60 * 60)
    # Safe: render_markdown's output was sanitised by nh3 before it was cached.
    return mark_safe(html)


PAGE_TIMEOUT = RENDERED_TIMEOUT
# The shape of a cached article head (a dict): part of its key, so that code
# reading another shape never finds an entry written by an older release.
HEAD_FORMAT = 2


def _citation_html(article: Article, record: CitationRecord) -> SafeString:
    """The formatted citation, cached: citeproc-py takes milliseconds a render."""
    stamp = article.updated_at.timestamp() if article.updated_at else 0
    where = hashlib.sha256(record.archive_url.encode()).hexdigest()[:16]
    key = (
        f"article-cite:{article.pk}:{stamp}:{record.language}:{where}:"
        f"{record.accessed.isoformat()}"
    )
    cited = cache.get(key)
    if cited is None:
        cited = str(format_citation(record))
        cache.set(key, cited, timeout=PAGE_TIMEOUT)
    # Safe: format_citation escaped every value before formatting.
    return mark_safe(cited)


class ArticleListView(ForgivingPaginationMixin, PageMixin, ListView):
    """Published articles, filtered by original language, year and person."""

    template_name = "archive/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    count_name = "articles"
    nav_section = "articles"
    url_name = "archive:article_list"
    meta_title = gettext_lazy("Articles")
    meta_description = gettext_lazy(
        "Source articles exactly as the archive received them, in their original "
        "language, with any translations."
    )

    def get(self, request, *args, **kwargs):
        self.form = ArticleFilterForm(
            request.GET,
            years=selectors.article_years(),
            # Built only when a person is asked for or the choices are not
            # cached yet: the nested EXISTS takes a while to put together.
            people=SimpleLazyObject(selectors.people_with_articles),
        )
        self.filters = self.form.valid_values()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.article_list(
            original_language=self.filters.get("lang"),
            year=self.filters.get("year"),
            person=self.filters.get("person"),
        )

    def get_count_parts(self) -> tuple:
        return tuple(sorted(self.form.query_params().items()))

    def get_query_params(self, language: str) -> dict[str, str]:
        params = self.form.query_params()
        if self.page is not None and self.page.number > 1:
            params["page"] = str(self.page.number)
        return params

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, filtered=bool(self.filters))
        return context


@dataclass(frozen=True)
class Publication:
    """When the source published the article, in the source's own time zone."""

    iso: str
    display: str
    zone_name: str
    zone_id: str
    offset: str


def publication(article: Article) -> Publication | None:
    moment = article.published_local
    if moment is None:
        return None
    zone_id = article.published_timezone or "UTC"
    zone_name = zone_id
    if zone_id != "UTC":
        try:
            zone_name = get_timezone_name(
                moment, width="long", locale=Locale.parse(to_locale(get_language()))
            )
        except (UnknownLocaleError, LookupError, ValueError):
            zone_name = zone_id
    offset = moment.strftime("%z")
    return Publication(
        iso=moment.isoformat(),
        # date_format keeps the value's own zone (the date filter would convert).
        display=formats.date_format(moment, "DATETIME_FORMAT"),
        zone_name=zone_name,
        zone_id=zone_id,
        offset=f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC",
    )


class ArticleDetailView(ItemDetailMixin, DetailView):
    """One article: the text (translation or original), its images in place, and a
    metadata panel. ``?original=1`` shows the original text beside the same UI."""

    template_name = "archive/article_detail.html"
    context_object_name = "article"
    nav_section = "articles"

    # The page's cached head (get_context_data), or None: when it is cached, the
    # page meta, alternates and canonical URL come from it, not built again.
    cached_head: dict | None = None

    def find_object(self, slug: str) -> Article | None:
        """The article's narrow row (``selectors.article_lookup``): enough to
        redirect to its canonical address and to key its cached parts."""
        article = selectors.article_lookup(slug=slug)
        if article is None and self.request.user.has_perm("archive.view_article"):
            # Accounts that may view articles in the admin preview drafts at their
            # future address; everyone else (staff or not) gets 404.
            article = selectors.article_lookup(slug=slug, include_drafts=True)
        return article

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.object.status != Article.Status.PUBLISHED:
            # A preview (or its redirect) is for this account alone: never stored
            # by a shared cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def wants_original(self) -> bool:
        return self.request.GET.get("original") == "1"

    def get_query_params(self, language: str) -> dict[str, str]:
        # The original text stays chosen in every language but its own.
        chosen = self.showing_original_by_choice(language)
        return {"original": "1"} if chosen else {}

    def showing_original_by_choice(self, language: str | None = None) -> bool:
        language = language or get_language()
        return self.wants_original() and self.object.original_language != language

    def get_alternates(self) -> list[Alternate]:
        if self.cached_head is not None:
            return self.cached_head["alternates"]
        return super().get_alternates()

    def get_canonical_url(self) -> str:
        if self.cached_head is not None:
            return self.cached_head["canonical_url"]
        if self.showing_original_by_choice():
            # The original text's own page is the canonical copy of that text.
            return self.request.build_absolute_uri(
                self.url_in(self.object.original_language).split("?")[0]
            )
        return super().get_canonical_url()

    def get_page_meta(self) -> PageMeta | None:
        if self.cached_head is not None:
            return None  # the head's HTML is cached
        article: Article = self.object
        read = reading(article, get_language(), original=self.wants_original())
        data = structured_data.article(
            article,
            shown=read.shown,
            url_in=lambda code: self.absolute(_article_url(article, code)),
            absolute=self.absolute,
            site=self.site_data(),
        )
        fallback = _(
            "A source article in %(language)s, kept in the Radford Archive exactly "
            "as it was received, with its translations."
        ) % {"language": language_name(article.original_language)}
        cover = article.cover_image
        published = article.published_local
        return PageMeta(
            title=local_text(article, "title", read.shown).text,
            description=description_from(
                local_text(article, "summary"),
                local_text(article, "subtitle", read.shown),
                fallback=fallback,
            ),
            og_type="article",
            image_url=data.get("image", ""),
            image_alt=local_text(cover, "alt_text").text if cover else "",
            json_ld=structured_data.json_ld_script(data),
            article={"published_time": published.isoformat()} if published else {},
        )

    def get_context_data(self, **kwargs):
        """The page's parts come from two caches, both per article, edit, content
        version (which also follows its people, events and images), language
        and text shown, read in one round trip with the version:

        - the *head*: the title, the page in each language (alternates) and its
          canonical URL, and the HTML of the meta description, OpenGraph,
          JSON-LD and citation tags and of "Cite this", also per site address
          and day, as they hold absolute URLs and the day of access;
        - the *main content* (``includes/article_main.html``), the same for
          every address and day.

        When both are cached the page reads only the article's narrow row; a
        part not cached is computed from the article's row without its long
        texts (one query) and, for the main content, the rest (seven more).
        Drafts (previews for editors) are never cached.
        """
        article: Article = self.object
        ui = get_language()
        original = self.wants_original()
        is_draft = article.status != Article.Status.PUBLISHED
        accessed = timezone.localdate()
        head_key = main_key = None
        version, cached = 0, {}
        if not is_draft:
            stamp = article.updated_at.timestamp() if article.updated_at else 0
            parts = f"{article.pk}:{stamp}:{ui}:{int(original)}"
            site = hashlib.sha256(self.absolute("/").encode()).hexdigest()[:16]
            head_key = (
                f"article-head:{HEAD_FORMAT}:{parts}:{site}:{accessed.isoformat()}"
            )
            main_key = f"article-page:{parts}"
            version, cached = versioned_get_many([head_key, main_key])
        if len(cached) < 2:
            # Something to compute: the whole row but for the long texts.
            article = self.object = selectors.article_head(pk=article.pk)
            if article is None:  # deleted since it was found
                raise Http404("No such item.")
        head = self.cached_head = cached.get(head_key)
        context = super().get_context_data(**kwargs)
        if head is None:
            head = self.render_head(article, context, accessed)
            if head_key:
                versioned_set(head_key, head, version)
        main = cached.get(main_key)
        if main is None:
            read = reading(article, ui, original=original)
            selectors.prefetch_article_page(article)
            main = render_to_string(
                "includes/article_main.html",
                {**context, **self.main_context(article, read, ui)},
                request=self.request,
            )
            if main_key:
                versioned_set(main_key, str(main), version)
        # Safe: our own templates' output (their only unescaped HTML, the body
        # and the formatted citation, is sanitised or escaped before it).
        context.update(
            title=head["title"],
            is_draft=is_draft,
            article_head=mark_safe(head["head"]),
            article_cite=mark_safe(head["cite"]),
            article_main=mark_safe(main),
        )
        return context

    def render_head(self, article: Article, context: dict, accessed: date) -> dict:
        """The title, and the HTML of the head's tags and of "Cite this" (none
        for a draft: a preview is not cited)."""
        ui = get_language()
        is_draft = article.status != Article.Status.PUBLISHED
        read = reading(article, ui, original=self.wants_original())
        parts = {
            "page_meta": context["page_meta"],
            "canonical_url": context["canonical_url"],
            "citation": None,
        }
        if not is_draft:
            parts.update(self.citation_context(article, ui, accessed))
        return {
            "title": local_text(article, "title", read.shown),
            "alternates": context["alternates"],
            "canonical_url": context["canonical_url"],
            "head": render_to_string("includes/article_head.html", parts),
            "cite": render_to_string("includes/article_cite.html", parts)
            if parts["citation"]
            else "",
        }

    def citation_context(self, article: Article, ui: str, accessed: date) -> dict:
        """The "Cite this" section: the record (also read by the ``citation_*``
        meta tags), the formatted citation (cached per edit, language, address
        and day: it names the day of access) and the download links. No query:
        the record reads only the article's own row."""
        record = citation_record(
            article,
            language=ui,
            archive_url=self.request.build_absolute_uri(article.get_absolute_url()),
            accessed=accessed,
        )
        return {
            "citation": record,
            "citation_html": _citation_html(article, record),
            "citation_downloads": {
                fmt: reverse(
                    "archive:article_citation",
                    kwargs={"slug": article.slug_for(ui), "fmt": fmt},
                )
                for fmt in ("bib", "ris", "json")
            },
        }

    def main_context(self, article: Article, read, ui: str) -> dict:
        """What ``includes/article_main.html`` shows."""
        shown, original = read.shown, read.original
        images = {
            image.source_url: image
            for image in article.images.all()
            if image.source_url
        }
        cover = article.cover_image
        if cover is not None and cover.source_url:
            images.setdefault(cover.source_url, cover)
        body = local_text(article, "body", shown)
        return {
            "title": local_text(article, "title", shown),
            # The summary is the archive's own aid: in the visitor's language first.
            "summary": local_text(article, "summary"),
            "is_draft": article.status != Article.Status.PUBLISHED,
            "ui_language": ui,
            "shown_language": shown,
            "original_language": original,
            "is_fallback": read.is_fallback,
            "is_translation": read.is_translation,
            "original_available_here": read.original_available_here,
            "subtitle": local_text(article, "subtitle", shown),
            "body": body,
            "body_html": _body_html(article, body, images, ui),
            "original_title": local_text(article, "title", original),
            "translation_record": _translation_record(article, shown),
            "show_cover": cover is not None
            and not (cover.source_url and cover.source_url in body.text),
            "meta": _metadata(article),
            "publication": publication(article),
            "translation_links": [
                (code, _article_url(article, code))
                for code in article.available_languages
            ],
            "plain_url": reverse(
                "archive:article_detail", kwargs={"slug": article.slug_for(ui)}
            ),
        }


def _article_url(article: Article, language: str) -> str:
    with translation.override(language):
        return article.get_absolute_url()


def _translation_record(article: Article, language: str) -> ArticleTranslation | None:
    for record in article.translations.all():
        if record.language == language:
            return record
    return None


def _metadata(article: Article) -> dict[str, LocalText]:
    """Publisher, author and posting location in the visitor's language, else as
    the source gives them (``LocalText`` knows which)."""
    return {
        field: local_text(article, field)
        for field in ("publisher", "author", "posting_location")
    }
