"""The settings the suite runs under: the production settings, with a secret per run.

Production refuses to start without a secret key (config/settings.py). The suite
makes a throwaway one before the settings load; it goes into the environment so the
servers and commands the tests start share it. A key or key file already set wins.
"""

import os
import secrets

if not (
    os.environ.get("DJANGO_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY_FILE")
):
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)

from config.settings import *  # noqa: F403
