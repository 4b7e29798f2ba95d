"""Claims and their sources on small data: the AI/machine-translation label, the
readings, what the public sees, query counts that do not grow, export and load."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import (
    Article,
    Event,
    EventCitation,
    Person,
    PersonFact,
    PersonFactCitation,
    PersonLink,
)
from archive.models.claims import source_caution
from tests.factories import (
    cite,
    make_article,
    make_event,
    make_person,
    make_person_fact,
    make_person_link,
    page_text,
    url_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ai_article():
    return make_article(
        key="bio", title_en="The biography", ai_generated=True, machine_translated=True
    )


@pytest.fixture
def news_article():
    return make_article(
        key="news", original_language="zh-hans", title_en="The news", body_zh_hans="x"
    )


# -- the label -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flags", "label"),
    [
        ([(True, True)], "Only source: AI-generated and machine-translated"),
        ([(True, False)], "Only source: AI-generated"),
        ([(False, True)], "Only source: machine-translated"),
        ([(True, False), (False, True)], "Only sources: AI-generated or machine-"),
        ([(True, True), (False, False)], ""),
        ([], ""),
    ],
)
def test_the_label_says_what_every_source_is(flags, label):
    event = make_event()
    for ai, machine in flags:
        cite(event, make_article(ai_generated=ai, machine_translated=machine))
    with translation.override("en"):
        caution = source_caution(event.citations.select_related("article"))
    assert caution.startswith(label) and bool(caution) == bool(label)


def test_a_fact_needs_its_statement_and_a_valid_date():
    person = make_person()
    fact = PersonFact(person=person, kind="born", date="1993-13")
    with pytest.raises(ValidationError) as excinfo:
        fact.full_clean()
    assert set(excinfo.value.message_dict) == {"statement_en", "date"}


def test_an_affiliation_at_one_date_holds_as_of_it():
    person = make_person()
    at = make_person_fact(person, kind="affiliation", date="2021-05")
    during = make_person_fact(person, kind="affiliation", date="2016/2024-12")
    with translation.override("ja"):
        assert at.date_display == "2021年5月時点"
    with translation.override("en"):
        assert during.date_display == "2016 – December 2024"
    assert (str(at.date_start), str(at.date_end)) == ("2021-05-01", "2021-05-31")


# -- the pages -----------------------------------------------------------------------
def test_sources_in_a_draft_are_not_shown(client, news_article):
    draft = make_article(title_en="Secret draft", status=Article.Status.DRAFT)
    event = make_event(title_en="Shown")
    cite(event, draft, quote="草稿の一節")
    html = page_text(client.get(url_in(event, "en")))
    assert "草稿の一節" not in html and "Secret draft" not in html
    assert "No published source states this yet." in html
    cite(event, news_article, quote="新闻的一句话")
    html = page_text(client.get(url_in(event, "en")))
    assert '<blockquote class="citation__quote" lang="zh-Hans">新闻的一句话' in html


def test_readings_show_in_the_page_language_with_their_lang(client, ai_article):
    person = make_person(name_en="Alec")
    fact = make_person_fact(person, kind="education", statement_en="Olin")
    cite(fact, ai_article, reading_en="No degree", reading_ja="学位なし")
    cite(fact, make_article(), reading_en="A degree")
    html = page_text(client.get(url_in(person, "ja")))
    assert "資料によって記述が異なる" in html
    assert '<span lang="ja">学位なし</span>' in html
    assert '<span lang="en">A degree</span>' in html  # no Japanese: English, marked


def test_a_link_says_who_gave_it(client, news_article):
    person = make_person()
    make_person_link(person, url="https://example.org/ours")
    make_person_link(person, url="https://example.org/theirs", source=news_article)
    html = page_text(client.get(url_in(person, "en")))
    assert html.count("added by the archive") == 1
    assert "(given by <span" not in html  # an English title needs no lang span
    assert "(given by The news)" in html


def _claims(n: int, articles: list[Article]) -> None:
    person = make_person(key="p")
    for index in range(n):
        event = make_event(date=f"{1990 + index % 30}")
        event.people.add(person)
        fact = make_person_fact(person, date=f"{1990 + index % 30}")
        for article in articles:
            cite(event, article)
            cite(fact, article)


@pytest.mark.parametrize("page", ["timeline", "person", "event", "home", "article"])
def test_query_counts_do_not_grow_with_sources(client, page, ai_article, news_article):
    counts = []
    for n, articles in ((1, [ai_article]), (6, [ai_article, news_article])):
        EventCitation.objects.all().delete()
        PersonFactCitation.objects.all().delete()
        PersonFact.objects.all().delete()
        Event.objects.all().delete()
        Person.objects.all().delete()
        _claims(n, articles)
        news_article.events.set(Event.objects.all())
        urls = {
            "timeline": "/en/timeline/",
            "person": url_in(Person.objects.get(key="p"), "en"),
            "event": url_in(Event.objects.first(), "en"),
            "home": "/en/",
            "article": url_in(news_article, "en"),
        }
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(urls[page])
        assert response.status_code == 200
        assert "The biography" in page_text(response)
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# -- export and load -----------------------------------------------------------------
def test_export_and_load_keep_every_citation_and_fact(capsys, tmp_path, ai_article):
    person = make_person(key="alec")
    make_person_link(person, url="https://example.org/a", source=ai_article)
    fact = make_person_fact(person, date="1993-04")
    cite(fact, ai_article, locator="生年月日", quote="1993年4月", reading_ja="読み")
    event = make_event(key="born")
    cite(event, ai_article, quote="生まれです")
    call_command("export_archive")
    exported = capsys.readouterr().out
    objects = json.loads(exported)
    models = [obj["model"] for obj in objects]
    assert models.index("archive.personfact") < models.index(
        "archive.personfactcitation"
    )
    row = objects[models.index("archive.personfactcitation")]["fields"]
    assert (row["fact"], row["article"]) == (["alec", 0], ["bio"])
    for model in (EventCitation, PersonFactCitation, PersonFact, PersonLink):
        model.objects.all().delete()
    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)
    loaded = PersonFactCitation.objects.get()
    assert (loaded.locator, loaded.reading_ja, loaded.fact.date) == (
        "生年月日",
        "読み",
        "1993-04",
    )
    assert str(loaded.fact.date_start) == "1993-04-01"
    assert EventCitation.objects.get().quote == "生まれです"
    assert PersonLink.objects.get().source == ai_article


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_a_birth_date_into_a_fact_and_back():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("archive", "0013_dates_undated")], [("archive", "0014_claims")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("archive", "Person").objects.create(
        key="alec", name_en="Alec", birth_date="1993-04", text_origin="ai"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    fact = new.get_model("archive", "PersonFact").objects.get()
    assert (fact.kind, fact.date, str(fact.date_start), fact.statement_ja) == (
        "born",
        "1993-04",
        "1993-04-01",
        "誕生",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    person = executor.loader.project_state(before).apps.get_model("archive", "Person")
    assert person.objects.get().birth_date == "1993-04"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
