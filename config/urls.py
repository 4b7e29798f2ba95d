"""Root URLconf: the admin, and the public archive under /en/, /ja/, /zh-hans/.

The language switcher links to each page's own URL in the other language, so
there is no ``set_language`` view to mount.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from archive.views.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # Load balancers and monitors: the database and the cache answer (JSON).
    path("healthz", healthz, name="healthz"),
]

if settings.SERVE_MEDIA:
    # Embedded default: uploaded images served by Django from MEDIA_ROOT. In
    # production media live in object storage behind a CDN and this is off.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(path("", include("archive.urls")))
