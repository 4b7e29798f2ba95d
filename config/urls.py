"""Root URLconf: the admin, the sitemap and robots.txt, and the public archive
under /en/, /ja/, /zh-hans/.

The language switcher links to each page's own URL in the other language, so
there is no ``set_language`` view to mount.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from archive.sitemaps import SITEMAPS
from archive.views import RobotsView
from archive.views.health import healthz
from archive.views.reports import csp_report

urlpatterns = [
    path("admin/", admin.site.urls),
    # Outside the language prefixes: browsers post here (settings.SECURE_CSP).
    path(
        settings.ARCHIVE_CSP_REPORT_URL.strip("/") + "/", csp_report, name="csp_report"
    ),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        # Django's own template, each entry's alternates written once per item.
        {"sitemaps": SITEMAPS, "template_name": "sitemap_section.xml"},
        name="sitemap_section",
    ),
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
