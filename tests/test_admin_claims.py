"""Sources in the admin: an event's sources and a person's facts are inline rows,
each fact's sources on its own page; each form is posted back as a browser would
post it (the page's own fields, one row filled in)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion import create_revision
from reversion.models import Version

from archive.models import Event, EventCitation, Person, PersonFact, PersonFactCitation
from archive.revisions import versions_of
from tests import admin_helpers
from tests.admin_forms import browser_post_data, change_form_id
from tests.admin_helpers import url
from tests.factories import cite, make_article, make_event, make_person

pytestmark = pytest.mark.django_db

client = admin_helpers.client
editor = admin_helpers.editor


def form_of(client, model, obj) -> dict[str, list[str]]:
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    return browser_post_data(page.content.decode(), change_form_id(model))


def test_an_event_gains_a_source_in_its_inline(client):
    article = make_article(key="bio", title_ja="伝記")
    event = make_event(key="born", title_en="Born", date="1993-04")
    data = form_of(client, Event, event)
    assert data["citations-TOTAL_FORMS"] == ["0"]
    data.update(
        {
            "citations-TOTAL_FORMS": ["1"],
            "citations-0-position": ["0"],
            "citations-0-article": [str(article.pk)],
            "citations-0-locator": ["生年月日"],
            "citations-0-quote": ["アレック・ラドフォードは1993年4月生まれです。"],
            "citations-0-reading_en": [""],
            "citations-0-reading_ja": [""],
            "citations-0-reading_zh_hans": [""],
        }
    )
    response = client.post(url(Event, "change", event.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    citation = EventCitation.objects.get()
    assert (citation.event, citation.article, citation.locator) == (
        event,
        article,
        "生年月日",
    )
    # The event's revision holds its sources, so a restore brings them back.
    version = Version.objects.get_for_object(event).first()
    held = {v.content_type.model for v in version.revision.version_set.all()}
    assert "eventcitation" in held
    # Unchanged, the page posts back without a new revision or change.
    again = client.post(url(Event, "change", event.pk), form_of(client, Event, event))
    assert again.status_code == 302
    assert Version.objects.get_for_object(event).count() == 1


def test_a_quote_is_kept_verbatim_and_a_missing_one_is_a_form_error(client):
    article = make_article(key="news")
    event = make_event(key="e")
    data = form_of(client, Event, event)
    data.update(
        {
            "citations-TOTAL_FORMS": ["1"],
            "citations-0-position": ["0"],
            "citations-0-article": [str(article.pk)],
            "citations-0-locator": [""],
            "citations-0-quote": [""],
        }
    )
    response = client.post(url(Event, "change", event.pk), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not EventCitation.objects.exists()


def test_a_persons_fact_and_its_sources_are_edited_in_two_forms(client):
    article = make_article(key="news", original_language="zh-hans", body_zh_hans="x")
    person = make_person(key="kornblith", name_en="Simon Kornblith")
    data = form_of(client, Person, person)
    data.update(
        {
            "facts-TOTAL_FORMS": ["1"],
            "facts-0-position": ["0"],
            "facts-0-kind": ["affiliation"],
            "facts-0-statement_en": ["Researcher at Anthropic"],
            "facts-0-statement_ja": [""],
            "facts-0-statement_zh_hans": [""],
            "facts-0-date": ["2021-05"],
            "facts-0-original_language": ["en"],
        }
    )
    response = client.post(url(Person, "change", person.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fact = PersonFact.objects.get()
    assert (fact.person, fact.date, str(fact.date_start)) == (
        person,
        "2021-05",
        "2021-05-01",
    )
    # The person's page links to the fact's own page, where its sources are.
    page = client.get(url(Person, "change", person.pk)).content.decode()
    assert url(PersonFact, "change", fact.pk) in page
    data = form_of(client, PersonFact, fact)
    data.update(
        {
            "citations-TOTAL_FORMS": ["1"],
            "citations-0-position": ["0"],
            "citations-0-article": [str(article.pk)],
            "citations-0-locator": ["Alec Radford 的人生故事"],
            "citations-0-quote": ["Anthropic 的研究者 Simon Kornblith"],
        }
    )
    response = client.post(url(PersonFact, "change", fact.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PersonFactCitation.objects.get().fact == fact


def test_the_article_is_chosen_by_autocomplete(client):
    make_article(key="bio", title_ja="アレック・ラドフォード伝")
    event = make_event(key="e")
    cite(event, make_article(key="other"))
    page = client.get(url(Event, "change", event.pk)).content.decode()
    assert 'class="admin-autocomplete"' in page and 'data-field-name="article"' in page
    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "ラドフォード",
            "app_label": "archive",
            "model_name": "eventcitation",
            "field_name": "article",
        },
    ).json()
    assert [row["text"] for row in found["results"]] == ["アレック・ラドフォード伝"]


def test_restoring_an_event_brings_back_its_sources_as_they_were(client):
    article = make_article(key="bio")
    with create_revision():
        event = make_event(key="born")
        cite(event, article, quote="元の引用")
    with create_revision():
        event.citations.update(quote="書き換えた引用")
        cite(event, article, quote="後から足した引用")
        event.save()
    old = versions_of(event, str(event.pk)).first()
    page = client.get(reverse("admin:archive_event_revision", args=[event.pk, old.pk]))
    assert page.status_code == 200 and "元の引用" in page.text
    response = client.post(
        reverse("admin:archive_event_revision", args=[event.pk, old.pk]),
        browser_post_data(page.text, change_form_id(Event)),
    )
    assert response.status_code == 302
    assert list(event.citations.values_list("quote", flat=True)) == ["元の引用"]


def test_facts_are_found_by_their_statement_in_any_language(client):
    person = make_person(key="kornblith")
    fact = PersonFact.objects.create(
        person=person, statement_en="Researcher", statement_zh_hans="研究者"
    )
    found = client.get(url(PersonFact, "changelist"), {"q": "研究"})
    assert found.status_code == 200
    assert url(PersonFact, "change", fact.pk) in found.content.decode()
