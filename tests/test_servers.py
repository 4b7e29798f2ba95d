"""Two app servers sharing one PostgreSQL and one Redis, as in production.

Everything is real and started here on loopback (ports in ``tests.servers.PORTS``):
a PostgreSQL cluster of its own (``initdb`` in a temporary folder), a
``redis-server``, and two ``gunicorn config.wsgi:application`` processes with the
production settings. An editor logs in on one (the login form, with its CSRF
token), edits and publishes an article there, and a visitor of the other sees
it at once in every language; then the pair keeps serving through a restart of
Redis and of PostgreSQL, with errors only while the database is down and no app
server restarted.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.admin_forms import browser_post_data
from tests.servers import (
    PORTS,
    Gunicorn,
    PostgresServer,
    RedisServer,
    finish,
    manage,
)

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        not (RedisServer.available() and PostgresServer.available()),
        reason="needs redis-server and PostgreSQL's initdb",
    ),
    pytest.mark.skipif(shutil.which("runuser") is None and os.geteuid() == 0,
                       reason="needs runuser to run PostgreSQL as root"),
]  # fmt: skip

ARTICLE = "jiqizhixin-alec-radford-no-phd-gpt-era"
LANGUAGES = ("en", "ja", "zh-hans")
PASSWORD = "a-long-test-password-7"


@dataclass
class Answer:
    status: int
    text: str
    headers: dict[str, str]


class Browser:
    """urllib with a cookie jar: what a browser sends, without JavaScript."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def open(self, url: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        try:
            with self.opener.open(url, body, timeout=20) as response:
                return Answer(
                    response.status, response.read().decode(), dict(response.headers)
                )
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), dict(error.headers))

    def form(self, url: str, form_id: str | None, **changes) -> Answer:
        """Open ``url``, fill its form as shown with ``changes``, submit it."""
        page = self.open(url)
        assert page.status == 200, page.text[:500]
        data = browser_post_data(page.text, form_id)
        for name, value in changes.items():
            data[name] = value if isinstance(value, list) else [value]
        return self.open(url, data)


@dataclass
class Cluster:
    postgres: PostgresServer
    redis: RedisServer
    a: Gunicorn
    b: Gunicorn
    article_pk: int
    urls: dict[str, str]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("servers")
    postgres = PostgresServer(PORTS["postgres"])
    redis = RedisServer(PORTS["redis"], folder)
    postgres.init()
    postgres.start()
    redis.start()
    apps: list[Gunicorn] = []
    try:
        postgres.createdb("archive")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "DJANGO_SECRET_KEY": "one-secret-shared-by-every-app-server-" + "x" * 20,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            # Persistent connections: a restart of PostgreSQL must be survived
            # by the health checks, not by opening one connection per request.
            "DJANGO_CONN_MAX_AGE": "600",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
        env.pop("DJANGO_DEV_SECRET", None)
        static = manage(env, "collectstatic", "--noinput", "-v0")
        finish(manage(env, "migrate", "--noinput"))
        loading = manage(env, "loaddata", "archive")
        finish(
            manage(
                env, "createsuperuser", "--noinput", "--username", "boss",
                "--email", "boss@example.org",
            )
        )  # fmt: skip
        finish(loading)
        finish(static)
        for name in ("app-a", "app-b"):
            app = Gunicorn(PORTS[name], env, folder / f"{name}.log")
            app.start(wait=False)
            apps.append(app)
        for app in apps:
            app.wait()
        a, b = apps
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={postgres.port} user=postgres dbname=archive"
        ) as db:
            article_pk, *slugs = db.execute(
                "SELECT id, slug_en, slug_ja, slug_zh_hans FROM archive_article"
                " WHERE key = %s",
                [ARTICLE],
            ).fetchone()
        urls = {
            language: f"/{language}/articles/{urllib.parse.quote(slug)}/"
            for language, slug in zip(LANGUAGES, slugs, strict=True)
        }
        yield Cluster(postgres, redis, a, b, article_pk, urls)
    finally:
        for app in apps:
            app.stop()
        redis.stop()
        postgres.stop()
        postgres.remove()


def log_in(base: str) -> Browser:
    editor = Browser()
    answer = editor.form(
        f"{base}/admin/login/?next=/admin/", "login-form",
        username="boss", password=PASSWORD,
    )  # fmt: skip
    assert answer.status == 200 and 'id="login-form"' not in answer.text
    assert "sessionid" in {cookie.name for cookie in editor.jar}
    return editor


