"""Rotating the secret key (README, "Deployment"): values signed with the old key
still verify while it is listed in DJANGO_SECRET_KEY_FALLBACKS, and not after."""

import secrets

from django.core import signing

from tests.test_settings import run_manage


def loads_with(token: str, **env: str):
    code = (
        "from django.core import signing\n"
        "try:\n"
        f"    print(signing.loads({token!r}))\n"
        "except signing.BadSignature:\n"
        "    print('bad signature')\n"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_old_key_verifies_only_while_it_is_a_fallback():
    old, new = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    token = signing.dumps("signed before the rotation", key=old)
    during = loads_with(
        token,
        DJANGO_SECRET_KEY=new,
        DJANGO_SECRET_KEY_FALLBACKS=f"{secrets.token_urlsafe(50)}, {old}",
    )
    assert during == "signed before the rotation"
    assert loads_with(token, DJANGO_SECRET_KEY=new) == "bad signature"
