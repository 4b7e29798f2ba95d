"""Posting an admin form back as a browser does: what it shows, textareas in CRLF.

``browser_post_data(html)`` reads the change form of an admin page and returns
the data Chromium would submit unchanged: every named input, checked box, selected
option and textarea. A textarea's text loses the one newline after its opening tag
(the HTML parser drops it) and is sent with CRLF line endings, as browsers do.
File inputs send nothing (no new upload); submit buttons are not pressed.
"""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_INPUTS = {"file", "submit", "button", "image", "reset"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._option: tuple[str, bool, list[str]] | None = None
        self._selected: list[str] = []
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.in_form = self.form_id is None or found.get("id") == self.form_id
            return
        if not self.in_form or "disabled" in found:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self.data.append((name, found.get("value", "on")))
                return
            self.data.append((name, found.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._selected = name, []
            self._multiple = "multiple" in found
            self._first_option = None
        elif tag == "option" and self._select:
            self._option = (found.get("value"), "selected" in found, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text).replace("\r\n", "\n").replace("\r", "\n")
            text = text.removeprefix("\n")
            self.data.append((self._textarea, text.replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            chosen = self._selected
            if not chosen and not self._multiple and self._first_option is not None:
                chosen = [self._first_option]  # a single select always sends one
            self.data.extend((self._select, value) for value in chosen)
            self._select = None

    def _close_option(self) -> None:
        value, selected, text = self._option
        value = "".join(text).strip() if value is None else value
        if self._first_option is None:
            self._first_option = value
        if selected:
            self._selected.append(value)
        self._option = None


def browser_post_data(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    """The data a browser submits for the form ``form_id`` (or every form) of
    ``html`` left as shown, as a dict of lists for the test client."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def change_form_id(model: type) -> str:
    """The id Django's admin gives a model's change form."""
    return f"{model._meta.model_name}_form"
