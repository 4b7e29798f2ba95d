"""Rendered public pages, cached per address (so per language) and content version.

``PageCacheMiddleware`` keeps the whole response of a public page (``/en/…``,
``/ja/…``, ``/zh-hans/…``) with the *content version* (``archive.counting``) it was
rendered under: every save, delete, link change, publish, unpublish, import and load
moves the version on, so every cached page is stale at once (an edited person
changes their articles' and events' pages too, and nothing has to know which) and
is rendered again on its next request. The version and the page come in one round
trip to the cache (``get_many``).

What is never stored or served from the cache: anything but GET/HEAD; requests
that carry a session cookie (editors, logged in, and their previews); responses
that are not 200, stream, set a cookie (a CSRF token sets one), say ``private``,
``no-store`` or ``no-cache``, vary on a request header (``Cookie``,
``Accept-Language``…; ``Accept-Encoding`` aside) or are already compressed.

CSP nonces: a page that used the request's nonce is stored with a placeholder in
its place, and every response from the cache gets the new request's own nonce
(the ``Content-Security-Policy`` header is built by the outer CSP middleware from
the same nonce).

Every public page gets a weak ``ETag`` (of the page without its nonce) and
``Last-Modified`` (when it was rendered) and answers a conditional GET with 304.
A 304 carries no CSP header, so a browser keeps the policy stored with the page
it revalidated (whose nonce matches that page's body). ``Cache-Control`` lets
browsers and a CDN keep a public page briefly (``ARCHIVE_PAGE_MAX_AGE``,
``ARCHIVE_PAGE_S_MAXAGE``); the admin and previews say ``private, no-store``.

Order: after ``ContentSecurityPolicyMiddleware`` and ``WhiteNoiseMiddleware``,
before ``SessionMiddleware``; any compressing middleware must come before it.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from archive.counting import versioned_get_many, versioned_set

NONCE_PLACEHOLDER = b"\x00archive-csp-nonce\x00"
# Headers recomputed for each response rather than stored.
NOT_STORED = {"content-length", "etag", "last-modified", "cache-control", "date"}
# A query string longer than this is answered, never cached.
MAX_QUERY_LENGTH = 256
REFUSING_DIRECTIVES = {"private", "no-store", "no-cache"}
_COMMAS = re.compile(r"\s*,\s*")


def _cache_control_directives(response: HttpResponse) -> set[str]:
    value = response.get("Cache-Control", "")
    return {
        part.split("=", 1)[0].strip().lower()
        for part in _COMMAS.split(value)
        if part.strip()
    }


def _varies_beyond_encoding(response: HttpResponse) -> bool:
    """The response differs by a request header other than Accept-Encoding (the
    cache keys pages by address alone)."""
    varies = {part.strip().lower() for part in response.get("Vary", "").split(",")} - {
        "",
        "accept-encoding",
    }
    return bool(varies)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    # Which requests -------------------------------------------------------

    def is_public_page(self, request: HttpRequest) -> bool:
        """A public page's address (under a language prefix)."""
        return get_language_from_path(request.path_info) is not None

    def is_anonymous(self, request: HttpRequest) -> bool:
        # Without a session cookie there is no account: no session is read.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    def key(self, request: HttpRequest) -> str:
        address = request.build_absolute_uri().encode()
        return f"archive:page:{hashlib.sha256(address).hexdigest()}"

    def lookup(self, key: str) -> tuple[dict | None, int]:
        """The stored entry of ``key`` if it was rendered under the current
        content version (``versioned_get_many``: one round trip to the cache) and
        on this day, and that version."""
        version, found = versioned_get_many([key])
        entry = found.get(key)
        # Pages say the day (a citation's "accessed" date): kept a day at most.
        if entry is not None and entry.get("day") != timezone.localdate().isoformat():
            entry = None
        return entry, version

    # The middleware ----------------------------------------------------------

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not getattr(settings, "ARCHIVE_PAGE_CACHE", True)
            or request.method not in ("GET", "HEAD")
            or not self.is_public_page(request)
        ):
            return self.get_response(request)
        if not self.is_anonymous(request):
            response = self.get_response(request)
            # Rendered for an account: for its browser alone, asked again each
            # time (previews say no-store themselves).
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        cacheable = len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        key = self.key(request) if cacheable else ""
        entry, version = self.lookup(key) if key else (None, 0)
        if entry is not None:
            response = self.from_entry(request, entry)
            response["X-Archive-Cache"] = "hit"
        else:
            response = self.get_response(request)
            entry = self.to_entry(request, response) if key else None
            if entry is None:
                return response
            entry["day"] = timezone.localdate().isoformat()
            if request.method == "GET":
                # Under the version read before rendering: a write since then
                # makes the next request render again.
                versioned_set(key, entry, version, settings.ARCHIVE_PAGE_CACHE_TIMEOUT)
            response["X-Archive-Cache"] = "miss"
        self.add_validators(response, entry)
        return self.conditional(request, response, entry)

    # Storing and serving ------------------------------------------------------

    def to_entry(self, request: HttpRequest, response: HttpResponse) -> dict | None:
        """What to store of ``response``, or None when it must not be stored."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or "Content-Encoding" in response
            or _cache_control_directives(response) & REFUSING_DIRECTIVES
            or _varies_beyond_encoding(response)
        ):
            return None
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        uses_nonce = bool(nonce)
        if uses_nonce:
            body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        return {
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED
            ],
            "body": body,
            "nonce": uses_nonce,
            "etag": f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
            "last_modified": int(time.time()),
        }

    def from_entry(self, request: HttpRequest, entry: dict) -> HttpResponse:
        body = entry["body"]
        if entry["nonce"]:
            # Evaluated here, so the CSP header will carry this same nonce.
            nonce = getattr(request, "_csp_nonce", "")
            body = body.replace(NONCE_PLACEHOLDER, str(nonce).encode())
        response = HttpResponse(b"" if request.method == "HEAD" else body)
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(body))
        return response

    def add_validators(self, response: HttpResponse, entry: dict) -> None:
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        patch_cache_control(
            response,
            public=True,
            max_age=settings.ARCHIVE_PAGE_MAX_AGE,
            s_maxage=settings.ARCHIVE_PAGE_S_MAXAGE,
        )

    def conditional(
        self, request: HttpRequest, response: HttpResponse, entry: dict
    ) -> HttpResponse:
        answer = get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=entry["last_modified"],
            response=response,
        )
        if answer is not response and answer.status_code == 304:
            # The browser keeps the page it has, with the policy (and nonce) it
            # was sent with: a new CSP header would not match that page's nonce.
            answer._csp_config = {}
            answer._csp_ro_config = {}
        return answer
