"""Real servers the tests start and stop on loopback: Redis, PostgreSQL, gunicorn.

Never the machine's shared ones: each runs from a temporary folder on a port of
this suite's own range (``PORTS``), and is stopped by the test that started it.
PostgreSQL's ``initdb`` refuses to run as root, so as root the cluster runs as
the ``postgres`` account (``runuser``).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

# Loopback ports the server tests use (bench/throughput.py uses 8180–8189).
PORTS = {
    "redis-down": 8171,
    "redis": 8172,
    "postgres": 8173,
    "app-a": 8174,
    "app-b": 8175,
}


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_for(check, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


class RedisServer:
    """``redis-server`` on ``port``, nothing persisted."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert port_is_free(self.port), f"port {self.port} is taken"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, f"redis-server on {self.port}")

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(found[0]).parent if found else None


class PostgresServer:
    """A PostgreSQL cluster of its own in ``folder``, on ``port``."""

    def __init__(self, port: int) -> None:
        self.port = port
        # Its own folder under /tmp: pytest's are private to root, and the
        # cluster may run as the postgres account.
        self.folder = Path(tempfile.mkdtemp(prefix="archive-test-pg-"))
        self.data = self.folder / "pgdata"
        self.bin = _postgres_bin()

    @classmethod
    def available(cls) -> bool:
        return _postgres_bin() is not None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/archive"

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(
                f"{command[-1]} failed: {result.stderr or result.stdout}"
            )
        return result

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def init(self) -> None:
        self.folder.chmod(0o755)
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        assert port_is_free(self.port), f"port {self.port} is taken"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
            str(self.data / "server.log"), "-o",
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop"
        )

    def createdb(self, name: str) -> None:
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", name,
        )  # fmt: skip


def manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    """``manage.py args`` started (``finish()`` waits for it and checks it)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=300)
    if process.returncode:
        raise RuntimeError(f"{process.args[2:]} failed: {output[-3000:]}")


class Gunicorn:
    """``gunicorn config.wsgi:application`` on ``port`` with ``env``."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> None:
        assert port_is_free(self.port), f"port {self.port} is taken"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "config.wsgi:application",
                    "-b", f"127.0.0.1:{self.port}",
                    "-w", "1",
                    "--timeout", "30",
                    "--graceful-timeout", "2",
                    "--log-level", "warning",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        if wait:
            self.wait()

    def wait(self) -> None:
        wait_for(self.answers, f"gunicorn on {self.port}", timeout=60)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None
