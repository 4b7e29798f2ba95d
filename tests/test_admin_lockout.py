"""Admin login throttling (django-axes): lockout after failures, superusers unlock."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.test_edges import logged

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "right-pw-12345"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", password=PASSWORD)


def attempt(client, password, **extra):
    return client.post(
        LOGIN, {"username": "editor", "password": password, "next": "/admin/"}, **extra
    )


def lock_out(client, times: int = 30) -> list[int]:
    return [attempt(client, f"wrong-{n}").status_code for n in range(times)]


def test_thirty_wrong_passwords_lock_the_client_out(client, editor, settings):
    codes = lock_out(client)
    limit = settings.AXES_FAILURE_LIMIT
    assert codes[: limit - 1] == [200] * (limit - 1)  # the form, "incorrect"
    assert codes[limit - 1 :] == [429] * (30 - limit + 1)
    # While locked, the right password is refused as well.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_lockout_page_is_the_login_form_with_a_clear_message(client, editor):
    lock_out(client, 6)
    response = attempt(client, PASSWORD, headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert 'id="lockout-note"' in html
    assert "Too many failed login attempts" in html
    assert "locked for 15 minutes" in html
    assert 'id="login-form"' in html
    assert "Content-Encoding" not in response.headers
    japanese = attempt(client, PASSWORD, headers={"Accept-Language": "ja"})
    assert "ログイン" in japanese.content.decode()
    assert "Too many failed" not in japanese.content.decode()


def test_other_clients_can_still_log_in(client, editor):
    lock_out(client, 6)
    other = Client(REMOTE_ADDR="192.0.2.20")
    assert attempt(other, PASSWORD).status_code == 302


def test_axes_reset_unlocks(client, editor):
    lock_out(client)
    call_command("axes_reset", verbosity=0)
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_axes_reset_ip_unlocks_one_address(client, editor):
    lock_out(client)
    call_command("axes_reset_ip", "127.0.0.1", verbosity=0)
    assert attempt(client, PASSWORD).status_code == 302


def test_a_superuser_unlocks_from_the_admin(client, editor):
    from axes.models import AccessAttempt

    lock_out(client)
    (locked,) = AccessAttempt.objects.all()
    assert locked.ip_address == "127.0.0.1"
    assert locked.failures_since_start >= 5
    boss = get_user_model().objects.create_superuser("boss", password="pw-boss-123")
    unlocker = Client(REMOTE_ADDR="192.0.2.30")
    unlocker.force_login(boss)
    listing = unlocker.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "127.0.0.1" in listing.content.decode()
    deleted = unlocker.post(
        f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, PASSWORD).status_code == 302


def test_a_good_login_clears_earlier_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    # The count started again: as many failures as before are not a lockout.
    codes = [attempt(client, "wrong").status_code for _ in range(4)]
    assert codes == [200] * 4


def test_failures_and_lockouts_are_logged_one_line_each(client, editor):
    with logged("axes") as log:
        lock_out(client, 6)
    lines = log.getvalue().splitlines()
    assert lines
    assert all("Traceback" not in line for line in lines)
    assert any('Locking out {ip_address: "127.0.0.1"' in line for line in lines)
    assert all(PASSWORD not in line and "wrong-" not in line for line in lines)
