"""Throughput: requests a second through gunicorn, with and without the page cache.

``make bench`` runs it after ``bench/run.py`` (or ``.venv/bin/python
bench/throughput.py [options]``). On the seed database (``bench/data.py``; SQLite,
or PostgreSQL when ``DATABASE_URL`` names it) it starts ``gunicorn`` with 2 workers
and the production settings on loopback, twice: with the page cache off
(``DJANGO_PAGE_CACHE=0``, *uncached*: every page rendered; the content caches
beneath it stay on) and on (*cached*), each time with Redis as the cache (a
``redis-server`` the bench starts, or the local-memory cache without one). Each
URL is warmed up, then loaded by ``wrk`` (10 s, 8 connections, 2 threads): its
requests a second and p99 latency. Static CSS is served by WhiteNoise from
``collectstatic``'s output; the floor is ``HttpResponse("ok")`` (bench/urls.py).

Targets (issue 11): an uncached article page at least 25 % of the floor's
throughput; every cached page at least 50 % of the static file's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import bench_database

RESULTS_DIR = ROOT / "bench" / "results"
TARGET_ARTICLE_OF_FLOOR = 0.25
TARGET_CACHED_OF_STATIC = 0.50
PAGES = ("home", "article", "timeline")


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds a URL (10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn -w (2)")
    parser.add_argument("--port", type=int, default=8180, help="gunicorn's (8180)")
    parser.add_argument(
        "--redis-port", type=int, default=8181, help="the bench's redis-server (8181)"
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="local-memory cache, no redis-server"
    )
    parser.add_argument("--json", help="where to write the JSON (bench/results/…)")
    parser.add_argument("--show", metavar="JSON", help="print a saved run's table")
    return parser.parse_args(argv)


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_for(check, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up within {timeout:.0f} s")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


# -- wrk ------------------------------------------------------------------------
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, args: argparse.Namespace) -> dict:
    """Requests a second, p99 (ms) and errors of ``url`` under wrk."""
    result = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(result.stdout)


def parse_wrk(out: str) -> dict:
    """wrk --latency's report → requests a second, p99 (ms), errors."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": round(rps, 1),
        "p99_ms": round(p99, 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


# -- the servers ---------------------------------------------------------------------
class Servers:
    """gunicorn (and the bench's redis-server) for one mode."""

    def __init__(self, args, database_url: str, static_root: str, cached: bool):
        self.args = args
        self.base = f"http://127.0.0.1:{args.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.server_settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "k" * 40,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_CONN_MAX_AGE": "600",
            "STATIC_ROOT": static_root,
            "DJANGO_PAGE_CACHE": "1" if cached else "0",
            "REDIS_URL": "",
        }
        self.redis: subprocess.Popen | None = None
        self.gunicorn: subprocess.Popen | None = None
        self.folder = tempfile.mkdtemp(prefix="archive-bench-redis-")

    def start(self) -> None:
        if not self.args.no_redis and shutil.which("redis-server"):
            port = self.args.redis_port
            if not free(port):
                raise SystemExit(f"port {port} (--redis-port) is taken")
            self.redis = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", self.folder],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
            time.sleep(0.3)
        if not free(self.args.port):
            raise SystemExit(f"port {self.args.port} (--port) is taken")
        self.gunicorn = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
             "-b", f"127.0.0.1:{self.args.port}", "-w", str(self.args.workers),
             "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )  # fmt: skip
        wait_for(lambda: fetch(f"{self.base}/healthz")[0] == 200, "gunicorn")

    def stop(self) -> None:
        for process in (self.gunicorn, self.redis):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def cache(self) -> str:
        return "redis" if self.env["REDIS_URL"] else "local memory"


def urls(base: str) -> dict[str, str]:
    """The measured URLs: the pages, the floor, and the stylesheet home links."""
    status, home = fetch(f"{base}/en/")
    if status != 200:
        raise SystemExit(f"the home page answered {status}")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+\.css)"', home)
    article = re.search(r'href="(/en/articles/[^"/?]+/)"', home)
    return {
        "home": f"{base}/en/",
        "article": f"{base}{article.group(1)}",
        "timeline": f"{base}/en/timeline/",
        "static CSS": f"{base}{stylesheet.group(1)}",
        "floor": f"{base}/bench-floor/",
    }


