"""Settings for the Radford Archive, driven by environment variables.

Embedded default: SQLite, local media files, local-memory cache, DEBUG off unless
DJANGO_DEBUG=1. Production: DATABASE_URL (PostgreSQL), REDIS_URL, S3-style media.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.jquery
import xstatic.pkg.jquery_ui
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.media_storage import LOCAL_BACKEND, media_origins, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """A positive whole number from the environment, or ``default``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(
            f"{name} must be a positive whole number, not {value!r}."
        )
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", False)


def _read_secret(name: str) -> str:
    """The secret in ``name``, or in the file ``name``_FILE names; never both."""
    value = os.environ.get(name, "")
    file_name = os.environ.get(f"{name}_FILE", "")
    if value and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if not file_name:
        return value
    try:
        value = Path(file_name).read_text(encoding="utf-8")
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE: cannot read {file_name} ({error.strerror})."
        ) from None
    if not value.strip():
        raise ImproperlyConfigured(f"{name}_FILE: {file_name} is empty.")
    return value


def _secret_key() -> str:
    """The one secret every app server shares (DJANGO_SECRET_KEY or its _FILE).

    Production refuses to start without it: a key made up per process or per machine
    would make every server sign sessions and CSRF tokens the others reject. With
    DJANGO_DEBUG=1 and no key, a throwaway one lasts until the process ends.
    """
    key = _read_secret("DJANGO_SECRET_KEY").strip()
    if key:
        return key
    if DEBUG:
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured(
        "No secret key: set DJANGO_SECRET_KEY, or DJANGO_SECRET_KEY_FILE to a file "
        "holding it (the same on every app server; `make run` makes one for you)."
    )


def _secret_key_fallbacks() -> list[str]:
    """Old keys still accepted while sessions and tokens signed with them expire.

    DJANGO_SECRET_KEY_FALLBACKS: comma-separated; DJANGO_SECRET_KEY_FALLBACKS_FILE:
    one key a line. Newest first; drop each once its sessions have expired.
    """
    text = _read_secret("DJANGO_SECRET_KEY_FALLBACKS")
    separator = "\n" if os.environ.get("DJANGO_SECRET_KEY_FALLBACKS_FILE") else ","
    return [key.strip() for key in text.split(separator) if key.strip()]


SECRET_KEY = _secret_key()
SECRET_KEY_FALLBACKS = _secret_key_fallbacks()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# How many proxies stand in front, each appending to X-Forwarded-For: the client's
# address is the one the outermost of them saw (archive/client_ip.py).
_PROXY_COUNT = os.environ.get("DJANGO_PROXY_COUNT", "").strip()
if _PROXY_COUNT and not _PROXY_COUNT.isdigit():
    raise ImproperlyConfigured(
        f"DJANGO_PROXY_COUNT must be a whole number, not {_PROXY_COUNT!r}."
    )
ARCHIVE_PROXY_COUNT = (
    int(_PROXY_COUNT) if _PROXY_COUNT else int(env_bool("DJANGO_BEHIND_PROXY"))
)

INSTALLED_APPS = [
    # archive first: its loaddata command overrides modeltranslation's (which it
    # extends). modeltranslation must come before django.contrib.admin.
    "archive",
    "modeltranslation",
    "django.contrib.admin",
    # Revisions of every archive item (archive/revisions.py registers them).
    "reversion",
    "django.contrib.auth",
    # Admin login throttling: failed attempts in the database, shared by every
    # app server; lockouts listed (and lifted) in the admin.
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # /sitemap.xml (archive/sitemaps.py): the framework's views and templates.
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy, CORP, Reporting-Endpoints: on static files too.
    "archive.middleware.EdgeHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files are compressed ahead of time), before the
    # session and CSRF middleware, whose Vary: Cookie marks what it must not touch.
    "archive.middleware.PublicGZipMiddleware",
    # Public pages from the shared cache (archive/page_cache.py): inside the CSP
    # middleware (a fresh nonce per response), before sessions are read.
    "archive.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        # A persistent connection the database dropped (a restart) is noticed and
        # replaced at the next request, with no app server restart.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Wait up to 20 s for another writer instead of failing at once.
            "timeout": 20,
            # Take the write lock when a transaction starts: two editors saving at
            # once then queue, where SQLite's default (deferred) fails the second
            # with "database is locked" when its read turns into a write.
            "transaction_mode": "IMMEDIATE",
            # Write-ahead log: visitors keep reading while an editor or loaddata writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache with a circuit breaker (archive/cache.py): while
            # Redis is down, pages are served uncached and the outage logged once.
            "BACKEND": "archive.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "archive"),
            "OPTIONS": {
                # Seconds: a Redis that hangs costs a request this much, once.
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
            },
        }
    }
else:
    # Room for the cached rows of many list pages (archive/fragments.py, the
    # admin's change lists: about 1 KB each), not Django's default 300 entries.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# The site's chrome (header, navigation, footer, head links: base.html's
