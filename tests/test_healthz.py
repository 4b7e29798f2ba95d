"""/healthz: a JSON answer for load balancers, never cached, never redirected."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }
    assert "no-store" in response["Cache-Control"]
    assert client.head(reverse("healthz")).status_code == 200


def test_only_reads(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_not_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/en/").status_code == 301
