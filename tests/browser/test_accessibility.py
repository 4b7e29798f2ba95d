"""Every public page type, in every language, against WCAG 2.x A/AA and the HTML spec.

The pages are whatever ``archive/urls.py`` names (plus a 404), filled in from the
archive fixture: a detail page shows the first published item of its model (and,
for articles, also the one with the most images). Two checks per page:

- axe-core (shipped inside ``axe-playwright-python`` as ``axe.min.js``, injected
  by Playwright; nothing is fetched) in Chromium against the live server;
- the Nu HTML Checker on the HTML as served, all pages in one Java run per session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import translation

from archive import urls as archive_urls
from archive.models import Article, Event, Image, Person
from tests.browser import vnu

LANGUAGES = [code for code, _name in settings.LANGUAGES]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
NOT_FOUND = "not_found"
# URL names follow <model>_<view>; a view with parameters shows one item of that model.
MODELS = {"article": Article, "person": Person, "event": Event, "image": Image}
# Besides the first item, pages of items chosen for what they exercise: the article
# with the most images shows the body's figures (archived or placeholders).
VARIANTS = {"article_detail": ["most_images"], "search": ["results"]}
# URLs that answer with files, not pages, each tested in its own module: the feeds
# (read by feedparser in tests/test_feeds.py) and the citation downloads (BibTeX /
# RIS / CSL-JSON: tests/test_views_citations.py).
NOT_PAGES = {"article_feed_atom", "article_feed_rss", "article_citation"}
# The search page with results, facets and marked snippets in three scripts.
SEARCH_QUERY = (
    "?q=%E3%83%A9%E3%83%89%E3%83%95%E3%82%A9%E3%83%BC%E3%83%89"  # ラドフォード
)


def _parameters(pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def public_pages() -> list[str]:
    """The URL names of archive.urls a visitor can open, and the 404 page."""
    names = []
    for pattern in archive_urls.urlpatterns:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        if pattern.name in NOT_PAGES:
            continue
        if _parameters(pattern) and pattern.name.split("_")[0] not in MODELS:
            continue  # A parameter we cannot fill from the data (none today).
        names.append(pattern.name)
        names.extend(f"{pattern.name}+{v}" for v in VARIANTS.get(pattern.name, ()))
    return [*names, NOT_FOUND]


PAGES = public_pages()
CASES = [
    pytest.param(name, lang, id=f"{name}-{lang}")
    for name in PAGES
    for lang in LANGUAGES
]


def load_archive() -> None:
    call_command("loaddata", "archive", verbosity=0)


def _pick(model, variant: str):
    items = model._default_manager.all()
    if hasattr(items, "published"):
        items = items.published()
    if variant == "most_images":
        items = items.annotate(image_count=Count("images")).order_by("-image_count")
    return items.order_by(*items.query.order_by, "pk").first()


def page_path(page: str, language: str) -> str:
    """The path of ``page`` (a URL name, maybe +variant) for a ``language``
    visitor, from the loaded data."""
    name, _plus, variant = page.partition("+")
    with translation.override(language):
        if name == NOT_FOUND:
            return reverse("archive:home") + "no-such-page/"
        pattern = next(
            p for p in archive_urls.urlpatterns if getattr(p, "name", "") == name
        )
        parameters = _parameters(pattern)
        if not parameters:
            query = SEARCH_QUERY if variant == "results" else ""
            return reverse(f"archive:{name}") + query
        item = _pick(MODELS[name.split("_")[0]], variant)
        if item is None:
            raise LookupError(f"{name}: the archive has no public {name.split('_')[0]}")
        if name.endswith("_detail"):
            return item.get_absolute_url()
        values = {"slug": item.slug_for(language), "key": item.key, "pk": item.pk}
        missing = [p for p in parameters if p not in values]
        if missing:
            raise LookupError(
                f"{name}: cannot fill URL parameters {missing} from the data"
            )
        return reverse(f"archive:{name}", kwargs={p: values[p] for p in parameters})


def expected_status(name: str) -> int:
    return 404 if name == NOT_FOUND else 200


# -- axe-core in Chromium ----------------------------------------------------------
def describe_violations(path: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {path} (WCAG 2.x A/AA):"]
    for violation in violations:
        lines.append(
            f"\n* {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"  … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def test_axe_finds_violations(page, axe):
    """The harness is not vacuous: a page with known faults fails."""
    page.set_content('<!doctype html><title>x</title><img src="data:,">')
    found = {v["id"] for v in axe.run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"html-has-lang", "image-alt"} <= found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "language"), CASES)
def test_no_axe_violations(page, axe, name, language):
    load_archive()
    try:
        path = page_path(name, language)
    except LookupError as exc:
        pytest.fail(str(exc))
    response = page.goto(path)
    assert response is not None and response.status == expected_status(name), (
        f"{path} answered {response and response.status}"
    )
    if "text/html" not in (response.headers.get("content-type") or ""):
        pytest.skip(f"{path} is not an HTML page")
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, describe_violations(path, violations)
    # The dark scheme has colours of its own: contrast is checked there too.
    page.emulate_media(color_scheme="dark")
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, describe_violations(f"{path} (dark)", violations)
    # 320 CSS px (WCAG 1.4.10 reflow): nothing may scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls {overflow}px sideways at 320px"


# -- the Nu HTML Checker -------------------------------------------------------------
@pytest.fixture(scope="session")
def served_pages(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """(path, status, content type, HTML) of every case, from one load of the
    archive rolled back afterwards."""
    pages = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_archive()
        client = Client(raise_request_exception=False)
        for name in PAGES:
            for language in LANGUAGES:
                try:
                    path = page_path(name, language)
                except LookupError as exc:
                    pages[name, language] = (str(exc), None, "", "")
                    continue
                response = client.get(path)
                pages[name, language] = (
                    path,
                    response.status_code,
                    response.get("Content-Type", ""),
                    response.content.decode(response.charset or "utf-8"),
                )
        transaction.set_rollback(True)
    cache.clear()
    yield pages


@pytest.fixture(scope="session")
def vnu_messages(served_pages) -> dict:
    reason = vnu.unavailable_reason()
    if reason:
        pytest.skip(f"Nu HTML Checker SKIPPED: {reason}")
    html = {
        key: page[3] for key, page in served_pages.items() if "text/html" in page[2]
    }
    # A known-bad document rides along, to show the checker really reports errors.
    html[SELF_CHECK] = "<!doctype html><title>x</title><p><figure></figure></p>"
    return vnu.check(html)


SELF_CHECK = ("self-check", "")


@pytest.mark.django_db
def test_vnu_finds_errors(vnu_messages):
    """The harness is not vacuous: a stray </p> after a figure is an error."""
    errors = vnu.errors(vnu_messages[SELF_CHECK])
    assert any("No “p” element in scope" in str(e["message"]) for e in errors), errors


# The mark makes pytest-django create the test database even when only these run.
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "language"), CASES)
def test_html_is_valid(served_pages, vnu_messages, name, language):
    path, status, content_type, _html = served_pages[name, language]
    assert status is not None, path  # The page could not be found from the data.
    assert status == expected_status(name), f"{path} answered {status}"
    if "text/html" not in content_type:
        pytest.skip(f"{path} is not an HTML page")
    errors = vnu.errors(vnu_messages[name, language])
    assert not errors, f"{len(errors)} HTML error(s) on {path}:\n{vnu.describe(errors)}"
