"""Loading the settings at start-up: a configuration error is one line, not a traceback.

``manage.py`` and ``gunicorn.conf.py`` call :func:`settings_or_exit` before anything
else, so a production server without a secret key (or with any other bad variable)
stops at once with one clear line on stderr and a non-zero exit.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def settings_or_exit() -> None:
    """Import the settings; on ImproperlyConfigured print one line and exit 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 (imports and checks the settings module)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
