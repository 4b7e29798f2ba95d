"""Settings: environment-driven, secure by default, no secret in the repository."""

import io
import os
import secrets
import subprocess
import sys

import pytest

from tests.paths import ROOT

KEY = secrets.token_urlsafe(50)
SHOW_KEYS = (
    "from django.conf import settings as s;"
    "print(s.SECRET_KEY); print(*s.SECRET_KEY_FALLBACKS, sep='|')"
)


def run_manage(*args, **env):
    # Only what the test gives: CI runs this suite with DATABASE_URL and REDIS_URL set.
    # A secret key unless the test gives one, or a key file, or DJANGO_SECRET_KEY="".
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "AWS_")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    if "DJANGO_SECRET_KEY_FILE" not in env:
        full_env["DJANGO_SECRET_KEY"] = KEY
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
        DJANGO_SECRET_KEY=KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "archive.cache.ResilientRedisCache",
    ]
    default = run_manage("shell", "--no-imports", "-c", code, DJANGO_SECRET_KEY=KEY)
    assert default.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_the_secret_key_comes_from_the_variable_or_a_file(tmp_path):
    shown = run_manage("shell", "--no-imports", "-c", SHOW_KEYS, DJANGO_SECRET_KEY=KEY)
    assert shown.stdout.splitlines() == [KEY, ""]
    key_file = tmp_path / "secret"
    key_file.write_text(KEY + "\n")  # files usually end with a newline
    shown = run_manage(
        "shell", "--no-imports", "-c", SHOW_KEYS, DJANGO_SECRET_KEY_FILE=str(key_file)
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [KEY, ""]


def test_old_keys_are_accepted_as_fallbacks_while_rotating(tmp_path):
    old, older = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    shown = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_KEYS,
        DJANGO_SECRET_KEY=KEY,
        DJANGO_SECRET_KEY_FALLBACKS=f"{old}, {older}",
    )
    assert shown.stdout.splitlines() == [KEY, f"{old}|{older}"]
    fallbacks = tmp_path / "fallbacks"
    fallbacks.write_text(f"{old}\n\n{older}\n")
    shown = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_KEYS,
        DJANGO_SECRET_KEY=KEY,
        DJANGO_SECRET_KEY_FALLBACKS_FILE=str(fallbacks),
    )
    assert shown.stdout.splitlines() == [KEY, f"{old}|{older}"]


@pytest.mark.django_db
def test_a_session_signed_with_the_old_key_survives_rotation(client, settings):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("rotating", password="pw-12345")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    # Without the old key as a fallback the session's hash no longer verifies.
    assert client.get("/admin/").status_code == 302
    client.force_login(user)
    settings.SECRET_KEY, old_key = secrets.token_urlsafe(50), settings.SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get("/admin/").status_code == 200


def test_commands_that_only_touch_code_need_no_key():
    # makemigrations (and the catalogue commands) never sign or serve: a
    # developer's checkout runs them without a key; everything else refuses.
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    refused = run_manage("migrate", "--plan", DJANGO_SECRET_KEY="")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Configuration error: No secret key")


def test_production_refuses_to_start_without_a_secret_in_one_line(tmp_path):
    expected = (
        "Configuration error: No secret key: set DJANGO_SECRET_KEY, or "
        "DJANGO_SECRET_KEY_FILE to a file holding it (the same on every app "
        "server; `make run` makes one for you)."
    )
    for env in ({}, {"DJANGO_DEBUG": "0"}):
        result = run_manage("check", DJANGO_SECRET_KEY="", **env)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [expected]
    missing = run_manage("check", DJANGO_SECRET_KEY_FILE=str(tmp_path / "none"))
    assert missing.stderr.splitlines() == [
        f"Configuration error: DJANGO_SECRET_KEY_FILE: cannot read "
        f"{tmp_path / 'none'} (No such file or directory)."
    ]
    (tmp_path / "empty").write_text("\n")
    empty = run_manage("check", DJANGO_SECRET_KEY_FILE=str(tmp_path / "empty"))
    assert empty.stderr.splitlines() == [
        f"Configuration error: DJANGO_SECRET_KEY_FILE: {tmp_path / 'empty'} is empty."
    ]
    both = run_manage(
        "check", DJANGO_SECRET_KEY=KEY, DJANGO_SECRET_KEY_FILE=str(tmp_path / "x")
    )
    assert both.stderr.splitlines() == [
        "Configuration error: Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE, "
        "not both."
    ]
    # Any other bad variable is one line too.
    bad = run_manage("check", DJANGO_SECRET_KEY=KEY, DJANGO_IMAGE_MAX_BYTES="lots")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [
        "Configuration error: DJANGO_IMAGE_MAX_BYTES must be a positive whole "
        "number, not 'lots'."
    ]


def test_development_runs_without_a_secret_and_writes_no_key_file():
    before = (ROOT / ".secret_key").exists()
    result = run_manage("check", DJANGO_DEBUG="1", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert (ROOT / ".secret_key").exists() == before


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


def test_the_readme_lists_every_variable_the_settings_and_gunicorn_read():
    import re

    names = set()
    for source in ("config/settings.py", "gunicorn.conf.py"):
        text = (ROOT / source).read_text()
        names |= set(
            re.findall(r'"((?:DJANGO|GUNICORN|AWS|REDIS|MEDIA|STATIC)_\w+)"', text)
        )
        names |= {
            f"{name}_FILE" for name in re.findall(r'_read_secret\("(\w+)"\)', text)
        }
    names |= {"DATABASE_URL", "DJANGO_SECRET_KEY_FILE"}
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"README's variables table lacks {missing}"
    assert len(names) > 30


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
