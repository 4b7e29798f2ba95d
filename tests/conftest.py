"""Shared set-up for the whole suite."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
from django.test import override_settings

# Fixtures of an S3-compatible server on loopback (s3_server, s3_media).
pytest_plugins = ["tests.s3_storage"]

TEST_SETTINGS = {
    # Production settings redirect to HTTPS; the test client and live server speak
    # plain HTTP. Session-wide, because the live server builds its middleware once.
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    # Uploaded test images never land in the project's media/.
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="archive-test-media-"),
    "STATIC_ROOT": tempfile.mkdtemp(prefix="archive-test-static-"),
    # The manifest storage needs `collectstatic`; tests serve from the finders.
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    },
    # The whole-page cache (on in production with REDIS_URL) in every test: the
    # suite is one process, so its local-memory cache is shared like Redis.
    "ARCHIVE_PAGE_CACHE": True,
    # Production-strength hashing costs a fraction of a second per user created.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Iterator[None]:
    with override_settings(**TEST_SETTINGS):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Rendered article bodies are cached; no test sees another's. The site's
    # chrome is cached per process: a test that changes settings sees its own.
    from django.core.cache import cache, caches

    cache.clear()
    caches["chrome"].clear()
    yield


@pytest.fixture
def render_every_time(settings) -> None:
    """Whole-page cache off: for tests that read a view's context or count what
    rendering queries, which a cached address would answer before any view ran
    (the cache itself: tests/test_page_cache.py)."""
    settings.ARCHIVE_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request through LocaleMiddleware leaves its language active: no test may
    # inherit another's.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
