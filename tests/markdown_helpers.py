"""Shared by the Markdown test modules: an HTML outline, a PNG, media, rendering.

``media`` is a pytest fixture; each test module that uses it names it at module
level (``media = markdown_helpers.media``) so that pytest finds it there.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from archive.markdown import render_markdown


class Outline(HTMLParser):
    """Tags with their attributes and ancestors, and the text, of an HTML fragment."""

    VOID = {"br", "hr", "img"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs, _parents in self.elements if name == tag]


def png(width: int = 4, height: int = 3) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="pic.png")


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def render(text: str, **kwargs) -> str:
    kwargs.setdefault("language", "en")
    return str(render_markdown(text, **kwargs))
