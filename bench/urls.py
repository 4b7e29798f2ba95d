"""The product's URLs, and the floor: the cheapest page Django can serve."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

FLOOR_PATH = "/bench-floor/"


def floor(request: HttpRequest) -> HttpResponse:
    """What any page costs before it does anything (middleware, routing, response)."""
    return HttpResponse("ok")


urlpatterns = [path(FLOOR_PATH.lstrip("/"), floor), *product_urlpatterns]
