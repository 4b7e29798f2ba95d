"""The admin's own forms, read from the page and posted back as a browser does."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """The successful controls of ``<form id=form_id>``: what a browser submits."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.add(name, a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline after <textarea> and send CRLF line breaks.
            text = self.text.removeprefix("\n").replace("\r\n", "\n")
            self.add(self.textarea, text.replace("\n", "\r\n"))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self.add(self.select, value)
            self.select = None


def form_data(html: str, form_id: str) -> dict[str, str | list[str]]:
    """The fields of the page's form ``form_id`` as the test client posts them."""
    parser = _FormFields(form_id)
    parser.feed(html)
    assert parser.data, f"no form #{form_id} on the page"
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in parser.data.items()
    }
