"""The edge headers as Chromium reads them: no feature it does not know, no warning."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_chromium_accepts_the_permissions_policy_without_a_word(page, live_server):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    for path in ("/en/", "/ja/articles/", "/admin/login/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert "camera=()" in response.headers["permissions-policy"]
    assert [m for m in messages if "Policy" in m or "feature" in m] == []
    assert page.problems == []
    # The features the policy turns off are off in the page itself.
    allowed = page.evaluate(
        "document.featurePolicy ? document.featurePolicy.allowedFeatures() : null"
    )
    if allowed is not None:  # Chromium's (non-standard) view of the policy
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert feature not in allowed
