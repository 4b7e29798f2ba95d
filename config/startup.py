"""Loading the settings at start-up: a configuration error is one line, not a traceback.

``manage.py`` and ``gunicorn.conf.py`` call :func:`settings_or_exit` before anything
else, so a production server without a secret key (or with any other bad variable)
stops at once with one clear line on stderr and a non-zero exit.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

# Commands that only read and write the project's code (migrations, catalogues):
# they never sign, serve or store anything a key protects, so with no key
# configured they run with a throwaway one, as a developer's checkout has none.
KEYLESS_COMMANDS = frozenset({"makemigrations", "makemessages", "compilemessages"})


def allow_keyless_command(argv: list[str]) -> None:
    """A throwaway secret key for a ``KEYLESS_COMMANDS`` run with none configured."""
    configured = os.environ.get("DJANGO_SECRET_KEY") or os.environ.get(
        "DJANGO_SECRET_KEY_FILE"
    )
    if len(argv) > 1 and argv[1] in KEYLESS_COMMANDS and not configured:
        import secrets

        os.environ["DJANGO_SECRET_KEY"] = "throwaway-" + secrets.token_urlsafe(40)


def settings_or_exit() -> None:
    """Import the settings; on ImproperlyConfigured print one line and exit 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 (imports and checks the settings module)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
