"""The product's settings as gunicorn serves them, plus the floor's URL.

For bench/throughput.py only: the environment chooses the database, the cache
(``REDIS_URL``) and whether pages are cached (``DJANGO_PAGE_CACHE``), as in
production; the URLconf adds ``/bench-floor/`` (bench/urls.py).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
