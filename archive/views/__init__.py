"""Public views, one module per family; re-exported here for ``archive/urls.py``."""

from .articles import ArticleDetailView, ArticleListView
from .citations import ArticleCitationView
from .events import EventDetailView, TimelineView
from .home import HomeView
from .images import ImageDetailView, ImageListView
from .people import PersonDetailView, PersonListView
from .robots import RobotsView
from .search import SearchView

__all__ = [
    "ArticleCitationView",
    "ArticleDetailView",
    "ArticleListView",
    "EventDetailView",
    "HomeView",
    "ImageDetailView",
    "ImageListView",
    "PersonDetailView",
    "PersonListView",
    "RobotsView",
    "SearchView",
    "TimelineView",
]
