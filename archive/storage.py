"""The media storage backend for S3-compatible buckets (``config/media_storage.py``
chooses it when ``AWS_STORAGE_BUCKET_NAME`` is set)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from storages.backends.s3 import S3Storage

# A signed URL is reused for this share of its lifetime: at 7 days, for one day, so
# every URL handed out still has six days to run (pages are cached for a day).
REUSE_SHARE = 1 / 7
# Signed URLs remembered per process (about 0.5 KB each).
REMEMBERED_URLS = 20_000


class S3MediaStorage(S3Storage):
    """django-storages' S3 storage that reuses each signed URL for a while.

    Signing a URL costs botocore about a millisecond (measured 1.1 ms on a loaded
    machine), and a page of images asks for dozens (each image's renditions for its
    ``srcset``): the image list would spend over 100 ms signing. A URL signed for 7
    days is as good tomorrow, so each is kept for ``REUSE_SHARE`` of its lifetime,
    per process, in a bounded LRU. The same URL across requests also lets browsers
    and CDNs cache the object.
    """

    clock = staticmethod(time.monotonic)

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self._signed: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.querystring_auth or parameters or expire or http_method:
            return super().url(name, parameters, expire, http_method)
        now = self.clock()
        with self._lock:
            remembered = self._signed.get(name)
            if remembered and remembered[1] > now:
                self._signed.move_to_end(name)
                return remembered[0]
        url = super().url(name)
        with self._lock:
            self._signed[name] = (url, now + self.querystring_expire * REUSE_SHARE)
            self._signed.move_to_end(name)
            while len(self._signed) > REMEMBERED_URLS:
                self._signed.popitem(last=False)
        return url

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_signed", None)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self._signed = OrderedDict()
        self._lock = threading.Lock()
