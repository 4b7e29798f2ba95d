"""The product's settings, plus only what measuring in-process needs.

The bench URLconf adds the floor view (``HttpResponse("ok")``) beside the product's
URLs; the product's own URLconf never has it. The cache is the in-process one, so a
run never clears or fills a shared Redis.
"""

import os
import secrets
import tempfile

# The bench's databases are its own and thrown away: a key for this run when the
# operator gave none (production settings refuse to start without one).
if not os.environ.get("DJANGO_SECRET_KEY_FILE"):
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, STORAGES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The manifest storage needs `collectstatic`; the bench serves from the finders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="archive-bench-static-")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "chrome": CACHES["chrome"],  # noqa: F405
}
# bench/run.py measures what rendering a page costs (queries, time): not the
# whole-page cache, which would answer every request after the warm-up.
# bench/throughput.py measures pages with it and without it.
ARCHIVE_PAGE_CACHE = False
