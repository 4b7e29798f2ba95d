"""django-modeltranslation registrations: only human-readable text is translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Article,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
)


class BaseOptions(TranslationOptions):
    # Requiredness follows each item's original language (MultilingualItem.clean).
    required_languages = ()


@register(Article)
class ArticleTranslationOptions(BaseOptions):
    fields = (
        "title",
        "subtitle",
        "summary",
        "body",
        "slug",
        "publisher",
        "author",
        "posting_location",
        "rights_note",
        "permission_note",
    )


@register(Person)
class PersonTranslationOptions(BaseOptions):
    fields = ("name", "bio", "slug")


@register(Event)
class EventTranslationOptions(BaseOptions):
    fields = ("title", "description", "slug")


@register(Image)
class ImageTranslationOptions(BaseOptions):
    fields = (
        "title",
        "caption",
        "alt_text",
        "credit",
        "rights_note",
        "permission_note",
    )


@register(PersonFact)
class PersonFactTranslationOptions(BaseOptions):
    fields = ("statement",)


@register(EventCitation)
class EventCitationTranslationOptions(BaseOptions):
    fields = ("reading",)


@register(PersonFactCitation)
class PersonFactCitationTranslationOptions(BaseOptions):
    fields = ("reading",)