def measure_mode(args, database_url: str, static_root: str, cached: bool) -> dict:
    servers = Servers(args, database_url, static_root, cached)
    servers.start()
    try:
        found = urls(servers.base)
        rows = {}
        for name, url in found.items():
            for _ in range(5):  # templates compiled, caches filled, in each worker
                fetch(url)
            log(f"  {'cached' if cached else 'uncached'}: {name}")
            rows[name] = {"url": url.removeprefix(servers.base), **wrk(url, args)}
        return {"cache": servers.cache, "rows": rows}
    finally:
        servers.stop()


# -- the table -----------------------------------------------------------------------
def share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def table(run: dict) -> str:
    uncached, cached = run["uncached"]["rows"], run["cached"]["rows"]
    floor = uncached["floor"]["rps"]
    static = cached["static CSS"]["rps"]
    lines = [
        "| URL | uncached req/s | p99 ms | % of static | % of floor "
        "| cached req/s | p99 ms | % of static | % of floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    uncached_static, cached_floor = (
        uncached["static CSS"]["rps"],
        cached["floor"]["rps"],
    )
    for name in (*PAGES, "static CSS", "floor"):
        u, c = uncached[name], cached[name]
        lines.append(
            f"| {name} | {u['rps']:.0f} | {u['p99_ms']:.1f} | "
            f"{share(u['rps'], uncached_static)} | {share(u['rps'], floor)} | "
            f"{c['rps']:.0f} | {c['p99_ms']:.1f} | {share(c['rps'], static)} | "
            f"{share(c['rps'], cached_floor)} |"
        )
    errors = [
        f"{mode} {name}: {row['non_2xx']} non-2xx, {row['socket_errors']}"
        for mode in ("uncached", "cached")
        for name, row in run[mode]["rows"].items()
        if row["non_2xx"] or "timeout" in row["socket_errors"]
    ]
    lines.append("")
    lines.extend(targets(run))
    if errors:
        lines.append("Errors: " + "; ".join(errors))
    return "\n".join(lines)


def targets(run: dict) -> list[str]:
    uncached, cached = run["uncached"]["rows"], run["cached"]["rows"]
    article = uncached["article"]["rps"] / uncached["floor"]["rps"]
    lines = [
        f"- uncached article page: {article:.1%} of the floor's throughput "
        f"(target ≥ {TARGET_ARTICLE_OF_FLOOR:.0%}): "
        f"{'met' if article >= TARGET_ARTICLE_OF_FLOOR else 'MISSED'}"
    ]
    static = cached["static CSS"]["rps"]
    for name in PAGES:
        ratio = cached[name]["rps"] / static
        lines.append(
            f"- cached {name}: {ratio:.1%} of the static file's "
            f"(target ≥ {TARGET_CACHED_OF_STATIC:.0%}): "
            f"{'met' if ratio >= TARGET_CACHED_OF_STATIC else 'MISSED'}"
        )
    return lines


def header(meta: dict) -> str:
    return (
        f"Throughput, {meta['date']}, commit {meta['commit']}: gunicorn "
        f"{meta['workers']} workers, wrk {meta['duration']} s × {meta['connections']} "
        f"connections, {meta['database']} (seed), cache: {meta['cache']}; "
        f"{meta['cores']} cores, load {meta['load']} at the start."
    )


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if args.show:
        run = json.loads(Path(args.show).read_text(encoding="utf-8"))
        print(header(run["meta"]) + "\n\n" + table(run))
        return 0
    if not shutil.which("wrk"):
        log("wrk not found (apt-get install wrk): throughput not measured.")
        return 0
    database = bench_database("seed", os.environ.get("DATABASE_URL", ""))
    if not database.ready():
        log("seed: building the data")
        database.build(log)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "cores": os.cpu_count(),
        "load": " ".join(f"{n:.2f}" for n in os.getloadavg()),
        "machine": platform.platform(),
        "database": database.vendor,
        "workers": args.workers,
        "duration": args.duration,
        "connections": args.connections,
    }
    with tempfile.TemporaryDirectory(prefix="archive-bench-static-") as static_root:
        log("collectstatic (the production storage, served by WhiteNoise)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={
                **os.environ,
                "STATIC_ROOT": static_root,
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": "bench-only-" + "k" * 40,
            },
            check=True,
        )
        run = {"meta": meta}
        for mode, cached in (("uncached", False), ("cached", True)):
            run[mode] = measure_mode(args, database.url, static_root, cached)
    meta["cache"] = run["cached"]["cache"]
    name = f"{datetime.now(UTC):%Y-%m-%d-%H%M}-throughput-{database.vendor}"
    path = Path(args.json) if args.json else RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", "utf-8")
    text = header(meta) + "\n\n" + table(run)
    path.with_suffix(".md").write_text(text + "\n", "utf-8")
    print(text)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
