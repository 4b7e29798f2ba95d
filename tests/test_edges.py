"""The site's edges: headers, compression without BREACH, one-line security logs."""

from __future__ import annotations

import gzip
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_article, url_in

pytestmark = pytest.mark.django_db

FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen")


@contextmanager
def logged(logger_name: str) -> Iterator[io.StringIO]:
    """What the settings' one-line handler of ``logger_name`` writes, as written."""
    from archive.log_format import OneLineFormatter

    logger = logging.getLogger(logger_name)
    while logger.propagate and logger.parent is not None:
        logger = logger.parent
    handlers = [h for h in logger.handlers if isinstance(h.formatter, OneLineFormatter)]
    assert handlers, f"{logger.name} has no one-line handler"
    buffer = io.StringIO()
    # Swapped by hand: setStream() flushes the old stream, which an earlier test's
    # captured stderr may have closed.
    streams = [handler.stream for handler in handlers]
    for handler in handlers:
        handler.stream = buffer
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.stream = stream


def admin_client(client):
    user = get_user_model().objects.create_superuser("boss", password="pw-12345")
    client.force_login(user)
    return client


def assert_edge_headers(response, corp: str = "same-origin") -> None:
    policy = response.headers["Permissions-Policy"]
    for feature in FEATURES_OFF:
        assert f"{feature}=()" in policy
    assert response.headers["Cross-Origin-Resource-Policy"] == corp
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_carry_the_edge_headers(client):
    article = make_article(status="published")
    for path in ("/en/", url_in(article, "ja"), "/zh-hans/people/", "/en/missing/"):
        response = client.get(path)
        assert_edge_headers(response)
        assert response.headers["Reporting-Endpoints"] == 'csp-endpoint="/csp-report/"'
    policy = client.get("/en/").headers["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy
    assert "report-to csp-endpoint" in policy


def test_admin_pages_carry_the_edge_headers(client):
    assert_edge_headers(client.get("/admin/login/"))
    assert_edge_headers(admin_client(client).get("/admin/archive/article/"))


def test_static_files_carry_the_edge_headers_with_a_same_site_corp(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as the server does after collectstatic
    response = client.get("/static/archive/css/archive.css")
    assert response.status_code == 200
    assert_edge_headers(response, corp="same-site")
    # Not a page: no reporting endpoint, and Django never compresses it.
    assert "Reporting-Endpoints" not in response.headers
    assert "Content-Encoding" not in response.headers


def test_the_permissions_policy_is_well_formed(settings):
    from archive.middleware import permissions_policy

    assert (
        permissions_policy({"camera": [], "fullscreen": ["self"]})
        == "camera=(), fullscreen=(self)"
    )
    assert all(
        allowed == [] for allowed in settings.ARCHIVE_PERMISSIONS_POLICY.values()
    )


# Compression: public pages yes, anything that may carry a secret never (BREACH).


def test_public_html_is_gzipped_when_the_browser_accepts_it(client):
    make_article(status="published")
    for path in ("/en/", "/ja/articles/", "/zh-hans/timeline/"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "Cookie" not in response.headers.get("Vary", "")
        assert b"<html" in gzip.decompress(response.content)
    plain = client.get("/en/")
    assert "Content-Encoding" not in plain.headers
    assert b"<html" in plain.content


def test_admin_pages_are_never_compressed(client):
    login = client.get("/admin/login/", headers={"Accept-Encoding": "gzip"})
    assert login.status_code == 200
    assert b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login.headers
    editor = admin_client(client)
    for path in ("/admin/", "/admin/archive/article/", "/admin/no/such/page/"):
        response = editor.get(path, headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in response.headers, path


def test_a_public_page_seen_signed_in_is_not_compressed(client):
    # The session makes the page the editor's own (Vary: Cookie): it may carry
    # what only they should see, so it goes out uncompressed.
    make_article(status="published")
    editor = admin_client(client)
    editor.get("/admin/")
    from django.http import HttpResponse
    from django.test import RequestFactory

    from archive.middleware import carries_a_secret

    request = RequestFactory().get("/en/")
    response = HttpResponse("x" * 500, content_type="text/html")
    response["Vary"] = "Accept-Language, Cookie"
    assert carries_a_secret(request, response)
    response["Vary"] = "Accept-Language"
    assert not carries_a_secret(request, response)


def test_a_public_page_with_a_csrf_token_is_not_compressed(client, settings):
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware, get_token
    from django.test import RequestFactory

    from archive.middleware import PublicGZipMiddleware

    def view(request):
        return HttpResponse(
            f"<p>{get_token(request)}</p>" + "x" * 500, content_type="text/html"
        )

    chain = PublicGZipMiddleware(CsrfViewMiddleware(view))
    request = RequestFactory().get("/en/", headers={"Accept-Encoding": "gzip"})
    response = chain(request)
    assert "Cookie" in response.headers["Vary"]
    assert "Content-Encoding" not in response.headers
    # The same page without the token is compressed.
    chain = PublicGZipMiddleware(
        CsrfViewMiddleware(lambda r: HttpResponse("x" * 500, content_type="text/html"))
    )
    response = chain(RequestFactory().get("/en/", headers={"Accept-Encoding": "gzip"}))
    assert response.headers["Content-Encoding"] == "gzip"


# One line per bad Host header or suspicious path, never a traceback.


def test_a_five_kilobyte_host_header_is_one_short_line(client):
    host = "evil-" + "x" * 5000 + ".example"
    with logged("django.security.DisallowedHost") as log:
        response = client.get("/en/", headers={"Host": host})
    assert response.status_code == 400
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "ERROR django.security.DisallowedHost: Invalid HTTP_HOST"
    )
    assert len(lines[0]) < 700
    assert "more characters]" in lines[0]
    assert "Traceback" not in log.getvalue()


def test_a_path_traversal_attempt_is_one_line(client):
    with logged("django.security.SuspiciousFileOperation") as log:
        response = client.get("/media/%2e%2e/%2e%2e/etc/passwd")
    assert response.status_code == 400
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "SuspiciousFileOperation" in lines[0]
    assert "[GET /media/../../etc/passwd from 127.0.0.1]" in lines[0]


def test_control_characters_cannot_forge_log_lines():
    from archive.log_format import one_line

    assert one_line("a\nERROR forged\r\x1b[31m", 100) == "a\\nERROR forged\\r\\x1b[31m"
    assert one_line("x" * 50, 10) == "x" * 10 + "… [40 more characters]"


def test_client_ip_counts_proxies_from_the_right(settings, rf):
    from archive.client_ip import client_ip

    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.ARCHIVE_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.ARCHIVE_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"
    settings.ARCHIVE_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.ARCHIVE_PROXY_COUNT = 3  # fewer entries than proxies: not trusted
    assert client_ip(request) == "10.0.0.2"
    settings.ARCHIVE_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(forged) == "10.0.0.2"
