"""Measure every page type of one database, in-process (the bench's measuring side).

Run by ``bench/run.py`` as ``python -m bench.measure --out FILE`` with
``DATABASE_URL`` naming one size's database and
``DJANGO_SETTINGS_MODULE=bench.settings``. Each page
goes through Django's test client and the full middleware stack: warm-up requests
first (one of them under ``CaptureQueriesContext``, for the query count, the status
and the HTML bytes), then up to ``repeat`` timed requests, fewer (never under
``MIN_SAMPLES``) once a page has used its time budget, so that a page taking 40 s
cannot hold a run for 20 minutes. Server time is the wall time of
``client.get``: the request built, every middleware, the view, the response read;
``cpu_median_ms`` is this process's CPU time for the same requests (steadier on a
busy machine; on PostgreSQL it leaves out the database server's own work).
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from dataclasses import dataclass

MIN_SAMPLES = 3
SLOW_WARMUP_MS = 1000  # a first request slower than this gets no second warm-up
ADMIN_USERNAME = "bench-superuser"


@dataclass
class Page:
    """One page the bench requests."""

    name: str
    path: str
    admin: bool = False


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(client, path: str, *, repeat: int, budget: float) -> dict:
    """Status, queries, bytes, and the median and p95 of ``client.get(path)`` in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    client.get(path)  # cold: templates compiled, caches filled
    if (time.perf_counter() - started) * 1000 < SLOW_WARMUP_MS:
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    result = {
        "path": path,
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(body),
    }
    samples: list[float] = []
    cpu: list[float] = []
    gc.collect()
    begun = time.perf_counter()
    while len(samples) < repeat:
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if time.perf_counter() - begun > budget and len(samples) >= min(
            MIN_SAMPLES, repeat
        ):
            break
    result.update(
        samples=len(samples),
        median_ms=round(statistics.median(samples), 3),
        p95_ms=round(percentile(samples, 0.95), 3),
        cpu_median_ms=round(statistics.median(cpu), 3),
    )
    return result


def failed(path: str, error: Exception) -> dict:
    """The row of a page that could not be requested at all."""
    return {
        "path": path,
        "status": f"error: {type(error).__name__}: {error}",
        "queries": 0,
        "bytes": 0,
        "samples": 0,
        "median_ms": 0.0,
        "p95_ms": 0.0,
        "cpu_median_ms": 0.0,
    }


def last_page(url_name: str, rows: int) -> str | None:
    """The last page of a paginated list (``?page=N``; ``?page=1`` when there is
    only one, so that every size has the row), or None if the list has no pages."""
    from django.urls import resolve, reverse

    path = reverse(url_name)
    per_page = getattr(resolve(path).func.view_class, "paginate_by", None)
    if not per_page:
        return None
    return f"{path}?page={max(1, math.ceil(rows / per_page))}"


def public_pages(language: str) -> list[Page]:
    """Every public page type in ``language``; the same items at every size where
    the fixture has them, the person with the most articles wherever they are."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from archive import selectors
    from archive.models import Article, Event, Person

    def real(queryset):
        return queryset.exclude(key__startswith="gen-").order_by("key").first()

    with translation.override(language):
        pages = [
            Page("home", reverse("archive:home")),
            Page("article list", reverse("archive:article_list")),
        ]
        late = last_page("archive:article_list", selectors.public_articles().count())
        if late:
            pages.append(Page("article list, last page", late))
        article = real(Article.objects.published())
        if article:
            pages.append(Page("article detail", article.get_absolute_url()))
        pages.append(Page("people list", reverse("archive:person_list")))
        busiest = (
            Person.objects.annotate(article_count=Count("articles"))
            .order_by("-article_count", "key")
            .first()
        )
        if busiest:
            pages.append(Page("person, most articles", busiest.get_absolute_url()))
        pages.append(Page("timeline", reverse("archive:timeline")))
        late = last_page("archive:timeline", Event.objects.count())
        if late:
            pages.append(Page("timeline, last page", late))
        event = real(Event.objects.all())
        if event:
            pages.append(Page("event detail", event.get_absolute_url()))
        pages.append(Page("images", reverse("archive:image_list")))
        late = last_page("archive:image_list", selectors.public_images().count())
        if late:
            pages.append(Page("images, last page", late))
        image = real(selectors.public_images())
        if image:
            pages.append(Page("image detail", image.get_absolute_url()))
    return pages


def admin_pages() -> list[Page]:
    from urllib.parse import urlencode

    from django.urls import reverse

    article_list = reverse("admin:archive_article_changelist")
    return [
        *(
            Page(
                f"admin {model} list",
                reverse(f"admin:archive_{model}_changelist"),
                True,
            )
            for model in ("article", "person", "event", "image")
        ),
        Page(
            "admin article list, CJK search",
            f"{article_list}?{urlencode({'q': SEARCHES['CJK'][0]})}",
            True,
        ),
    ]


# What the search bench asks, by kind of query: the queries (in the seed
# archive, which every size holds) and words of the generated text.
SEARCHES = {
    "CJK": ["奥林工程学院", "ラドフォード", "変分オートエンコーダ", "アインシュタイン"],
    "Latin": ["radford", "Generative", "openai gpt", '"language models"', "café"],
    "short": ["天才", "学", "ai", "gp"],
}


def search_pages(language: str) -> list[Page]:
    """The search page for one query of each kind (cached results after the
    warm-up: what a visitor paging or refining a search gets)."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        path = reverse("archive:search")
    return [
        Page(f"search page, {kind}", f"{path}?{urlencode({'q': queries[0]})}")
        for kind, queries in SEARCHES.items()
    ]


