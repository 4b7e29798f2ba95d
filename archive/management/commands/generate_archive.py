"""Fill the archive with synthetic, published content for benchmarks.

``generate_archive --articles N [--seed S]`` adds N articles, N/5 people, 2N events
and 3N remote-only image records, each event and each person's one fact sourced to an
article that mentions them (as every claim of the real archive is), linked as an
archive about a few people is (a Zipf choice: a few people in thousands of articles,
most in a handful; ~3 people and ~5 events an article), in English, Japanese and
Chinese. Every key and slug starts with ``gen-<seed>-``, a prefix real content never
uses, so nothing clashes and ``--purge`` removes exactly the generated rows. Rows go
in with ``bulk_create`` (no ``save()``, so no revisions are recorded); the fields
``save()`` derives are filled the same way beforehand.
"""

from __future__ import annotations

import functools
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q

from archive.counting import bump_content_version
from archive.dates import edtf_range
from archive.languages import LANGUAGE_CODES, localized
from archive.models import (
    Article,
    Event,
    EventCitation,
    Image,
    Person,
    PersonFact,
    PersonFactCitation,
)
from archive.synthetic import TIMEZONES, FakerMissing, Writer, Zipf, spread

BATCH = 500
# Every generated key and slug starts with this; real keys never do.
PREFIX_PATTERN = r"^gen-[0-9]+-"
SYNTHETIC_HOST = "https://synthetic.invalid"
MODELS = (Article, Image, Event, Person)  # deletion order: links first
# Sources cite articles, which PROTECT them: removed before the articles.
SOURCES = (
    (EventCitation, "event__key"),
    (PersonFactCitation, "fact__person__key"),
)


def whole_number(value: str | None, option: str, minimum: int) -> int | None:
    """``value`` as an int ≥ ``minimum``; a one-line CommandError otherwise."""
    if value is None:
        return None
    if not re.fullmatch(r"\s*-?[0-9]+\s*", value) or int(value) < minimum:
        raise CommandError(
            f"{option} needs a whole number of at least {minimum}, not “{value}”."
        )
    return int(value)


def generated(model, prefix: str | None, key: str = "key"):
    """The rows of ``model`` this command made (with ``prefix``, or any seed's),
    found by ``key`` (the model's own, or the key of the item it belongs to)."""
    if prefix:
        return model._default_manager.filter(**{f"{key}__startswith": prefix})
    return model._default_manager.filter(**{f"{key}__regex": PREFIX_PATTERN})


