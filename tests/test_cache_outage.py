"""With Redis down, pages are served uncached and the outage is logged once; when
it comes back, pages are cached again (a real redis-server, started and stopped
here). And /healthz says which part is down."""

from __future__ import annotations

import json
import logging
import signal
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

import archive.cache
from tests.factories import make_article, url_in
from tests.servers import PORTS, RedisServer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.servers,
    pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server"),
]


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(PORTS["redis-down"], tmp_path)
    server.start()
    try:
        with override_settings(
            CACHES={
                "default": {
                    "BACKEND": "archive.cache.ResilientRedisCache",
                    "LOCATION": server.url,
                    "KEY_PREFIX": "test",
                    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
                },
                "chrome": settings.CACHES["chrome"],
            }
        ):
            yield server
    finally:
        server.stop()


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "archive.cache"]


def test_pages_are_served_uncached_through_an_outage_logged_once(
    client, redis_server, caplog, monkeypatch
):
    monkeypatch.setattr(archive.cache, "RETRY_AFTER", 0.0)
    caplog.set_level(logging.WARNING, logger="archive.cache")
    article = make_article(title_en="Through the outage", body_en="b")
    url = url_in(article, "en")
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "hit"

    redis_server.stop()
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200
        assert "Through the outage" in response.content.decode()
        assert response["X-Archive-Cache"] == "miss"  # rendered, not stored
    assert client.get(reverse("archive:home")).status_code == 200
    lines = outage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("Cache unavailable (")
    assert "serving pages uncached" in lines[0]
    assert "Traceback" not in caplog.text

    redis_server.start()  # empty: nothing was persisted
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "hit"
    lines = outage_lines(caplog)
    assert len(lines) == 2 and lines[1].startswith("Cache available again")


def test_the_breaker_does_not_try_redis_on_every_request(
    client, redis_server, caplog, monkeypatch
):
    # Within RETRY_AFTER of a failure no call reaches Redis: started again at
    # once, it is not used until the breaker's time is up.
    monkeypatch.setattr(archive.cache, "RETRY_AFTER", 3600.0)
    caplog.set_level(logging.WARNING, logger="archive.cache")
    article = make_article()
    url = url_in(article, "en")
    redis_server.stop()
    client.get(url)
    redis_server.start()
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert len(outage_lines(caplog)) == 1
    # A health check asks Redis itself, and closes the breaker.
    assert client.get(reverse("healthz")).status_code == 200
    client.get(url)
    assert client.get(url)["X-Archive-Cache"] == "hit"


def test_recovery_moves_the_content_version_on(redis_server, monkeypatch):
    # A write during the outage could not move the version: the recovery does,
    # so a page cached before the outage is not served after it.
    from archive.counting import content_version

    monkeypatch.setattr(archive.cache, "RETRY_AFTER", 0.0)
    before = content_version()
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        assert cache.get("anything", "default") == "default"  # times out, trips
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
    assert cache.get("anything", "default") == "default"
    assert content_version() == before + 1


def test_healthz_names_the_cache_when_redis_is_down(client, redis_server):
    ok = client.get(reverse("healthz"))
    assert ok.status_code == 200
    assert json.loads(ok.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    redis_server.stop()
    down = client.get(reverse("healthz"))
    assert down.status_code == 503
    assert json.loads(down.content) == {
        "status": "error",
        "database": "ok",
        "cache": "error",
    }
    assert "no-store" in down["Cache-Control"]


def test_one_redis_client_serves_every_call(redis_server):
    from django.core.cache import cache

    cache.set("one-client", 1)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache.get("one-client") == 1
    # The same client goes on working across a restart of Redis.
    redis_server.stop()
    assert cache.get("one-client") is None
    redis_server.start()
    cache.check()
    cache.set("one-client", 2)
    assert cache.get("one-client") == 2 and cache._cache.get_client() is client
