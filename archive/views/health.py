"""``/healthz``: can this app server answer? Asks the database and the cache.

200 ``{"status": "ok", "database": "ok", "cache": "ok"}`` when both answer; 503
with the part that failed set to ``"error"`` otherwise (the reason goes to the
log, never to the client). For load balancers and monitors: outside the language
prefixes, never cached, exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``).

A monitor asks every few seconds: a part going down, and coming back, is logged
once each (per process), not on every probe.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive.cache import CacheUnavailable, check_cache

logger = logging.getLogger("archive.health")


class PartDown(Exception):
    """A part did not answer; the message says why."""


# The last state seen of each part, so that only changes are logged.
_last_state: dict[str, str] = {}


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        raise PartDown(str(error).splitlines()[0]) from error


def _cache() -> None:
    try:
        check_cache(caches["default"])
    except CacheUnavailable as error:
        raise PartDown(str(error)) from error


def _state(part: str, check) -> str:
    try:
        check()
    except PartDown as error:
        state, reason = "error", str(error)
    else:
        state, reason = "ok", ""
    if _last_state.get(part, "ok") != state:
        if state == "error":
            logger.error("Health check: %s unavailable (%s).", part, reason)
        else:
            logger.warning("Health check: %s available again.", part)
    _last_state[part] = state
    return state


@never_cache
@require_safe
def healthz(request):
    parts = {
        "database": _state("database", _database),
        "cache": _state("cache", _cache),
    }
    healthy = all(state == "ok" for state in parts.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **parts},
        status=200 if healthy else 503,
    )
    # Logged above when the state changed; not again by django.request per probe.
    response._has_been_logged = True
    return response
