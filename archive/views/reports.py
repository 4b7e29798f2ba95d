"""CSP violation reports: received, checked, logged as one line each.

Browsers post them to ``ARCHIVE_CSP_REPORT_URL``: Firefox as
``application/csp-report`` (``report-uri``), Chromium as ``application/reports+json``
(``report-to`` and the ``Reporting-Endpoints`` header). Anyone can post here, so the
view is strict: POST only, at most ``ARCHIVE_CSP_REPORT_MAX_BYTES``, at most
``ARCHIVE_CSP_REPORT_RATE`` requests a minute per client address (counted in the
shared cache), at most 20 reports a request, every value cut short and stripped of
control characters. It answers 204 and keeps nothing but the log line.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from archive.client_ip import client_ip
from archive.log_format import one_line

logger = logging.getLogger("archive.csp")

MAX_REPORTS = 20
# (field in a csp-report, field in a Reporting API body, name in the log line)
FIELDS = (
    ("effective-directive", "effectiveDirective", "directive"),
    ("blocked-uri", "blockedURL", "blocked"),
    ("document-uri", "documentURL", "document"),
    ("source-file", "sourceFile", "source"),
    ("line-number", "lineNumber", "line"),
    ("disposition", "disposition", "disposition"),
)


class BadReport(ValueError):
    """The body is not a CSP report."""


def violations(content_type: str, body: bytes) -> list[dict[str, Any]]:
    """The violations in a report body, each a dict of the log line's fields."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise BadReport("not JSON") from None
    if content_type == "application/reports+json":
        if not isinstance(data, list):
            raise BadReport("not a list of reports")
        found = [
            {name: report["body"].get(api) for _old, api, name in FIELDS}
            for report in data
            if isinstance(report, dict)
            and report.get("type") == "csp-violation"
            and isinstance(report.get("body"), dict)
        ]
    else:
        report = data.get("csp-report") if isinstance(data, dict) else None
        if not isinstance(report, dict):
            raise BadReport("no csp-report object")
        found = [{name: report.get(old) for old, _api, name in FIELDS}]
        if not found[0]["directive"]:
            found[0]["directive"] = report.get("violated-directive")
    if not found:
        raise BadReport("no csp-violation report")
    return found


def over_the_rate(address: str) -> bool:
    """Count this request against the address's minute; True past the limit."""
    key = f"csp-report:{address}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > settings.ARCHIVE_CSP_REPORT_RATE


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each violation in the posted report as one line; answer 204."""
    address = client_ip(request)
    if over_the_rate(address):
        return HttpResponse(status=429)
    limit = settings.ARCHIVE_CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    if request.content_type not in (
        "application/csp-report",
        "application/reports+json",
        "application/json",
    ):
        return HttpResponse(status=415)
    try:
        found = violations(request.content_type, body)
    except BadReport:
        return HttpResponse(status=400)
    for violation in found[:MAX_REPORTS]:
        fields = " ".join(
            f"{name}={one_line(str(value), 200)}"
            for name, value in violation.items()
            if value not in (None, "")
        )
        logger.warning("CSP violation: %s client=%s", fields, address)
    return HttpResponse(status=204)
