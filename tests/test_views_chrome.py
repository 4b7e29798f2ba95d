"""The site's chrome (head links, header and navigation, footer) is cached per
process, language and section (base.html's ``{% cache … using="chrome" %}``): a
cached copy must never show one section's or one language's chrome on another."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.core.cache import caches

from tests.factories import make_article, page_text, url_in
from tests.paths import ROOT

pytestmark = pytest.mark.django_db

SECTIONS = {
    "/{lang}/": None,
    "/{lang}/articles/": "articles",
    "/{lang}/people/": "people",
    "/{lang}/timeline/": "timeline",
    "/{lang}/images/": "images",
}
NAV_LINKS = {
    "articles": "/{lang}/articles/",
    "people": "/{lang}/people/",
    "timeline": "/{lang}/timeline/",
    "images": "/{lang}/images/",
}


def current_nav(html: str) -> list[str]:
    """The navigation links marked current."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"\s+aria-current=', nav)


@pytest.mark.usefixtures("render_every_time")
def test_each_section_and_language_gets_its_own_chrome_from_the_cache(client):
    article = make_article(title_en="Chrome", title_ja="クローム", slug_ja="chrome-ja")
    for _round in ("rendered", "cached"):
        for lang in ("en", "ja", "zh-hans"):
            for path, section in SECTIONS.items():
                html = page_text(client.get(path.format(lang=lang)))
                expected = [NAV_LINKS[section].format(lang=lang)] if section else []
                assert current_nav(html) == expected, (path, lang)
                assert f'href="/{lang}/feeds/articles.atom"' in html
                assert f'<a href="/{lang}/">' in html
            # An item's page marks its section as "true", not "page".
            html = page_text(client.get(url_in(article, lang)))
            assert current_nav(html) == [f"/{lang}/articles/"]
            assert 'aria-current="true">' in html
    assert caches["chrome"]._cache  # the second round was served from it


def test_the_chrome_speaks_the_page_language(client):
    english = page_text(client.get("/en/"))
    japanese = page_text(client.get("/ja/"))
    assert ">Articles</a>" in english and ">Articles</a>" not in japanese
    assert 'href="/ja/articles/"' in japanese and 'href="/en/articles/"' not in japanese


def test_make_dev_keeps_no_chrome_so_edited_templates_show_at_once():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['chrome']['BACKEND'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    backends = {
        debug: subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "DJANGO_DEBUG": debug},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for debug in ("1", "0")
    }
    assert backends["1"].endswith("DummyCache")
    assert backends["0"].endswith("LocMemCache")
