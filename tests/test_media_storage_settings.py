"""Media storage from the environment (config/media_storage.py): local files by
default, S3 when a bucket is named, private (signed URLs) unless a custom domain
serves a public bucket; the CSP and the sanitiser allow exactly the media origins."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.media_storage import (
    LOCAL_BACKEND,
    MAX_SIGNED_URL_SECONDS,
    S3_BACKEND,
    media_origins,
    media_storage,
)
from tests.test_settings import run_manage

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'storage': s.STORAGES['default'], 'origins': s.MEDIA_ORIGINS, "
    "'img_src': [str(v) for v in s.SECURE_CSP['img-src']], "
    "'serve_media': s.SERVE_MEDIA}))"
)


def shown(**env: str) -> dict:
    result = run_manage("shell", "--no-imports", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_bucket_media_are_local_files_django_serves():
    settings = shown()
    assert settings["storage"] == {"BACKEND": LOCAL_BACKEND}
    assert settings["origins"] == []
    assert settings["serve_media"] is True


def test_a_bucket_switches_media_to_a_private_s3_bucket_with_signed_urls():
    settings = shown(
        AWS_STORAGE_BUCKET_NAME="archive-media",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert settings["storage"]["BACKEND"] == S3_BACKEND
    options = settings["storage"]["OPTIONS"]
    assert options["bucket_name"] == "archive-media"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == MAX_SIGNED_URL_SECONDS
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
    assert options["signature_version"] == "s3v4"
    assert settings["serve_media"] is False
    origins = [
        "https://archive-media.s3.amazonaws.com",
        "https://archive-media.s3.eu-west-1.amazonaws.com",
    ]
    assert settings["origins"] == origins
    assert settings["img_src"] == ["'self'", "data:", *origins]


def test_a_custom_domain_means_a_public_bucket_and_plain_urls():
    settings = shown(
        AWS_STORAGE_BUCKET_NAME="archive-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    options = settings["storage"]["OPTIONS"]
    assert (options["custom_domain"], options["querystring_auth"]) == (
        "media.example.org",
        False,
    )
    assert settings["img_src"] == ["'self'", "data:", "https://media.example.org"]


def test_signing_on_a_custom_domain_is_refused_in_one_line():
    result = run_manage(
        "check",
        AWS_STORAGE_BUCKET_NAME="archive-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_QUERYSTRING_AUTH="1",
    )
    assert result.returncode != 0
    assert "AWS_QUERYSTRING_AUTH=1 cannot sign URLs on AWS_S3_CUSTOM_DOMAIN" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AWS_QUERYSTRING_EXPIRE": "604801"}, "AWS_QUERYSTRING_EXPIRE must be"),
        ({"AWS_QUERYSTRING_EXPIRE": "soon"}, "AWS_QUERYSTRING_EXPIRE must be"),
        ({"AWS_QUERYSTRING_AUTH": "maybe"}, "AWS_QUERYSTRING_AUTH must be 1 or 0"),
        ({"AWS_S3_ADDRESSING_STYLE": "dns"}, "AWS_S3_ADDRESSING_STYLE must be"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage({"AWS_STORAGE_BUCKET_NAME": "b", **env})


def test_origins_follow_the_endpoint_and_its_addressing_style():
    def origins(**env: str) -> list[str]:
        return media_origins(
            media_storage({"AWS_STORAGE_BUCKET_NAME": "b", **env}), "/media/"
        )

    minio = {"AWS_S3_ENDPOINT_URL": "https://minio.example.net:9000"}
    assert origins(**minio) == [
        "https://minio.example.net:9000",
        "https://b.minio.example.net:9000",
    ]
    assert origins(**minio, AWS_S3_ADDRESSING_STYLE="path") == [
        "https://minio.example.net:9000"
    ]
    assert origins(AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000") == [
        "http://127.0.0.1:9000"
    ]
    assert origins(
        AWS_S3_CUSTOM_DOMAIN="cdn.example.org", AWS_S3_URL_PROTOCOL="http:"
    ) == ["http://cdn.example.org"]
    # An absolute MEDIA_URL (local files behind a CDN) is an origin of its own.
    assert media_origins(
        {"BACKEND": LOCAL_BACKEND}, "https://cdn.example.org/media/"
    ) == ["https://cdn.example.org"]


def test_the_sanitiser_keeps_media_from_the_storage_origins_only(settings):
    from archive.markdown import sanitize

    settings.MEDIA_ORIGINS = ["https://media.example.org"]
    own = '<img src="https://media.example.org/images/2025/a.png" alt="">'
    assert 'src="https://media.example.org/images/2025/a.png"' in sanitize(own)
    remote = '<img src="https://evil.example/a.png" alt="">'
    assert "evil.example" not in sanitize(remote)
