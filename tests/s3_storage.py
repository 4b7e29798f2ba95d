"""An S3-compatible server on loopback for the media-storage tests (moto's server
mode, started as a subprocess), and a fresh bucket per test as the default storage.

A pytest plugin of the whole suite (``pytest_plugins`` in ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from config.media_storage import media_origins, media_storage


def _port_range(value: str) -> range:
    first, _, last = value.partition("-")
    return range(int(first), int(last or first) + 1)


# The loopback ports the S3 tests may use: the first free one is taken.
PORTS = _port_range(os.environ.get("ARCHIVE_TEST_S3_PORTS", "8190-8199"))
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


@dataclass
class S3Server:
    """A running moto server: its endpoint and a boto3 client for it."""

    endpoint: str
    process: subprocess.Popen
    _client: Any = field(default=None, repr=False)

    @property
    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=REGION,
                aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            )
        return self._client

    def new_bucket(self) -> str:
        name = f"media-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name

    def env(self, bucket: str, **extra: str) -> dict[str, str]:
        """The environment a deployment would set for ``bucket`` on this server."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            **CREDENTIALS,
            **extra,
        }

    def keys(self, bucket: str) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    def read(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()


def _wait_until_up(server: S3Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError("the moto server exited at start")
        try:
            with urllib.request.urlopen(server.endpoint + "/moto-api/", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3-compatible server on a loopback port of our range, for the session."""
    pytest.importorskip("moto.server", reason="moto[s3] is a test dependency")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from moto.server import main; main(sys.argv[1:])",
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(endpoint=f"http://127.0.0.1:{port}", process=process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class S3Media:
    """The bucket a test's media go to, as ``STORAGES["default"]``."""

    server: S3Server
    bucket: str
    env: dict[str, str]
    storage: dict[str, Any]

    def keys(self) -> set[str]:
        return self.server.keys(self.bucket)

    def read(self, key: str) -> bytes:
        return self.server.read(self.bucket, key)


def use_bucket(settings, server: S3Server, **extra: str) -> S3Media:
    """A new bucket on ``server`` as the default storage, configured from the
    environment a deployment would give (``extra``: more AWS_* variables), with
    the CSP ``img-src`` that settings derive from it."""
    bucket = server.new_bucket()
    env = server.env(bucket, **extra)
    storage = media_storage(env)
    origins = media_origins(storage, settings.MEDIA_URL)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ORIGINS = origins
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], *origins],
    }
    return S3Media(server=server, bucket=bucket, env=env, storage=storage)


@pytest.fixture
def s3_media(settings, s3_server) -> S3Media:
    """A fresh private bucket (signed URLs, the default) as the media storage."""
    return use_bucket(settings, s3_server)
