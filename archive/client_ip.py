"""Which address a request came from, behind as many proxies as the settings say.

``REMOTE_ADDR`` is the client unless proxies stand in front (``DJANGO_PROXY_COUNT``,
1 with ``DJANGO_BEHIND_PROXY=1``); then each proxy appends the address it saw to
``X-Forwarded-For``, and the client is the one the outermost of ours saw: counted
from the right, never the left (which the client writes itself). Used to
rate-limit CSP reports and, through django-axes, to lock out admin logins.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, or ``REMOTE_ADDR`` when the header cannot say."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.ARCHIVE_PROXY_COUNT
    if not hops:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote
