"""The site's URLs plus a public page that uses the CSP nonce (test_page_cache)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    '<!doctype html><title>Nonce</title><link rel="icon" href="data:,">'
    '<script nonce="{{ csp_nonce }}">'
    'document.documentElement.dataset.ran = "yes";</script>'
    '<style nonce="{{ csp_nonce }}">p { color: red }</style><p>Same page</p>'
)


def nonce_page(request):
    return HttpResponse(PAGE.render({}, request))


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("nonce-page/", nonce_page), prefix_default_language=True),
]
