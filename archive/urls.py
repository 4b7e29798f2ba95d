from django.urls import path
from django.views.generic import TemplateView

app_name = "archive"

_placeholder = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("", _placeholder, name="home"),
    path("articles/<str:slug>/", _placeholder, name="article_detail"),
    path("people/<str:slug>/", _placeholder, name="person_detail"),
    path("events/<str:slug>/", _placeholder, name="event_detail"),
    path("images/<slug:key>/", _placeholder, name="image_detail"),
]
