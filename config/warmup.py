"""What every worker would otherwise do on its first request, done once in gunicorn's
master (``gunicorn.conf.py``, with the app preloaded) so forked workers start warm.

A fresh worker's first request took ~180 ms (importing the URLconf and the views,
loading three translation catalogues, compiling templates); under load gunicorn
replaces a worker every ~1,000 requests, so that wait showed in every page's p99.
Nothing here touches the database or the cache: connections must not be opened
before the fork, or the workers would share them.
"""

from __future__ import annotations

from pathlib import Path


def warm() -> None:
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf and every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (populated per language)
            translation.gettext("Radford Archive")  # loads the catalogue
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                get_template(path.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # a page that is broken fails on its own request
