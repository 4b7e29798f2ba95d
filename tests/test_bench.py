"""make bench: the measuring code end to end on the seed, and how it reports.

No timing is asserted: only that every page was requested, answered 200, and was
written down in the shape bench/README.md describes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from bench import report
from bench.data import bench_database, data_key, parse_sizes, size_label
from bench.measure import failed, measure, measure_site, percentile

PUBLIC = (
    "home",
    "article list",
    "article list, last page",
    "article detail",
    "people list",
    "person, most articles",
    "timeline",
    "timeline, last page",
    "event detail",
    "images",
    "images, last page",
    "image detail",
    "search page, CJK",
    "search page, Latin",
    "search page, short",
)
ADMIN = (
    *(f"admin {m} list" for m in ("article", "person", "event", "image")),
    "admin article list, CJK search",
)


def page(name: str, median: float, queries: int = 3, size: int = 5000, status=200):
    return {
        "name": name,
        "path": "/x/",
        "status": status,
        "queries": queries,
        "bytes": size,
        "samples": 30,
        "median_ms": median,
        "p95_ms": median * 1.2,
        "ratio_to_floor": median / 0.5,
    }


def run(pages_by_size: dict[str, list[dict]]) -> dict:
    floor = page("floor", 0.5, queries=0, size=2)
    return {
        size: {"floor": floor, "pages": pages, "rows": {}, "database": {}}
        for size, pages in pages_by_size.items()
    }


def test_the_seed_run_measures_every_page_type_and_writes_the_json(tmp_path: Path):
    out = tmp_path / "bench.json"
    env = {
        **os.environ,
        # The engine only: the bench builds its own database under --data-dir.
        "DATABASE_URL": f"sqlite:///{tmp_path}/ignored.sqlite3",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--sizes=seed",
            "--repeat=2",
            "--budget=1",
            f"--json={out}",
            f"--data-dir={tmp_path / 'data'}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "ignored.sqlite3").exists()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["meta"]["cores"] == os.cpu_count()
    assert data["meta"]["django"].startswith("6.")
    assert data["meta"]["python"] and data["meta"]["repeat"] == 2
    seed = data["sizes"]["seed"]
    assert seed["database"]["vendor"] == "sqlite" and seed["database"]["version"]
    assert seed["rows"]["articles"] > 0
    assert seed["built_seconds"] > 0  # a fresh data folder: built this run
    assert seed["floor"]["status"] == 200 and seed["floor"]["queries"] == 0
    names = [row["name"] for row in seed["pages"]]
    assert names == [f"{name} (en)" for name in PUBLIC] + list(ADMIN)
    for row in seed["pages"]:
        assert row["status"] == 200, row
        assert row["samples"] == 2
        # The home page's content is cached per content version (warmed up
        # before the counted request): it makes no query; every other page does.
        assert (row["queries"] == 0) == (row["name"] == "home (en)"), row
        assert row["bytes"] > 1000
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"] / 2
        assert row["ratio_to_floor"] > 0
    paths = {row["name"]: row["path"] for row in seed["pages"]}
    # One page of articles at seed size: its last page is page 1.
    assert paths["article list, last page (en)"] == "/en/articles/?page=1"
    assert [entry["name"] for entry in data["comparison"]] == names
    assert all(entry["flags"] == [] for entry in data["comparison"])
    assert "| home (en) | " in result.stdout
    # The search itself, uncached, per kind of query; the queries all find.
    assert [row["name"] for row in seed["search"]] == [
        "search, CJK",
        "search, Latin",
        "search, short",
    ]
    for row in seed["search"]:
        assert row["samples"] >= 3 and row["hits_max"] > 0
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"]
        assert f"| {row['name']} | " in result.stdout
    assert f"{os.cpu_count()} cores" in result.stdout
    shown = subprocess.run(
        [sys.executable, "bench/run.py", f"--show={out}"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == result.stdout.split("\nJSON: ")[0].strip()
    # The data was cached for the next run, under its key.
    assert [p.name for p in (tmp_path / "data").iterdir()] == [
        f"seed-{data_key()}.sqlite3"
    ]


def test_flags_name_each_missed_target():
    sizes = run(
        {
            "seed": [
                page("fine", 10),
                page("slower", 10),
                page("more queries", 10, queries=3),
                page("heavy", 10, size=200 * 1024),
                page("gone", 10),
            ],
            "10000": [
                page("fine", 14.9),
                page("slower", 16),
                page("more queries", 10, queries=4),
                page("heavy", 10, size=200 * 1024),
                page("gone", 10, status=404),
            ],
        }
    )
    flags = {entry["name"]: entry["flags"] for entry in report.compare(sizes)}
    assert flags == {
        "fine": [],
        "slower": ["1.6× slower"],
        "more queries": ["queries differ"],
        "heavy": ["> 100 KB"],
        "gone": ["HTTP 404"],
    }
    table = report.table(sizes, report.compare(sizes))
    assert "| page | queries seed / 10k |" in table
    assert "| slower | 3 / 3 | 10.0 / 16.0 | 12.0 / 19.2 | — / — | 20 / 32 |" in table
    assert "**1.6× slower**" in table


def test_a_page_missing_at_one_size_is_reported_not_dropped():
    sizes = run(
        {"seed": [page("home", 5)], "10000": [page("home", 5), page("late", 9)]}
    )
    comparison = report.compare(sizes)
    assert comparison[1] == {
        "name": "late",
        "growth": None,
        "flags": ["missing at a size"],
    }
    assert "| late | — / 3 |" in report.table(sizes, comparison)


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 31)]
    assert percentile(samples, 0.95) == 29.0
    assert percentile([4.0, 1.0], 0.95) == 4.0


def test_sizes_are_checked():
    assert parse_sizes("seed, 10000,seed") == ["seed", "10000"]
    assert size_label("10000") == "10k" and size_label("2500") == "2500"
    for bad in ("", "ten", "0", "-5"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_postgresql_sizes_get_their_own_databases_never_the_developers():
    base = "postgres://postgres@127.0.0.1:5432/archive_f"
    urls = {bench_database(size, base).url for size in ("seed", "10000")}
    assert urls == {
        "postgres://postgres@127.0.0.1:5432/archive_f_bench_seed",
        "postgres://postgres@127.0.0.1:5432/archive_f_bench_10k",
    }
    sqlite = bench_database("seed", "sqlite:////srv/archive/db.sqlite3").url
    assert sqlite.endswith(f"/bench/.data/seed-{data_key()}.sqlite3")


def test_the_floor_is_only_in_the_bench_urlconf():
    with pytest.raises(Resolver404):
        resolve("/bench-floor/")
    assert resolve("/bench-floor/", urlconf="bench.urls").func.__name__ == "floor"


@pytest.mark.django_db
def test_a_page_that_is_gone_is_measured_as_its_status():
    client = Client(raise_request_exception=False)
    result = measure(client, "/en/articles/no-such-article/", repeat=2, budget=1)
    assert result["status"] == 404 and result["samples"] == 2
    assert result["bytes"] > 0 and result["median_ms"] > 0


def test_a_page_that_cannot_be_requested_is_flagged_with_its_error():
    row = {**failed("/x/", LookupError("no such URL")), "name": "gone"}
    row["ratio_to_floor"] = 0
    sizes = run({"seed": [page("gone", 5)], "10000": [row]})
    assert report.compare(sizes)[0]["flags"] == ["error: LookupError: no such URL"]


@pytest.mark.django_db
def test_skipped_pages_are_listed_not_measured():
    result = measure_site(
        repeat=1, budget=1, languages=["ja"], skip=("admin", "timeline")
    )
    names = [row["name"] for row in result["pages"]]
    assert result["skipped"] == [
        "timeline (ja)",
        "timeline, last page (ja)",
        "admin article list",
        "admin person list",
        "admin event list",
        "admin image list",
        "admin article list, CJK search",
    ]
    assert names and not set(names) & set(result["skipped"])
    assert all(row["status"] == 200 for row in result["pages"])
    sizes = {"seed": result}
    assert (
        "(not measured: timeline (ja), timeline, last page (ja), admin article list,"
        in report.header(
            {
                "date": "d",
                "cores": 2,
                "load": "0",
                "python": "3",
                "django": "6",
                "repeat": 1,
                "budget": 1,
                "languages": ["ja"],
            },
            sizes,
        )
    )