def measure_search(*, repeat: int, budget: float, log=lambda line: None) -> list:
    """Median and p95 of the search itself (``archive.search.search_uncached``: the
    index query, the best row per item, the people of the hits; no cache), per kind
    of query, every query of the kind in turn."""
    from archive.search import parse_query, search_uncached

    results = []
    for kind, queries in SEARCHES.items():
        parsed = [parse_query(text) for text in queries]
        for query in parsed:
            search_uncached(query, language="en")  # warm-up
        samples: list[float] = []
        counts: list[int] = []
        begun = time.perf_counter()
        while len(samples) < repeat * len(parsed):
            for query in parsed:
                start = time.perf_counter()
                hits, _truncated, _people = search_uncached(query, language="en")
                samples.append((time.perf_counter() - start) * 1000)
                counts.append(len(hits))
            if time.perf_counter() - begun > budget and len(samples) >= MIN_SAMPLES:
                break
        row = {
            "name": f"search, {kind}",
            "queries": queries,
            "samples": len(samples),
            "hits_max": max(counts),
            "median_ms": round(statistics.median(samples), 3),
            "p95_ms": round(percentile(samples, 0.95), 3),
        }
        results.append(row)
        log(
            f"{row['name']}: {row['median_ms']:.1f} ms median, "
            f"{row['p95_ms']:.1f} ms p95, up to {row['hits_max']} hits"
        )
    return results


def superuser():
    """The bench's own superuser in this (bench-only) database."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def database_info() -> dict:
    from django.db import connection

    version = connection.get_database_version()
    return {
        "vendor": connection.vendor,
        "version": ".".join(str(part) for part in version),
        "name": str(connection.settings_dict["NAME"]).rsplit("/", 1)[-1],
    }


def row_counts() -> dict:
    from archive.models import Article, Event, Image, Person

    return {
        "articles": Article.objects.count(),
        "people": Person.objects.count(),
        "events": Event.objects.count(),
        "images": Image.objects.count(),
    }


def measure_site(
    *,
    repeat: int,
    budget: float,
    languages: list[str],
    skip: tuple[str, ...] = (),
    log=lambda line: None,
) -> dict:
    """The floor and every page type of the current database, measured."""
    from django.test import Client

    from bench.urls import FLOOR_PATH

    # A page that fails is reported with its status (500), not raised.
    visitor, editor = (Client(raise_request_exception=False) for _ in range(2))
    editor.force_login(superuser())
    floor = measure(visitor, FLOOR_PATH, repeat=repeat, budget=budget)
    log(f"floor: {floor['median_ms']:.2f} ms")
    pages = []
    for language in languages:
        for page in [*public_pages(language), *search_pages(language)]:
            pages.append((f"{page.name} ({language})", page))
    pages += [(page.name, page) for page in admin_pages()]
    skipped = [name for name, _page in pages if any(term in name for term in skip)]
    results = []
    for name, page in pages:
        if name in skipped:
            continue
        try:
            result = measure(
                editor if page.admin else visitor,
                page.path,
                repeat=repeat,
                budget=budget,
            )
        except Exception as error:  # noqa: BLE001 - one broken page must not end a run
            result = failed(page.path, error)
        result.update(
            name=name,
            ratio_to_floor=round(result["median_ms"] / floor["median_ms"], 1),
        )
        results.append(result)
        log(
            f"{name}: HTTP {result['status']}, {result['median_ms']:.1f} ms, "
            f"{result['queries']} queries, {result['bytes'] / 1024:.1f} KB, "
            f"n={result['samples']}"
        )
    search = (
        []
        if "search" in skip
        else measure_search(repeat=repeat, budget=budget, log=log)
    )
    return {
        "database": database_info(),
        "rows": row_counts(),
        "floor": floor,
        "pages": results,
        "search": search,
        "skipped": skipped,
    }


def main() -> None:
    import argparse
    import json
    import sys

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--budget", type=float, required=True)
    parser.add_argument("--languages", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--skip", default="")
    options = parser.parse_args()
    django.setup()
    result = measure_site(
        repeat=options.repeat,
        budget=options.budget,
        languages=options.languages.split(","),
        skip=tuple(term for term in options.skip.split(",") if term),
        log=lambda line: print(f"  {options.label}: {line}", file=sys.stderr),
    )
    with open(options.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main()
