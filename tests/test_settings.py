"""Settings: environment-driven, secure by default, no secret in the repository."""

import io
import os
import secrets
import subprocess
import sys

from tests.paths import ROOT


def run_manage(*args, **env):
    # Only what the test gives: CI runs this suite with DATABASE_URL and REDIS_URL set.
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "AWS_")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=full_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="archive.example.org",
        DJANGO_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_and_cache_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "archive.cache.ResilientRedisCache",
    ]
    default = run_manage("shell", "--no-imports", "-c", code)
    assert default.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_no_secret_key_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ".secret_key" not in tracked
    settings_text = (ROOT / "config" / "settings.py").read_text()
    assert 'SECRET_KEY = "' not in settings_text


def test_responses_carry_a_strict_csp(client):
    response = client.get("/admin/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy


def test_form_data_over_ten_megabytes_is_refused_but_files_are_not_counted(client):
    limit = 10 * 1024 * 1024
    login = "/admin/login/"
    assert client.post(login, {"note": "x" * (limit - 1024)}).status_code == 200
    assert client.post(login, {"note": "x" * (limit + 1)}).status_code == 400
    upload = io.BytesIO(b"x" * (limit + 1))
    upload.name = "large.bin"
    # Refused for its credentials (200, the form again), not for its size.
    assert client.post(login, {"file": upload}).status_code == 200


def test_whole_pages_are_cached_only_with_a_shared_cache():
    # (and database connections are checked before reuse, on every engine)
    code = (
        "from django.conf import settings as s;"
        "print(s.ARCHIVE_PAGE_CACHE, s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )

    def answer(**env) -> str:
        result = run_manage("shell", "--no-imports", "-c", code, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert answer() == "False True"
    assert answer(REDIS_URL="redis://127.0.0.1:6379/3") == "True True"
    assert answer(REDIS_URL="redis://127.0.0.1:6379/3", DJANGO_PAGE_CACHE="0") == (
        "False True"
    )
    assert answer(DJANGO_PAGE_CACHE="1") == "True True"
