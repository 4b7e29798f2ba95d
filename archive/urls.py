"""Public archive URLs, mounted under i18n_patterns (/en/, /ja/, /zh-hans/).

Item slugs are per language and may be Unicode, hence ``<str:slug>``; images are
addressed by their stable ASCII key.
"""

from django.urls import path

from . import feeds, views

app_name = "archive"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path(
        "articles/<str:slug>/", views.ArticleDetailView.as_view(), name="article_detail"
    ),
    path(
        "articles/<str:slug>/citation.<str:fmt>",
        views.ArticleCitationView.as_view(),
        name="article_citation",
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<str:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("events/<str:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("images/", views.ImageListView.as_view(), name="image_list"),
    path("images/<slug:key>/", views.ImageDetailView.as_view(), name="image_detail"),
    path("feeds/articles.atom", feeds.AtomArticleFeed(), name="article_feed_atom"),
    path("feeds/articles.rss", feeds.RssArticleFeed(), name="article_feed_rss"),
    path("search/", views.SearchView.as_view(), name="search"),
]
