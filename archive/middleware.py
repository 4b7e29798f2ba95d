"""The site's edges: headers on every response, and compression that is BREACH-safe.

:class:`EdgeHeadersMiddleware` sits right after Django's SecurityMiddleware (which
sends HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy), before
WhiteNoise, so static files get the headers too. :class:`PublicGZipMiddleware` sits
right after WhiteNoise (whose static files are compressed ahead of time) and before
the session, CSRF and auth middleware, so it sees the ``Vary: Cookie`` they add.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.cache import has_vary_header

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items()
    )


class EdgeHeadersMiddleware:
    """Permissions-Policy, Cross-Origin-Resource-Policy and, on pages, where to
    send CSP violation reports (``Reporting-Endpoints``, for CSP's ``report-to``).

    Pages and the admin are ``same-origin``; static files and media take
    ``ARCHIVE_ASSETS_CORP`` (``same-site``: a CDN host of the same site may serve
    them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = permissions_policy(settings.ARCHIVE_PERMISSIONS_POLICY)
        self.asset_prefixes = tuple(
            url
            for url in (settings.STATIC_URL, settings.MEDIA_URL)
            if url and url.startswith("/")
        ) or ("/static/",)
        self.reporting = (
            f'{settings.ARCHIVE_CSP_REPORT_GROUP}="{settings.ARCHIVE_CSP_REPORT_URL}"'
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        headers.setdefault("Permissions-Policy", self.policy)
        asset = request.path.startswith(self.asset_prefixes)
        headers.setdefault(
            "Cross-Origin-Resource-Policy",
            settings.ARCHIVE_ASSETS_CORP if asset else settings.ARCHIVE_PAGES_CORP,
        )
        if headers.get("Content-Type", "").startswith("text/html"):
            headers.setdefault("Reporting-Endpoints", self.reporting)
        return response


def carries_a_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """May this response hold a secret an attacker could recover by compression
    (BREACH)? The admin's pages, and any response that depends on the visitor's
    cookies: a CSRF token, a session, a signed-in user (the session and CSRF
    middleware mark those ``Vary: Cookie``).
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return True
    if request.path.startswith(reverse("admin:index")):
        return True
    return has_vary_header(response, "Cookie")


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for public text (HTML, feeds, sitemaps), never for
    a response that :func:`carries_a_secret` nor for what compresses badly."""

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        if carries_a_secret(request, response):
            return response
        return super().process_response(request, response)
