"""What the admin's login answers while django-axes has locked a client out.

The login form again (so the editor sees where they are), with one message above
it saying that logging in is paused, for how long, and who can lift it; status 429.
A correct password is refused too until the lock ends or a superuser removes it
(admin → Axes → Access attempts, or ``manage.py axes_reset_ip ADDRESS``).
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.template.response import TemplateResponse


def lockout_response(request: HttpRequest, *_args, **_kwargs) -> TemplateResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the admin login page with the lockout message."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": admin.site.site_title,
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request),
        "locked_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return TemplateResponse(
        request, "admin/login_locked_out.html", context, status=429
    ).render()
