"""One line per log record, for what strangers can make the server log.

A bad ``Host`` header or a path-traversal attempt is logged by Django's
``django.security.*`` loggers with a full traceback and the attacker's text in full
(a 5 KB Host header, twice). :class:`OneLineFormatter` writes such a record as one
short line: no traceback, control characters escaped, the message cut to a length,
the request's method, path and client address added (cut too).
"""

from __future__ import annotations

import logging
import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int) -> str:
    """``text`` with control characters escaped, cut to about ``limit`` characters."""
    text = CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"


class OneLineFormatter(logging.Formatter):
    """Formats a record as one line: no traceback, nothing longer than ``limit``."""

    def __init__(self, *args, limit: int = 300, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def format(self, record: logging.LogRecord) -> str:
        line = logging.makeLogRecord(record.__dict__)
        message = one_line(record.getMessage(), self.limit)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            from archive.client_ip import client_ip

            where = one_line(f"{request.method} {request.get_full_path()}", 200)
            message = f"{message} [{where} from {client_ip(request)}]"
        line.msg, line.args = message, None
        line.exc_info = line.exc_text = line.stack_info = None
        return super().format(line)
