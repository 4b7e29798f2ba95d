"""The site's URLs plus public pages that use the CSP nonce, a CSRF token, Vary."""

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


FORM = engines["django"].from_string(
    '<!doctype html><title>Form</title><form method="post">{% csrf_token %}</form>'
)


def nonce_page(request):
    return HttpResponse(PAGE.render({}, request))


def form_page(request):
    return HttpResponse(FORM.render({}, request))


def varying_page(request):
    response = HttpResponse("<!doctype html><title>Varies</title>")
    response["Vary"] = "Accept-Language"
    return response


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(
        path("nonce-page/", nonce_page),
        path("form-page/", form_page),
        path("varying-page/", varying_page),
        prefix_default_language=True,
    ),
]