class Command(BaseCommand):
    help = (
        "Add N published synthetic articles (with N/5 people, 2N events, 3N image "
        "records) for benchmarks, keyed gen-<seed>-…; --purge removes them."
    )

    def add_arguments(self, parser) -> None:
        # Strings, checked in handle(): a bad value is one line, not argparse's usage.
        parser.add_argument("--articles", help="How many articles (at least 1).")
        parser.add_argument(
            "--seed",
            help="Seed of the random choices (default 1); the same seed gives the "
            "same content. With --purge alone: remove only this seed's rows.",
        )
        parser.add_argument(
            "--purge",
            action="store_true",
            help="Remove generated rows (before generating, if --articles is given).",
        )

    def handle(self, *args, articles, seed, purge, **options) -> None:
        count = whole_number(articles, "--articles", 1)
        chosen_seed = whole_number(seed, "--seed", 0)
        if count is None and not purge:
            raise CommandError("Give --articles N (N ≥ 1), or --purge.")
        if purge:
            prefix = f"gen-{chosen_seed}-" if chosen_seed is not None else None
            self.purge(prefix)
        if count is not None:
            self.generate(count, chosen_seed if chosen_seed is not None else 1)
        bump_content_version()  # bulk_create sends no signal to the cached counts
        with connection.cursor() as cursor:
            # Fresh statistics for the query planner: SQLite has none until told,
            # and without them picks the status index for lookups by slug or person
            # (scanning every published article). PostgreSQL's autovacuum would get
            # there too, later.
            cursor.execute("ANALYZE")

    # -- purge -------------------------------------------------------------------
    @transaction.atomic
    def purge(self, prefix: str | None) -> None:
        """Delete the generated rows; their link rows go with them (cascade)."""
        removed = {}
        for model, key in (*SOURCES, *((model, "key") for model in MODELS)):
            _total, per_model = generated(model, prefix, key).delete()
            for label, number in per_model.items():
                removed[label] = removed.get(label, 0) + number
        summary = ", ".join(f"{n} {label}" for label, n in sorted(removed.items()))
        self.stdout.write(f"Removed {summary or 'nothing'}.")

    # -- generate ----------------------------------------------------------------
    def generate(self, count: int, seed: int) -> None:
        prefix = f"gen-{seed}-"
        self.refuse_clash(prefix)
        try:
            writer = Writer(seed)
        except FakerMissing as exc:
            raise CommandError(
                "generate_archive needs Faker (pip install -r requirements-dev.txt)"
            ) from exc
        started = time.monotonic()
        # EDTF parsing costs milliseconds a call; the dates repeat.
        self.ranges = functools.cache(edtf_range)
        with transaction.atomic():
            people = self.make_people(writer, prefix, max(1, count // 5))
            events = self.make_events(writer, prefix, 2 * count, people)
            self.first_mentions: dict[str, dict[int, tuple[int, str]]] = {
                "people": {},
                "events": {},
            }
            self.make_articles(writer, prefix, count, people, events)
            self.make_sources(writer)
        self.stdout.write(
            f"Generated {count} articles, {len(people)} people, {len(events)} events "
            f"and {3 * count} images, each event and person sourced "
            f"(keys {prefix}…) in "
            f"{time.monotonic() - started:.1f} s."
        )

    def refuse_clash(self, prefix: str) -> None:
        """Refuse a run whose keys or slugs are taken (this seed ran already, or
        an item took the reserved prefix): the inserts would fail midway."""
        for model in MODELS:
            taken = Q(key__startswith=prefix)
            if model.HAS_SLUG:
                for code in LANGUAGE_CODES:
                    taken |= Q(**{f"{localized('slug', code)}__startswith": prefix})
            if model._default_manager.filter(taken).exists():
                raise CommandError(
                    f"The archive already holds {model._meta.verbose_name_plural} "
                    f"keyed {prefix}…: run generate_archive --purge --seed "
                    f"{prefix.split('-')[1]} first, or choose another --seed."
                )

    def progress(self, label: str, done: int, total: int) -> None:
        """One line rewritten in place (carriage return), ended at the last step."""
        ending = "\n" if done >= total else ""
        self.stdout.write(f"\r{label}: {done}/{total}", ending=ending)
        self.stdout.flush()

    def bulk(self, label: str, objects: list, total: int, done: int) -> list:
        created = type(objects[0])._default_manager.bulk_create(objects, BATCH)
        self.progress(label, done + len(objects), total)
        return created

    @staticmethod
    def slugs(item, field: str, slug: str) -> None:
        """A slug in every language the item has a title in, as ``fill_slugs``
        gives, without its query a row: the prefix makes each one unique."""
        for code in LANGUAGE_CODES:
            if getattr(item, localized(field, code)):
                setattr(item, localized("slug", code), slug)

    def make_people(self, writer: Writer, prefix: str, total: int) -> list[int]:
        ids: list[int] = []
        for start in range(0, total, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, total)):
                language = writer.language()
                name, sort_name = writer.name(language)
                person = Person(
                    key=f"{prefix}p{i}",
                    original_language=language,
                    sort_name=sort_name,
                )
                setattr(person, localized("name", language), name)
                setattr(person, localized("bio", language), writer.paragraph(language))
                if language != "en":
                    person.name_en = " ".join(reversed(sort_name.split(", ")))
                self.slugs(person, "name", f"{prefix}p{i}")
                batch.append(person)
            ids += [p.pk for p in self.bulk("People", batch, total, start)]
        return ids

    def make_events(
        self, writer: Writer, prefix: str, total: int, people: list[int]
    ) -> list[int]:
        zipf = Zipf(len(people), writer.random)
        categories = [value for value, _label in Event.Category.choices]
        through = Event.people.through
        ids: list[int] = []
        for start in range(0, total, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, total)):
                language = writer.language()
                event = Event(
                    key=f"{prefix}e{i}",
                    original_language=language,
                    date=writer.edtf(),
                    category=writer.random.choice(categories),
                )
                for code in dict.fromkeys([language, "en"] if i % 2 else [language]):
                    setattr(event, localized("title", code), writer.title(code))
                    setattr(
                        event, localized("description", code), writer.paragraph(code)
                    )
                self.slugs(event, "title", f"{prefix}e{i}")
                dates = self.ranges(event.date)
                event.date_start, event.date_end = dates.start, dates.end
                batch.append(event)
            created = self.bulk("Events", batch, total, start)
            through.objects.bulk_create(
                [
                    through(event_id=event.pk, person_id=people[index])
                    for event in created
                    for index in zipf.distinct(writer.random.randint(1, 2))
                ],
                BATCH,
            )
            ids += [event.pk for event in created]
        return ids

    def make_articles(
        self,
        writer: Writer,
        prefix: str,
        total: int,
        people: list[int],
        events: list[int],
    ) -> None:
        zipf = Zipf(len(people), writer.random)
        for start in range(0, total, BATCH):
            batch = [
                self.article(writer, prefix, i)
                for i in range(start, min(start + BATCH, total))
            ]
            created = self.bulk("Articles", batch, total, start)
            self.attach(writer, prefix, start, created, zipf, people, events)

    def article(self, writer: Writer, prefix: str, i: int) -> Article:
        language = LANGUAGE_CODES[i % len(LANGUAGE_CODES)]
        article = Article(
            key=f"{prefix}a{i}",
            original_language=language,
            original_url=f"{SYNTHETIC_HOST}/{prefix}a{i}",
            published_at=writer.moment(),
            published_timezone=TIMEZONES.get(language, ""),
            status=Article.Status.PUBLISHED,
        )
        languages = [language]
        if writer.random.random() < 0.5:  # half are translated into one more language
            languages.append(
                writer.random.choice([c for c in LANGUAGE_CODES if c != language])
            )
        for code in languages:
            setattr(article, localized("title", code), writer.title(code))
            setattr(article, localized("summary", code), writer.paragraph(code))
            setattr(article, localized("body", code), writer.body(code))
        setattr(article, localized("publisher", language), writer.company(language))
        setattr(article, localized("author", language), writer.name(language)[0])
        self.slugs(article, "title", f"{prefix}a{i}")
        article.derive_fields()
        return article

    def attach(
        self,
        writer: Writer,
        prefix: str,
        start: int,
        articles: list[Article],
        zipf: Zipf,
        people: list[int],
        events: list[int],
    ) -> None:
        """Each article's three image records and its links to people and events."""
        images, with_people, with_events = [], [], []
        for number, article in enumerate(articles, start):
            for position in range(3):
                images.append(self.image(writer, prefix, article, number, position))
            mention = (article.pk, article.original_language)
            for index in zipf.distinct(writer.random.randint(2, 4)):
                with_people.append((article.pk, people[index]))
                self.first_mentions["people"].setdefault(people[index], mention)
            for event_id in spread(writer.random, events, writer.random.randint(4, 6)):
                with_events.append((article.pk, event_id))
                self.first_mentions["events"].setdefault(event_id, mention)
        # The cover is each article's first image. Set from the ids bulk_create
        # returns: a correlated UPDATE over fresh, unanalysed tables is slow on
        # PostgreSQL.
        for image in Image.objects.bulk_create(images, BATCH):
            if image.position == 0:
                image.article.cover_image_id = image.pk
        Article.objects.bulk_update(articles, ["cover_image"], BATCH)
        people_through = Article.people.through
        people_through.objects.bulk_create(
            [people_through(article_id=a, person_id=p) for a, p in with_people], BATCH
        )
        events_through = Article.events.through
        events_through.objects.bulk_create(
            [events_through(article_id=a, event_id=e) for a, e in with_events], BATCH
        )

    def make_sources(self, writer: Writer) -> None:
        """Each event cited to the first article that mentions it; each person so
        mentioned given one dated affiliation, cited the same way. The quotes are
        sentences in the article's language (synthetic, like its body)."""
        events = self.first_mentions["events"]
        EventCitation.objects.bulk_create(
            [
                EventCitation(
                    event_id=event_id,
                    article_id=article_id,
                    quote=writer.sentence(language),
                )
                for event_id, (article_id, language) in sorted(events.items())
            ],
            BATCH,
        )
        mentioned = sorted(self.first_mentions["people"].items())
        facts = []
        for person_id, (_article_id, language) in mentioned:
            fact = PersonFact(
                person_id=person_id,
                kind=PersonFact.Kind.AFFILIATION,
                original_language=language,
                date=writer.edtf(1990, 2025),
            )
            setattr(fact, localized("statement", language), writer.company(language))
            dates = self.ranges(fact.date)
            fact.date_start, fact.date_end = dates.start, dates.end
            facts.append(fact)
        facts = PersonFact.objects.bulk_create(facts, BATCH)
        PersonFactCitation.objects.bulk_create(
            [
                PersonFactCitation(
                    fact_id=fact.pk,
                    article_id=article_id,
                    quote=writer.sentence(language),
                )
                for fact, (_person_id, (article_id, language)) in zip(
                    facts, mentioned, strict=True
                )
            ],
            BATCH,
        )

    @staticmethod
    def image(
        writer: Writer, prefix: str, article: Article, number: int, position: int
    ) -> Image:
        key = f"{prefix}i{3 * number + position}"
        language = article.original_language
        image = Image(
            key=key,
            original_language=language,
            source_url=f"{SYNTHETIC_HOST}/{key}.jpg",
            article=article,
            position=position,
        )
        setattr(image, localized("title", language), writer.title(language))
        roll = writer.random.random()
        if roll < 0.8:
            setattr(image, localized("alt_text", language), writer.sentence(language))
            setattr(image, localized("caption", language), writer.sentence(language))
        elif roll < 0.9:
            image.decorative = True
        else:
            image.description_pending = True
        image.derive_fields()
        return image
