"""Counts the public pages show, cached until the archive's content changes.

Counting or grouping every row (all images, every event's year) costs time that
grows with the archive, so such figures are computed once and cached under a
*content version*: a number in the cache that every save, delete or change of
links of an archive model moves on (``bump_content_version``, connected in
``ArchiveConfig.ready``), which orphans every figure cached under the old one.
The version moves on twice for a write in a transaction: at once, and again when
the transaction commits, so that a page another request rendered from the old rows
in between (and cached under the new version) is orphaned too.
Writes that send no signal (``QuerySet.update``, ``bulk_create``) call
``bump_content_version()`` themselves; ``COUNT_TIMEOUT`` bounds how stale a figure
can be if one does not (and, with the per-process local-memory cache, how long other
worker processes may show the figures from before an edit; Redis shares one version).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "archive:content-version"
COUNT_TIMEOUT = 5 * 60


def _fresh_version() -> int:
    """A version no earlier one can equal: should the version itself be evicted
    (a full local-memory cache culls entries), figures cached under an older one
    must not come back to life. Microseconds leave room for a million bumps a
    second before the next fresh start."""
    return time.time_ns() // 1000


def content_version() -> int:
    """The current content version (a fresh one when none is cached yet)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
        if version is None:  # evicted at once, or a cache that keeps nothing
            version = _fresh_version()
    return version


def versioned_get_many(keys: list[str]) -> tuple[int, dict[str, object]]:
    """The current content version and the values of ``keys`` stored under it
    (``versioned_set``), in one round trip to the cache: an entry stored under an
    older version is left out, as if it were not there."""
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.pop(VERSION_KEY, None)
    if version is None:
        version = content_version()
    return version, {
        key: entry[1]
        for key, entry in found.items()
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version
    }


# Seconds a rendered part (an article's head and content, the home page's
# content) is kept unrequested; a new content version replaces it before.
RENDERED_TIMEOUT = 24 * 60 * 60


def versioned_set(
    key: str, value: object, version: int, timeout: int = RENDERED_TIMEOUT
) -> None:
    """Store ``value`` under ``key`` for ``version``: the version read *before*
    computing it, so a write in between orphans it."""
    cache.set(key, (version, value), timeout)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not cached yet (or the cache is down): start a new version
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def bump_content_version(*args, **kwargs) -> None:
    """Orphan every cached count and page (a signal receiver, so it takes any
    arguments): now, and once more when the current transaction commits."""
    _bump()
    if connection.in_atomic_block and not any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_bump, robust=True)


def cached_count[T](name: str, compute: Callable[[], T], *parts: object) -> T:
    """``compute()``, cached per content version under ``name`` and ``parts``."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    key = f"archive:count:{content_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=COUNT_TIMEOUT)
    return value
