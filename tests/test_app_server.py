"""`make run`'s app server: gunicorn with gunicorn.conf.py, production settings.

Starts `make serve` (the command `make run` ends with) on a port of this lane's
range, against a database and static root of its own, and fetches pages through it.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.paths import ROOT

PORT = int(os.environ.get("ARCHIVE_TEST_GUNICORN_PORT", "8161"))
pytestmark = pytest.mark.skipif(
    shutil.which("make") is None, reason="make not installed"
)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listening on {port} after {seconds} s")


def fetch(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"Accept-Encoding": "gzip", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> dict:
    folder: Path = tmp_path_factory.mktemp("gunicorn")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=os.environ["DJANGO_SECRET_KEY"],
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        GUNICORN_WORKERS="2",
    )
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    log = (folder / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={PORT}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(PORT, process)
        # Both workers booted: their start-up lines are in the log before any
        # test reads what its own request added to it.
        deadline = time.monotonic() + 30
        while (folder / "gunicorn.log").read_text().count("Booting worker") < 2:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        yield {"process": process, "log": folder / "gunicorn.log"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_make_serve_runs_gunicorn_with_the_production_settings(server):
    status, headers, body = fetch("/en/")
    assert status == 200
    assert headers["Server"] == "gunicorn"
    # Production settings: a strict CSP, no debug pages.
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert fetch("/en/no-such-page/")[0] == 404
    # Static files come from collectstatic's compressed, hashed copies (whitenoise).
    css = next(
        line.split('href="')[1].split('"')[0]
        for line in gzip.decompress(body).decode().splitlines()
        if 'rel="stylesheet"' in line
    )
    status, headers, _css = fetch(css)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert headers["Cross-Origin-Resource-Policy"] == "same-site"
    assert "camera=()" in headers["Permissions-Policy"]


def test_through_gunicorn_pages_are_gzipped_and_the_admin_is_not(server):
    status, headers, body = fetch("/en/")
    assert headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(body)
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    status, headers, body = fetch("/admin/login/")
    assert status == 200
    assert "Content-Encoding" not in headers
    assert b"csrfmiddlewaretoken" in body


def test_a_five_kilobyte_host_header_is_one_line_in_the_server_log(server):
    before = server["log"].read_text().splitlines()
    status, _headers, _body = fetch("/en/", Host="h" * 5000 + ".example")
    assert status == 400
    time.sleep(0.5)
    new = server["log"].read_text().splitlines()[len(before) :]
    security = [line for line in new if "DisallowedHost" in line]
    assert len(security) == 1, new
    assert len(security[0]) < 700
    # The rest are gunicorn's access lines (this request's, and maybe an earlier
    # test's written late), and nothing else: no traceback.
    access = re.compile(r'^\S+ \[[^]]+\] "[^"]*" \d{3} ')
    assert [
        line for line in new if line not in security and not access.match(line)
    ] == []
    assert any('" 400 ' in line for line in new if access.match(line))


def test_gunicorn_logs_each_request_to_stdout_with_its_workers(server):
    fetch("/en/articles/")
    time.sleep(0.5)
    log = server["log"].read_text()
    assert log.count("Booting worker with pid") == 2
    assert '"GET /en/articles/ HTTP/1.1" 200' in log


def test_production_without_a_secret_stops_with_one_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for command in (
        [sys.executable, "manage.py", "check"],
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{PORT + 1}"],
    ):
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "Configuration error: No secret key: set DJANGO_SECRET_KEY, or "
            "DJANGO_SECRET_KEY_FILE to a file holding it (the same on every app "
            "server; `make run` makes one for you)."
        ]
