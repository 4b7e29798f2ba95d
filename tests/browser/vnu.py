"""The Nu HTML Checker (vnu.jar, from npm's ``vnu-jar``) run on many documents at once.

Java starts slowly, so callers batch every document of a test session into one
``check()`` call. The jar comes from ``npm ci`` (package.json pins it); it checks
files locally and fetches nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Hashable, Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", BASE_DIR / "node_modules/vnu-jar/build/dist/vnu.jar")
)
JAVA = os.environ.get("JAVA", "java")

Message = dict[str, object]


def unavailable_reason() -> str | None:
    """Why vnu cannot run here, or None when Java and the jar are both present."""
    if not shutil.which(JAVA):
        return f"{JAVA!r} not found: install Java >= 11 (apt-get install default-jre)"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR} not found: run `npm ci` in {BASE_DIR}"
    return None


def check(
    documents: Mapping[Hashable, str], *, timeout: int = 300
) -> dict[Hashable, list[Message]]:
    """Validate each HTML document; return its vnu messages by the caller's name.

    Every name is present in the result (an empty list when vnu had nothing to say).
    """
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        by_file: dict[str, Hashable] = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            by_file[path.name] = name
        completed = subprocess.run(
            [
                JAVA,
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                *sorted(str(Path(tmp) / filename) for filename in by_file),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"vnu gave no JSON (exit {completed.returncode}): {completed.stderr[-999:]}"
        ) from exc
    results: dict[Hashable, list[Message]] = {name: [] for name in documents}
    for message in report.get("messages", []):
        filename = str(message.get("url", "")).rsplit("/", 1)[-1]
        name = by_file.get(filename)
        if name is None:
            raise RuntimeError(f"vnu message about no document we sent: {message}")
        results[name].append(message)
    return results


def errors(messages: list[Message]) -> list[Message]:
    """Only the errors (vnu's "info" messages, including warnings, are advice)."""
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def describe(messages: list[Message]) -> str:
    """One readable block per message: position, text and the offending markup."""
    lines = []
    for message in messages:
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        where = f"line {message.get('lastLine', '?')}, col {column}"
        lines.append(f"- {where}: {message.get('message', '')}")
        extract = str(message.get("extract", "")).replace("\n", "⏎")
        if extract:
            lines.append(f"    {extract}")
    return "\n".join(lines)
