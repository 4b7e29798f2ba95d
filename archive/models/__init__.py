"""The archive's models, one module per family, re-exported here by name."""

from .articles import Article, ArticleTranslation, Reference
from .claims import EventCitation, PersonFact, PersonFactCitation
from .events import Event
from .images import Image
from .people import Person, PersonLink
from .person_names import PersonName

__all__ = [
    "Article",
    "ArticleTranslation",
    "Event",
    "EventCitation",
    "Image",
    "Person",
    "PersonFact",
    "PersonFactCitation",
    "PersonLink",
    "PersonName",
    "Reference",
]
