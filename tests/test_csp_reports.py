"""CSP violation reports: received from both browser formats, limited, one line each."""

from __future__ import annotations

import json

import pytest

from tests.test_edges import logged

URL = "/csp-report/"

# As Firefox sends it (report-uri).
CSP_REPORT = {
    "csp-report": {
        "blocked-uri": "inline",
        "column-number": 1,
        "disposition": "enforce",
        "document-uri": "http://127.0.0.1:8000/en/",
        "effective-directive": "script-src-elem",
        "line-number": 12,
        "original-policy": "default-src 'self'; script-src 'self' 'nonce-abc'",
        "referrer": "",
        "source-file": "http://127.0.0.1:8000/en/",
        "status-code": 200,
        "violated-directive": "script-src-elem",
    }
}
# As Chromium sends it (report-to, Reporting-Endpoints).
REPORTS_JSON = [
    {
        "age": 53531,
        "body": {
            "blockedURL": "https://evil.example/x.js",
            "columnNumber": 39,
            "disposition": "enforce",
            "documentURL": "http://127.0.0.1:8000/ja/articles/",
            "effectiveDirective": "script-src-elem",
            "lineNumber": 121,
            "originalPolicy": "default-src 'self'",
            "referrer": "",
            "sample": "",
            "sourceFile": "http://127.0.0.1:8000/ja/articles/",
            "statusCode": 200,
        },
        "type": "csp-violation",
        "url": "http://127.0.0.1:8000/ja/articles/",
        "user_agent": "Mozilla/5.0",
    },
    {"type": "deprecation", "body": {"id": "x"}, "url": "http://127.0.0.1:8000/"},
]


def post(client, body, content_type, **extra):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **extra)


def test_a_firefox_report_is_logged_as_one_line(client):
    with logged("archive.csp") as log:
        response = post(client, CSP_REPORT, "application/csp-report")
    assert response.status_code == 204
    assert log.getvalue().splitlines() == [
        "WARNING archive.csp: CSP violation: directive=script-src-elem blocked=inline "
        "document=http://127.0.0.1:8000/en/ source=http://127.0.0.1:8000/en/ "
        "line=12 disposition=enforce client=127.0.0.1"
    ]


def test_a_chromium_report_batch_logs_each_csp_violation(client):
    with logged("archive.csp") as log:
        response = post(client, REPORTS_JSON * 2, "application/reports+json")
    assert response.status_code == 204
    lines = log.getvalue().splitlines()
    assert len(lines) == 2  # the deprecation reports are not ours to log
    assert lines[0] == (
        "WARNING archive.csp: CSP violation: directive=script-src-elem "
        "blocked=https://evil.example/x.js document=http://127.0.0.1:8000/ja/articles/ "
        "source=http://127.0.0.1:8000/ja/articles/ line=121 disposition=enforce "
        "client=127.0.0.1"
    )


def test_a_report_cannot_forge_log_lines_or_flood_them(client):
    hostile = {"csp-report": dict(CSP_REPORT["csp-report"])}
    hostile["csp-report"]["blocked-uri"] = "x\nERROR forged line " + "y" * 5000
    with logged("archive.csp") as log:
        assert post(client, hostile, "application/csp-report").status_code == 204
    (line,) = log.getvalue().splitlines()
    assert "x\\nERROR forged" in line
    assert len(line) < 800
    many = [REPORTS_JSON[0]] * 25
    with logged("archive.csp") as log:
        assert post(client, many, "application/reports+json").status_code == 204
    assert len(log.getvalue().splitlines()) == 20


def test_only_post(client):
    assert client.get(URL).status_code == 405
    assert client.put(URL, data=b"{}").status_code == 405


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        ({"nothing": "here"}, "application/csp-report", 400),
        ({"csp-report": "text"}, "application/csp-report", 400),
        ({"csp-report": {}}, "application/reports+json", 400),
        ([{"type": "deprecation", "body": {}}], "application/reports+json", 400),
        (b"\xff\xfe", "application/reports+json", 400),
        (CSP_REPORT, "text/plain", 415),
        (CSP_REPORT, "application/x-www-form-urlencoded", 415),
    ],
)
def test_what_is_not_a_report_is_refused_without_a_log_line(
    client, body, content_type, status
):
    with logged("archive.csp") as log:
        assert post(client, body, content_type).status_code == status
    assert log.getvalue() == ""


def test_a_body_over_the_limit_is_refused_unread(client, settings):
    settings.ARCHIVE_CSP_REPORT_MAX_BYTES = 1000
    big = {"csp-report": {"blocked-uri": "x" * 2000, "effective-directive": "img-src"}}
    with logged("archive.csp") as log:
        assert post(client, big, "application/csp-report").status_code == 413
    assert log.getvalue() == ""
    assert post(client, CSP_REPORT, "application/csp-report").status_code == 204


def test_each_client_address_is_rate_limited(client, settings):
    settings.ARCHIVE_CSP_REPORT_RATE = 3
    codes = [
        post(client, CSP_REPORT, "application/csp-report").status_code for _ in range(5)
    ]
    assert codes == [204, 204, 204, 429, 429]
    # Another address has its own count.
    other = post(client, CSP_REPORT, "application/csp-report", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 204


def test_no_csrf_token_session_or_cookie_needed(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = post(strict, CSP_REPORT, "application/csp-report")
    assert response.status_code == 204
    assert not response.cookies
