"""gunicorn's settings for the archive (`make run`; `gunicorn config.wsgi`).

gunicorn reads this file from the working directory by itself. Every value comes
from the environment; options given on the command line win over this file.

GUNICORN_BIND       address(es) to listen on, comma-separated (127.0.0.1:8000)
GUNICORN_WORKERS    worker processes (2 × cores + 1, at most 12; 1 without REDIS_URL)
GUNICORN_THREADS    threads per worker (1: plain sync workers; 2 × cores + 1 without
                    REDIS_URL)
GUNICORN_TIMEOUT    seconds a request may take before its worker is restarted (30)
GUNICORN_MAX_REQUESTS  requests before a worker is replaced, +0–50 % (0 = never, the
                    default: see below)
GUNICORN_PRELOAD    1: load the app once in the master and fork workers from it (a
                    worker replaced after its requests starts in milliseconds, not
                    the ~0.7 s of importing Django and the app; code changes then
                    need a restart, not HUP); 0: each worker loads it (1)
GUNICORN_GRACEFUL_TIMEOUT  seconds workers get to finish on a restart (30)
GUNICORN_LOG_LEVEL  gunicorn's own log level (info)
GUNICORN_CONTROL_SOCKET  path of the control socket for gunicornc (none: off)
"""

import os
import sys
from pathlib import Path

# The project, importable wherever gunicorn was started from.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config.startup import settings_or_exit

# A missing secret or a bad variable stops the server here, in the master, with
# one line: not once per worker, and not a traceback.
settings_or_exit()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
# gunicorn's rule of thumb, capped: past a dozen processes a server this size only
# adds memory and database connections. Without a shared cache (no REDIS_URL: the
# embedded default, `make run`) the caches are local memory, one per process, and so
# is the content version that invalidates them: several processes would each keep
# serving what another's edit changed. So one process with as many threads, which
# share one cache (and one SQLite writer queue).
_concurrency = min(2 * _cores() + 1, 12)
_shared_cache = bool(os.environ.get("REDIS_URL", "").strip())
workers = _env_int("GUNICORN_WORKERS", _concurrency if _shared_cache else 1)
threads = _env_int("GUNICORN_THREADS", 1 if _shared_cache else _concurrency)
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Workers are not recycled unless asked: the app holds no growing state (its caches
# are bounded), and gunicorn 27 takes up to a second to fork the replacement. With
# 1,000 requests and ±10 %, both workers of a loaded server left within the same
# second, so no worker was serving: the floor lost 35 % of its throughput and
# every page's p99 rose to ~300 ms. If memory ever grows, set it (10,000 or more);
# the wide jitter keeps workers from being replaced together.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 2
# Under load a worker is replaced every few seconds (1,000 requests): loading the
# app in each new worker took ~0.7 s of a core, half the floor's throughput, and
# put its wait into the p99 of every page. Forked from a loaded master, a worker
# starts at once. Django opens no database or cache connection at import, so the
# workers share none.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip() not in ("0", "false", "")
# Logs to stdout/stderr for the process manager (systemd, a container runtime).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Remote address, time, request line, status, bytes, referrer, agent, microseconds.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
# Heartbeat files in memory, not on a (possibly slow) disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
proc_name = "radford-archive"
# gunicorn's control socket (gunicornc) defaults to one path per user, which two
# instances on one machine would fight over: off unless given a path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket


def on_starting(server):
    """Before the master opens its sockets (the app is loaded already when
    preloaded): warm the app once (URLconf, catalogues, templates; no
    connection) so that every forked worker starts warm and no request waits
    for it. Then move the content version on: pages and fragments the previous
    code rendered are kept in the shared cache (Redis) under the current
    version, and a new release may render them differently (a template, a
    translation, the Markdown rules)."""
    if server.cfg.preload_app:
        from config.warmup import warm

        warm()
    from archive.counting import bump_content_version

    bump_content_version()
