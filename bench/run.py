"""The project's benchmark: every page type at seed size and at 10,000 articles.

``make bench`` (or ``.venv/bin/python bench/run.py [options]``). For each size it
builds (or reuses) that size's own database (``bench/data.py``), then measures the
floor and every page type in a fresh process (``bench/measure.py``), and prints a
Markdown table comparing the sizes; the same figures, with the machine and the
versions, go to ``bench/results/<date>-<database>.json`` (or ``--json PATH``).
``DATABASE_URL`` chooses the database engine (SQLite when unset); the bench never
touches the database it names. See bench/README.md for how to read the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report
from bench.data import DATA_DIR, bench_database, drop_all, parse_sizes

RESULTS_DIR = ROOT / "bench" / "results"


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Median and p95 server time, queries and HTML bytes of every "
        "page type, at each size, compared."
    )
    parser.add_argument(
        "--sizes", default="seed,10000", help="'seed' and article counts (seed,10000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed requests a page (30)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=30.0,
        help="seconds of timed requests a page before stopping early, "
        "after at least 3 (30)",
    )
    parser.add_argument(
        "--languages", default="en", help="public pages in these languages (en)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="leave out pages whose name contains any of these (comma-separated)",
    )
    parser.add_argument("--json", help="where to write the JSON (bench/results/…)")
    parser.add_argument(
        "--data-dir", default=str(DATA_DIR), help="SQLite databases (bench/.data)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the data even if current"
    )
    parser.add_argument(
        "--show", metavar="JSON", help="print the table of a saved run, and stop"
    )
    parser.add_argument(
        "--drop",
        action="store_true",
        help="remove the bench's databases of --sizes, and stop",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = parse_sizes(args.sizes)
    except ValueError as error:
        parser.error(str(error))
    if args.repeat < 1 or args.budget <= 0:
        parser.error("--repeat and --budget must be positive")
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    unknown = set(languages) - {"en", "ja", "zh-hans"}
    if unknown or not languages:
        parser.error(f"--languages takes en, ja, zh-hans, not {sorted(unknown)}")
    args.languages = languages
    return args


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def meta(args: argparse.Namespace) -> dict:
    import django

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "cores": os.cpu_count(),
        "load": " ".join(f"{n:.2f}" for n in os.getloadavg()),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "repeat": args.repeat,
        "budget": args.budget,
        "languages": args.languages,
        "sizes": args.sizes,
        "skip": args.skip,
    }


def measure_size(database, args: argparse.Namespace) -> dict:
    """Build (or reuse) one size's database, and measure it in a fresh process."""
    built = None
    if args.rebuild or not database.ready():
        log(f"{database.size}: building the data ({database.url.rsplit('/', 1)[-1]})")
        built = round(database.build(log), 1)
        log(f"{database.size}: built in {built} s")
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as folder:
        out = Path(folder) / "result.json"
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.measure",
                f"--out={out}",
                f"--repeat={args.repeat}",
                f"--budget={args.budget}",
                f"--languages={','.join(args.languages)}",
                f"--label={database.size}",
                f"--skip={args.skip}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        result = json.loads(out.read_text(encoding="utf-8"))
    result["built_seconds"] = built
    result["measured_seconds"] = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    base_url = os.environ.get("DATABASE_URL", "")
    if args.show:
        run = json.loads(Path(args.show).read_text(encoding="utf-8"))
        print_run(run)
        return 0
    if args.drop:
        for name in drop_all(base_url, args.sizes, Path(args.data_dir)):
            log(f"removed {name}")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    run = {"meta": meta(args), "sizes": {}}
    for size in args.sizes:
        database = bench_database(size, base_url, Path(args.data_dir))
        run["sizes"][size] = measure_size(database, args)
    run["comparison"] = report.compare(run["sizes"])
    vendor = next(iter(run["sizes"].values()))["database"]["vendor"]
    path = (
        Path(args.json)
        if args.json
        else (RESULTS_DIR / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-{vendor}.json")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print_run(run)
    print(f"\nJSON: {path}")
    return 0


def print_run(run: dict) -> None:
    print(report.header(run["meta"], run["sizes"]))
    print()
    print(report.table(run["sizes"], report.compare(run["sizes"])))
    searches = report.search_table(run["sizes"])
    if searches:
        print()
        print(searches)


if __name__ == "__main__":
    sys.exit(main())