# {% cache … using="chrome" %}) depends only on the code, the language and the
# section: each process keeps its own (no round trip to Redis for it), and a
# deploy, which restarts the processes, starts it afresh. With DJANGO_DEBUG
# (`make dev`) nothing is kept: runserver reloads templates and catalogues
# without restarting, and an edited template must show at once.
CACHES["chrome"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache"
    if DEBUG
    else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chrome",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}

AUTHENTICATION_BACKENDS = [
    # First: refuses every login from a locked-out client, right password or not.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failed
# logins from one client address, every login from it is refused for
# DJANGO_LOGIN_LOCKOUT_MINUTES (or until a superuser removes the lock).
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.admin.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "archive.client_ip.client_ip"
AXES_VERBOSE = False
# Log lines name the client address (to block or unlock it), never the username
# typed (often a password typed in the wrong box).
AXES_SENSITIVE_PARAMETERS = ["username"]
# Rendered public pages in the cache (archive/page_cache.py), and how long
# browsers (max-age) and shared caches such as a CDN (s-maxage) may keep them.
# On by default only with a shared cache: with the local-memory one each worker
# process has its own content version, so one would serve a page another's
# edit changed.
ARCHIVE_PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", bool(REDIS_URL))
ARCHIVE_PAGE_CACHE_TIMEOUT = env_int("DJANGO_PAGE_CACHE_TIMEOUT", 60 * 60)
ARCHIVE_PAGE_MAX_AGE = int(os.environ.get("DJANGO_PAGE_MAX_AGE", "60"))
ARCHIVE_PAGE_S_MAXAGE = int(os.environ.get("DJANGO_PAGE_S_MAXAGE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Languages: English is the default; every text field has en, ja and zh-hans columns.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
# Fallback is per item, to its original language: done by our own code, not globally.
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
MODELTRANSLATION_AUTO_POPULATE = False
# Admin tabs: jQuery UI from our own static files, never a CDN.
JQUERY_URL = "xstatic/jquery/jquery.min.js"
JQUERY_UI_URL = "xstatic/jquery-ui/jquery-ui.min.js"

TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [
    ("xstatic/jquery", xstatic.pkg.jquery.BASE_DIR),
    ("xstatic/jquery-ui", xstatic.pkg.jquery_ui.BASE_DIR),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Media: local files, or S3-compatible object storage when AWS_STORAGE_BUCKET_NAME
# is set (config/media_storage.py reads every AWS_* variable; README, "Deployment:
# media storage").
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Django serves local media itself unless they live in object storage (or
# DJANGO_SERVE_MEDIA=0 because a web server in front does it).
SERVE_MEDIA = env_bool(
    "DJANGO_SERVE_MEDIA", STORAGES["default"]["BACKEND"] == LOCAL_BACKEND
) and MEDIA_URL.startswith("/")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# A request's form data (files not counted) over 10 MB is refused with a 400: an
# article's form carries its raw source and bodies in every language. Uploads over
# 10 MB are streamed to a temporary file instead of held in memory (a threshold,
# not a limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Image uploads (archive/uploads.py): the largest file, and the most pixels
# (width × height; Pillow's own bomb guard, Image.MAX_IMAGE_PIXELS, is set to
# the same number when the app loads), refused before the image is decoded.
ARCHIVE_IMAGE_MAX_BYTES = env_int("DJANGO_IMAGE_MAX_BYTES", 25 * 1024 * 1024)
ARCHIVE_IMAGE_MAX_PIXELS = env_int("DJANGO_IMAGE_MAX_PIXELS", 40_000_000)

# The origins media URLs point at when media come from object storage or a CDN:
# allowed by the CSP's img-src and by the Markdown sanitiser (archive.markdown).
MEDIA_ORIGINS = media_origins(STORAGES["default"], MEDIA_URL)

# Where browsers post CSP violation reports (archive/views/reports.py): size and
# rate (requests a minute per client address) limits.
ARCHIVE_CSP_REPORT_URL = "/csp-report/"
ARCHIVE_CSP_REPORT_GROUP = "csp-endpoint"
ARCHIVE_CSP_REPORT_MAX_BYTES = 16 * 1024
ARCHIVE_CSP_REPORT_RATE = env_int("DJANGO_CSP_REPORT_RATE", 30)

# Strict Content-Security-Policy (Django's own): only our own origin, nothing inline
# but what carries the per-request nonce. Violations are reported: report-to
# (Chromium; the endpoint is named in Reporting-Endpoints by
# archive.middleware.EdgeHeadersMiddleware) and report-uri (Firefox).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "report-uri": [ARCHIVE_CSP_REPORT_URL],
    "report-to": [ARCHIVE_CSP_REPORT_GROUP],
}

# Browser features the site does not use, all off (Permissions-Policy); each
# feature maps to the origins allowed it ("self"), none here. Only names Chromium
# knows (document.featurePolicy.features()): an unknown one is a console warning.
ARCHIVE_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "clipboard-write",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "sync-xhr",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
# Cross-Origin-Resource-Policy: pages and the admin for this origin only; static
# files and media also for other hosts of the same site (a CDN host); set
# DJANGO_ASSETS_CORP=cross-origin when they are served from another site.
ARCHIVE_PAGES_CORP = "same-origin"
ARCHIVE_ASSETS_CORP = os.environ.get("DJANGO_ASSETS_CORP", "same-site")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    # Production defaults; DJANGO_SECURE_SSL_REDIRECT=0 for a plain-HTTP local run.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
    )

# What strangers can make the server log (a bad Host header, a path-traversal
# attempt, a CSP report) is one short line each, never a traceback
# (archive/log_format.py). Real errors keep their tracebacks.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "one_line": {
            "()": "archive.log_format.OneLineFormatter",
            "format": "%(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "one_line": {"class": "logging.StreamHandler", "formatter": "one_line"},
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
    "loggers": {
        # axes: one line per failed admin login and per lockout (WARNING); its INFO
        # lines are bookkeeping.
        name: {"handlers": ["one_line"], "level": level, "propagate": False}
        for name, level in (
            ("django.security", "INFO"),
            ("archive.csp", "INFO"),
            ("axes", "WARNING"),
        )
    },
}
