"""The bench's databases: one per size, built once and kept until their inputs change.

A size is ``seed`` (migrate + ``loaddata archive``) or a number of articles N (the
same, then ``generate_archive --articles N``). Each size has its own database, never
the developer's: on SQLite a file under ``bench/.data/`` (git-ignored), on
PostgreSQL a database named after ``DATABASE_URL``'s, ``<name>_bench_<size>``. A
database is reused while its key (a hash of the migrations, the generator and the
fixture) is unchanged, and rebuilt otherwise; on PostgreSQL the key is the
database's comment.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
# What the data is made from: a change to any of these rebuilds every size.
INPUTS = (
    "archive/migrations/*.py",
    "archive/synthetic.py",
    "archive/management/commands/generate_archive.py",
    "fixtures/archive.json",
)
GENERATOR_SEED = "1"


def data_key() -> str:
    """A short hash of everything the bench data is built from."""
    digest = hashlib.sha256()
    for pattern in INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parse_sizes(text: str) -> list[str]:
    """``"seed,10000"`` → ``["seed", "10000"]``; a ValueError names a bad entry."""
    sizes = []
    for item in (part.strip().lower() for part in text.split(",")):
        if item == "seed" or (item.isdigit() and int(item) > 0):
            sizes.append("seed" if item == "seed" else str(int(item)))
        else:
            raise ValueError(
                f"--sizes takes 'seed' and whole numbers of articles, not {item!r}"
            )
    if not sizes:
        raise ValueError("--sizes is empty")
    return list(dict.fromkeys(sizes))


def size_label(size: str) -> str:
    """``10000`` → ``10k`` (for headings and database names)."""
    if size.isdigit() and int(size) % 1000 == 0:
        return f"{int(size) // 1000}k"
    return size


@dataclass
class BenchDatabase:
    """Where one size's data lives, and how to make it."""

    size: str
    url: str  # the DATABASE_URL the measuring process uses
    vendor: str  # "sqlite" or "postgresql"
    key: str

    def ready(self) -> bool:
        if self.vendor == "sqlite":
            return Path(urlsplit(self.url).path).exists()
        return _pg_comment(self.url) == self.key

    def build(self, log) -> float:
        """Build this size's data from nothing; the seconds it took."""
        started = time.monotonic()
        if self.vendor == "sqlite":
            final = Path(urlsplit(self.url).path)
            final.parent.mkdir(parents=True, exist_ok=True)
            for stale in final.parent.glob(f"{self.size}-*.sqlite3"):
                stale.unlink()  # another key's copy of this size
            partial = final.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            _run_build(f"sqlite:///{partial}", self.size, log)
            os.replace(partial, final)
        else:
            _pg_recreate(self.url)
            _run_build(self.url, self.size, log)
            _pg_set_comment(self.url, self.key)
        return time.monotonic() - started


def bench_database(
    size: str, base_url: str, data_dir: Path = DATA_DIR
) -> BenchDatabase:
    """The database of ``size`` for a run whose DATABASE_URL is ``base_url``."""
    key = data_key()
    scheme = urlsplit(base_url).scheme if base_url else "sqlite"
    if scheme.startswith("postgres"):
        parts = urlsplit(base_url)
        base_name = parts.path.lstrip("/") or "archive"
        name = f"{base_name}_bench_{size_label(size)}"
        url = urlunsplit(parts._replace(path=f"/{name}"))
        return BenchDatabase(size, url, "postgresql", key)
    if scheme != "sqlite":
        raise ValueError(f"the bench measures SQLite or PostgreSQL, not {scheme!r}")
    path = Path(data_dir).resolve() / f"{size}-{key}.sqlite3"
    return BenchDatabase(size, f"sqlite:///{path}", "sqlite", key)


def _run_build(url: str, size: str, log) -> None:
    """migrate, loaddata archive [, generate_archive] in a fresh process."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    steps = [["migrate", "--noinput", "-v0"], ["loaddata", "archive", "-v0"]]
    if size != "seed":
        steps.append(["generate_archive", "--articles", size, "--seed", GENERATOR_SEED])
    for step in steps:
        log(f"  {size}: manage.py {' '.join(step)}")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *step],
            cwd=ROOT,
            env=env,
            check=True,
        )
    if url.startswith("postgres"):
        # What autovacuum would have done by the time a real archive is read.
        _pg_execute(url, "VACUUM ANALYZE")


# -- PostgreSQL: one database per size, keyed by its comment -----------------------
def _maintenance_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _pg_execute(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _pg_comment(url: str) -> str | None:
    maintenance, name = _maintenance_url(url)
    rows = _pg_execute(
        maintenance,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
        " WHERE datname = %s",
        (name,),
    )
    return rows[0][0] if rows else None


def _pg_recreate(url: str) -> None:
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    ident = sql.Identifier(name)
    _pg_execute(
        maintenance, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident)
    )
    _pg_execute(maintenance, sql.SQL("CREATE DATABASE {}").format(ident))


def _pg_set_comment(url: str, key: str) -> None:
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    _pg_execute(
        maintenance,
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(key)
        ),
    )


def drop_all(base_url: str, sizes: list[str], data_dir: Path = DATA_DIR) -> list[str]:
    """Remove the bench's databases of ``sizes``; what was removed."""
    removed = []
    for size in sizes:
        database = bench_database(size, base_url, data_dir)
        if database.vendor == "sqlite":
            for path in Path(data_dir).glob(f"{size}-*.sqlite3"):
                path.unlink()
                removed.append(str(path))
        else:
            from psycopg import sql

            maintenance, name = _maintenance_url(database.url)
            _pg_execute(
                maintenance,
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                ),
            )
            removed.append(name)
    return removed


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="archive-bench-")
