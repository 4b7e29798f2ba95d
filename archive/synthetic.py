"""Synthetic archive content for benchmarks: text, dates and links, from a seed.

Used only by ``generate_archive``. Text comes from Faker's ``en_US``, ``ja_JP`` and
``zh_CN`` locales (real scripts, not Latin placeholders); Faker is a development
dependency, so it is imported when a ``Writer`` is built, never at module import.
Long texts are assembled from a pool of paragraphs drawn once per run: drawing each
5 KB body word by word would cost most of the run.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Sequence

from archive.languages import LANGUAGE_CODES

# Faker locale of each archive language (``settings.LANGUAGES``).
FAKER_LOCALES = {"en": "en_US", "ja": "ja_JP", "zh-hans": "zh_CN"}
# The zone a source in each language gives its time in.
TIMEZONES = {"en": "Europe/London", "ja": "Asia/Tokyo", "zh-hans": "Asia/Shanghai"}
BODY_BYTES = 5000
PARAGRAPH_POOL = 300
TITLE_POOL = 600
DATE_POOL = 400


class FakerMissing(ImportError):
    """Faker (a development dependency) is not installed."""


class Writer:
    """Deterministic text, EDTF dates and choices for one seed."""

    def __init__(self, seed: int) -> None:
        try:
            from faker import Faker
        except ImportError as exc:
            raise FakerMissing(str(exc)) from exc
        self.random = random.Random(seed)
        self.date_pools: dict[tuple[int, int], list[str]] = {}
        self.fakers = {}
        for code in LANGUAGE_CODES:
            faker = Faker(FAKER_LOCALES.get(code, "en_US"))
            faker.seed_instance(seed)
            self.fakers[code] = faker
        self.paragraphs = {
            code: [faker.paragraph(nb_sentences=6) for _ in range(PARAGRAPH_POOL)]
            for code, faker in self.fakers.items()
        }
        self.titles = {
            code: [
                faker.sentence(nb_words=6).rstrip(".。．") for _ in range(TITLE_POOL)
            ]
            for code, faker in self.fakers.items()
        }

    def language(self) -> str:
        return self.random.choice(LANGUAGE_CODES)

    def title(self, language: str) -> str:
        return self.random.choice(self.titles[language])[:290]

    def sentence(self, language: str) -> str:
        return self.random.choice(self.paragraphs[language]).split(".")[0][:450]

    def paragraph(self, language: str) -> str:
        return self.random.choice(self.paragraphs[language])

    def body(self, language: str) -> str:
        """About ``BODY_BYTES`` of Markdown: headings, paragraphs, a list, a quote."""
        parts: list[str] = []
        size = 0
        while size < BODY_BYTES:
            roll = self.random.random()
            if roll < 0.12:
                part = f"## {self.title(language)}"
            elif roll < 0.2:
                part = "\n".join(f"- {self.sentence(language)}" for _ in range(3))
            elif roll < 0.25:
                part = f"> {self.paragraph(language)}"
            else:
                part = self.paragraph(language)
            parts.append(part)
            size += len(part.encode()) + 2
        return "\n\n".join(parts)

    def name(self, language: str) -> tuple[str, str]:
        """A name in the language's script and its Latin sort name."""
        faker = self.fakers[language]
        if language == "en":
            first, last = faker.first_name(), faker.last_name()
            return f"{first} {last}", f"{last}, {first}"
        last, first = faker.last_name(), faker.first_name()
        sort_name = f"{faker.last_romanized_name()}, {faker.first_romanized_name()}"
        return f"{last} {first}", sort_name

    def company(self, language: str) -> str:
        return self.fakers[language].company()[:190]

    def edtf(self, earliest: int = 1950, latest: int = 2025) -> str:
        """An EDTF value of mixed precision: year, month, day, approximate, interval.

        Drawn from a pool of ``DATE_POOL`` values per range: archives repeat dates,
        and each distinct value costs an EDTF parse (milliseconds) when derived.
        """
        pool = self.date_pools.get((earliest, latest))
        if pool is None:
            pool = [self.new_edtf(earliest, latest) for _ in range(DATE_POOL)]
            self.date_pools[earliest, latest] = pool
        return self.random.choice(pool)

    def new_edtf(self, earliest: int, latest: int) -> str:
        year = self.random.randint(earliest, latest)
        month = self.random.randint(1, 12)
        roll = self.random.random()
        if roll < 0.25:
            return f"{year}"
        if roll < 0.5:
            return f"{year}-{month:02d}"
        if roll < 0.75:
            return f"{year}-{month:02d}-{self.random.randint(1, 28):02d}"
        if roll < 0.88:
            return f"{year}-{month:02d}~"
        return f"{year}/{year + self.random.randint(1, 6)}"

    def moment(self) -> datetime.datetime:
        """A publication time between 2000 and 2025, in UTC."""
        start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        return start + datetime.timedelta(seconds=self.random.randrange(788_000_000))


class Zipf:
    """Draws indexes 0…n-1 with weight 1/rank: a few very often, most rarely.

    At 2,000 people and 30,000 article links the first person gets about 3,700
    articles, the tenth about 370, most a handful: an archive about a few people.
    """

    def __init__(self, n: int, rng: random.Random) -> None:
        self.n = n
        self.random = rng
        self.cumulative = list(
            itertools.accumulate(1 / rank for rank in range(1, n + 1))
        )

    def distinct(self, k: int) -> list[int]:
        """``k`` different indexes (fewer if there are fewer than ``k``)."""
        chosen: list[int] = []
        total = self.cumulative[-1]
        while len(chosen) < min(k, self.n):
            index = bisect.bisect(self.cumulative, self.random.random() * total)
            index = min(index, self.n - 1)
            if index not in chosen:
                chosen.append(index)
        return chosen


def spread(rng: random.Random, population: Sequence[int], k: int) -> list[int]:
    """``k`` different members of ``population``, uniformly."""
    return rng.sample(population, min(k, len(population)))
