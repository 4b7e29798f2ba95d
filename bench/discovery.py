"""Time, queries and size of the sitemap, its sections and the feeds, caches cold.

Run against a database filled by ``generate_archive`` (or the seed fixture):

    DATABASE_URL=sqlite:////tmp/archive10k.sqlite3 .venv/bin/python bench/discovery.py

Every sample clears the cache first, so each figure is a cold request (what the
first crawler or feed reader after an edit costs): the sitemap index, the first
and the last page of every section, and the Atom and RSS feeds in each language.
Printed per URL: the median and p95 of N samples (``--repeat``), queries, bytes.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from archive.models import Article
    from archive.sitemaps import SITEMAPS

    client = Client()
    paths = ["/sitemap.xml"]
    for section, sitemap in SITEMAPS.items():
        pages = sitemap().paginator.num_pages
        paths.append(f"/sitemap-{section}.xml")
        if pages > 1:
            paths.append(f"/sitemap-{section}.xml?p={pages}")
    for code, _name in settings.LANGUAGES:
        paths += [f"/{code}/feeds/articles.atom", f"/{code}/feeds/articles.rss"]

    print(f"{Article.objects.count()} articles, {connection.vendor}, cold cache")
    print(f"{'path':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>10}")
    for path in paths:
        samples, queries, size = [], 0, 0
        for _ in range(args.repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries, size = len(captured), len(response.content)
        ordered = sorted(samples)
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        print(
            f"{path:40} {statistics.median(samples):10.1f} {p95:8.1f} "
            f"{queries:8d} {size:10d}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
