"""Benchmarks that print figures (not tests): fixture load and page render times.

Run with `make bench` (uses a throwaway SQLite database in a temporary folder, or
DATABASE_URL if set). Prints, per page type and language, the median and p95
wall time over N renders through Django's test client, and the query count.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp())

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import Article, Event, Image, Person

RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    load = timed(lambda: call_command("loaddata", "archive", verbosity=0))
    reload = timed(lambda: call_command("loaddata", "archive", verbosity=0))
    print(f"loaddata archive: first {load:.0f} ms, again (no changes) {reload:.0f} ms")

    client = Client()
    print(f"\n{'page':<44} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
    for language in ("en", "ja", "zh-hans"):
        with translation.override(language):
            paths = [f"/{language}/", f"/{language}/articles/"]
            paths += [a.get_absolute_url() for a in Article.objects.published()]
            paths += [f"/{language}/people/", Person.objects.first().get_absolute_url()]
            paths += [
                f"/{language}/timeline/",
                Event.objects.first().get_absolute_url(),
            ]
            paths += [f"/{language}/images/", Image.objects.first().get_absolute_url()]
        for path in paths:
            client.get(path)  # warm caches and templates
            times = sorted(timed(lambda p=path: client.get(p)) for _ in range(RUNS))
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            label = path if len(path) <= 42 else path[:39] + "…"
            print(
                f"{label:<44} {statistics.median(times):>9.1f} {p95:>8.1f} "
                f"{len(queries):>8}{'' if status == 200 else f'  (HTTP {status})'}"
            )


if __name__ == "__main__":
    main()
