"""Where media (archived images and their renditions) live, read from the environment.

Local files under ``MEDIA_ROOT`` unless ``AWS_STORAGE_BUCKET_NAME`` is set; then
S3-compatible object storage through django-storages, in one of two modes:

- **private bucket** (the default): every media URL is signed and expires
  (``AWS_QUERYSTRING_EXPIRE``, default 7 days, SigV4's maximum, so a page cached
  for a day never carries a URL that has expired);
- **public bucket behind a CDN or custom domain** (``AWS_S3_CUSTOM_DOMAIN``): plain
  URLs on that domain, never signed (django-storages cannot sign them).

Plain functions of an environment mapping, so that settings and tests build the
same ``STORAGES["default"]`` and the same CSP ``img-src`` origins.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# django-storages' S3Storage, reusing signed URLs for a while (archive/storage.py).
S3_BACKEND = "archive.storage.S3MediaStorage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
# SigV4 presigned URLs live at most 7 days.
MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60
# Stored names never change content (renditions are named by SHA-256, and
# file_overwrite=False gives a replacement a new name), so caches may keep them.
OBJECT_CACHE_CONTROL = "max-age=31536000, immutable"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_SIGNED_URL_SECONDS:
        raise ImproperlyConfigured(
            f"{name} must be a number of seconds from 1 to {MAX_SIGNED_URL_SECONDS}, "
            f"not {value!r}."
        )
    return int(value)


def media_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """``STORAGES["default"]`` for ``env``: S3 when a bucket is named, else local."""
    bucket = env.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": LOCAL_BACKEND}
    custom_domain = env.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    signed = _flag(env, "AWS_QUERYSTRING_AUTH", default=not custom_domain)
    if signed and custom_domain:
        raise ImproperlyConfigured(
            "AWS_QUERYSTRING_AUTH=1 cannot sign URLs on AWS_S3_CUSTOM_DOMAIN: "
            "unset one of them (a custom domain serves a public bucket)."
        )
    addressing = env.get("AWS_S3_ADDRESSING_STYLE", "").strip() or None
    if addressing not in (None, "auto", "path", "virtual"):
        raise ImproperlyConfigured(
            "AWS_S3_ADDRESSING_STYLE must be auto, path or virtual, "
            f"not {addressing!r}."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": env.get("AWS_S3_REGION_NAME", "").strip() or None,
        "location": env.get("AWS_LOCATION", "").strip().strip("/"),
        "custom_domain": custom_domain or None,
        "url_protocol": env.get("AWS_S3_URL_PROTOCOL", "").strip() or "https:",
        "addressing_style": addressing,
        "querystring_auth": signed,
        "querystring_expire": _seconds(
            env, "AWS_QUERYSTRING_EXPIRE", MAX_SIGNED_URL_SECONDS
        ),
        "signature_version": "s3v4",
        # A second file of the same name gets a new name: stored names are
        # never reused for other bytes (fixity, caches).
        "file_overwrite": False,
        # No ACL: objects are as private as the bucket's own policy says.
        "default_acl": None,
        "object_parameters": {"CacheControl": OBJECT_CACHE_CONTROL},
    }
    # Keys from the environment, else boto3's own chain (instance role, profile).
    for option, names in (
        ("access_key", ("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID")),
        ("secret_key", ("AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY")),
    ):
        value = next((env[name] for name in names if env.get(name)), "")
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def media_origins(storage: Mapping[str, Any], media_url: str) -> list[str]:
    """The origins media URLs may point at, for the CSP ``img-src``."""
    origins: list[str] = []
    if media_url.startswith(("https://", "http://")):
        origins.append(_origin(media_url))
    if storage.get("BACKEND") != S3_BACKEND:
        return origins
    options = storage["OPTIONS"]
    bucket = options["bucket_name"]
    if options.get("custom_domain"):
        scheme = options.get("url_protocol", "https:").rstrip(":")
        origins.append(f"{scheme}://{options['custom_domain']}")
    elif options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
        if options.get("addressing_style") != "path" and not _is_ip(parts.hostname):
            origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
    else:
        region = options.get("region_name")
        origins.append(f"https://{bucket}.s3.amazonaws.com")
        if region:
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return list(dict.fromkeys(origins))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_ip(host: str | None) -> bool:
    try:
        ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return True
