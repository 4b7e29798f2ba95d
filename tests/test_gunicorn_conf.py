"""gunicorn.conf.py's choices, read as gunicorn reads the file, and its start-up hook.

The running server (`make serve`) is tested in tests/test_app_server.py and
tests/test_servers.py; these check what that file decides from the environment:
workers forked from a preloaded master, no recycling unless asked, and a start that
warms the app without a connection and moves the content version on.
"""

from __future__ import annotations

import runpy
from types import SimpleNamespace

from django.template import engines
from django.urls import get_resolver

from archive.counting import content_version
from config.warmup import warm
from tests.paths import ROOT

CONF = str(ROOT / "gunicorn.conf.py")


def read_conf(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_PRELOAD", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


def test_workers_fork_from_a_preloaded_master_and_are_not_recycled(monkeypatch):
    conf = read_conf(monkeypatch)
    assert conf["preload_app"] is True
    assert conf["max_requests"] == 0 and conf["max_requests_jitter"] == 0


def test_the_environment_turns_preloading_off_and_recycling_on(monkeypatch):
    conf = read_conf(monkeypatch, GUNICORN_PRELOAD="0", GUNICORN_MAX_REQUESTS="10000")
    assert conf["preload_app"] is False
    # A wide jitter: two workers of one server are never replaced together.
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (10000, 5000)


# Without the django_db mark, pytest-django makes any database access raise: these
# hooks run in gunicorn's master, whose connections the forked workers would share.
def test_warming_opens_no_connection_and_leaves_the_app_ready():
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    loader.reset()
    warm()
    resolver = get_resolver()
    assert resolver._populated
    assert "base.html" in loader.get_template_cache
    assert "archive/article_detail.html" in loader.get_template_cache


def test_a_start_moves_the_content_version_on(monkeypatch):
    conf = read_conf(monkeypatch)
    before = content_version()
    # What gunicorn's arbiter passes to the hook: only its configuration is read.
    arbiter = SimpleNamespace(cfg=SimpleNamespace(preload_app=True))
    conf["on_starting"](arbiter)
    assert content_version() > before