def the_article(cluster: Cluster, base: str, language: str) -> Answer:
    return Browser().open(base + cluster.urls[language])


def test_an_edit_and_a_publish_on_one_server_show_on_the_other_at_once(cluster):
    a, b = cluster.a, cluster.b
    for language in LANGUAGES:  # cached on b: the second visit is the cache's
        assert the_article(cluster, b.base, language).status == 200
        cached = the_article(cluster, b.base, language)
        assert cached.headers["X-Archive-Cache"] == "hit"

    editor = log_in(a.base)
    change = f"{a.base}/admin/archive/article/{cluster.article_pk}/change/"
    summaries = {
        "en": "Edited on server A.",
        "ja": "サーバーAで編集。",
        "zh-hans": "在服务器A上编辑。",
    }
    saved = editor.form(
        change, "article_form",
        summary_en=summaries["en"], summary_ja=summaries["ja"],
        summary_zh_hans=summaries["zh-hans"], status="draft", _save="Save",
    )  # fmt: skip
    assert saved.status == 200 and "errornote" not in saved.text, saved.text[:3000]
    for language in LANGUAGES:  # a draft now: gone from b at once
        assert the_article(cluster, b.base, language).status == 404

    changelist = f"{a.base}/admin/archive/article/"
    published = editor.form(
        changelist, "changelist-form",
        action="publish", _selected_action=str(cluster.article_pk), index="0",
    )  # fmt: skip
    assert published.status == 200
    for language in LANGUAGES:
        page = the_article(cluster, b.base, language)
        assert page.status == 200
        assert summaries[language] in page.text
        assert page.headers["X-Archive-Cache"] == "miss"
        # The visitor of a sees the same.
        assert summaries[language] in the_article(cluster, a.base, language).text


def health(base: str) -> tuple[int, dict]:
    answer = Browser().open(f"{base}/healthz")
    return answer.status, json.loads(answer.text)


def wait_until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_the_pair_keeps_serving_through_a_redis_restart(cluster):
    cluster.redis.stop()
    for app in (cluster.a, cluster.b):
        for language in LANGUAGES:
            page = the_article(cluster, app.base, language)
            assert page.status == 200  # rendered from the database
        assert health(app.base) == (
            503,
            {"status": "error", "database": "ok", "cache": "error"},
        )
    cluster.redis.start()
    for app in (cluster.a, cluster.b):
        assert wait_until(lambda app=app: health(app.base)[0] == 200)
        assert the_article(cluster, app.base, "en").status == 200
        assert wait_until(
            lambda app=app: (
                the_article(cluster, app.base, "ja").headers.get("X-Archive-Cache")
                == "hit"
            )
        )
    # Edits made on a still reach b through the restarted Redis.
    editor = log_in(cluster.a.base)
    change = f"{cluster.a.base}/admin/archive/article/{cluster.article_pk}/change/"
    saved = editor.form(change, "article_form", summary_en="After Redis.", _save="1")
    assert saved.status == 200
    assert "After Redis." in the_article(cluster, cluster.b.base, "en").text


def test_the_pair_recovers_from_a_postgresql_restart_without_restarting(cluster):
    cluster.postgres.stop()
    for app in (cluster.a, cluster.b):
        status, parts = health(app.base)
        assert status == 503 and parts["database"] == "error"
        assert parts["cache"] == "ok"
        # A page not in the cache needs the database: an error page, no traceback.
        missing = Browser().open(f"{app.base}/en/people/?page=2")
        assert missing.status == 500 and "Traceback" not in missing.text
    cluster.postgres.start()
    for app in (cluster.a, cluster.b):
        assert wait_until(lambda app=app: health(app.base)[0] == 200)
        for language in LANGUAGES:
            assert the_article(cluster, app.base, language).status == 200
        assert Browser().open(f"{app.base}/en/people/?page=2").status == 200
    # Writes work again too, and show on the other server.
    editor = log_in(cluster.b.base)
    change = f"{cluster.b.base}/admin/archive/article/{cluster.article_pk}/change/"
    saved = editor.form(change, "article_form", summary_ja="再起動の後。", _save="1")
    assert saved.status == 200
    assert "再起動の後。" in the_article(cluster, cluster.a.base, "ja").text
