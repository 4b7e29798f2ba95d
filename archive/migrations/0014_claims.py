"""Claims with their sources: citations of events, a person's facts (issue 8).

A person's birth date becomes a fact (kind "born") so that it carries its sources
like every other fact; the fixture gives those sources. The Editor and Translator
roles get the new models' permissions, as 0010 gave the others.
"""

import django.db.models.deletion
from django.db import migrations, models

import archive.dates
import archive.languages
import archive.models.claims
from archive.dates import edtf_range

NEW_MODELS = ("personfact", "personfactcitation", "eventcitation")
BORN = {"en": "Born", "ja": "誕生", "zh_hans": "出生"}


def births_to_facts(apps, schema_editor):
    Person = apps.get_model("archive", "Person")
    PersonFact = apps.get_model("archive", "PersonFact")
    for person in Person.objects.exclude(birth_date=""):
        dates = edtf_range(person.birth_date)
        PersonFact.objects.create(
            person=person,
            kind="born",
            position=0,
            date=person.birth_date,
            date_start=dates.start,
            date_end=dates.end,
            original_language="en",
            text_origin=person.text_origin,
            text_author=person.text_author,
            statement=BORN["en"],
            **{f"statement_{code}": text for code, text in BORN.items()},
        )


def facts_to_births(apps, schema_editor):
    PersonFact = apps.get_model("archive", "PersonFact")
    for fact in PersonFact.objects.filter(kind="born").select_related("person"):
        fact.person.birth_date = fact.date
        fact.person.birth_sort = fact.date_start
        fact.person.save(update_fields=["birth_date", "birth_sort"])


def grant_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    using = schema_editor.connection.alias
    app_config = apps.get_app_config("archive")
    lent = not getattr(app_config, "models_module", None)
    if lent:
        app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    finally:
        if lent:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    actions = {
        "Editor": ("view", "add", "change", "delete"),
        "Translator": ("view", "change"),
    }
    for name, verbs in actions.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is None:
            continue
        codenames = [f"{verb}_{model}" for model in NEW_MODELS for verb in verbs]
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label="archive", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0013_dates_undated"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="personlink",
            name="source",
            field=models.ForeignKey(
                blank=True,
                help_text="The article that gives this link; empty when the archive added it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="archive.article",
                verbose_name="source",
            ),
        ),
        migrations.CreateModel(
            name="PersonFact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="created"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated"),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="position"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("born", "Born"),
                            ("affiliation", "Affiliation"),
                            ("education", "Education"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "statement",
                    models.CharField(
                        blank=True,
                        help_text="The fact in the archive's words, e.g. “Researcher at OpenAI”.",
                        max_length=500,
                        verbose_name="statement",
                    ),
                ),
                (
                    "statement_en",
                    models.CharField(
                        blank=True,
                        help_text="The fact in the archive's words, e.g. “Researcher at OpenAI”.",
                        max_length=500,
                        null=True,
                        verbose_name="statement",
                    ),
                ),
                (
                    "statement_ja",
                    models.CharField(
                        blank=True,
                        help_text="The fact in the archive's words, e.g. “Researcher at OpenAI”.",
                        max_length=500,
                        null=True,
                        verbose_name="statement",
                    ),
                ),
                (
                    "statement_zh_hans",
                    models.CharField(
                        blank=True,
                        help_text="The fact in the archive's words, e.g. “Researcher at OpenAI”.",
                        max_length=500,
                        null=True,
                        verbose_name="statement",
                    ),
                ),
                (
                    "date",
                    models.CharField(
                        blank=True,
                        help_text="When the fact held, as precise as the source: 1993-04, 2011/2016, 2021-05 (as of that month). Empty if the sources give no date.",
                        max_length=50,
                        validators=[archive.dates.validate_edtf],
                        verbose_name="date (EDTF)",
                    ),
                ),
                (
                    "date_start",
                    models.DateField(
                        editable=False, null=True, verbose_name="earliest day"
                    ),
                ),
                (
                    "date_end",
                    models.DateField(
                        editable=False, null=True, verbose_name="latest day"
                    ),
                ),
                (
                    "original_language",
                    models.CharField(
                        choices=archive.languages.language_choices,
                        default="en",
                        help_text="The language the statement was first written in.",
                        max_length=10,
                        verbose_name="original language",
                    ),
                ),
                (
                    "text_origin",
                    models.CharField(
                        choices=[
                            ("editors", "Written by the archive's editors"),
                            (
                                "ai",
                                "Written for the archive by an AI model, not yet reviewed by a person",
                            ),
                            (
                                "ai-reviewed",
                                "Written for the archive by an AI model and reviewed by an editor",
                            ),
                        ],
                        default="editors",
                        max_length=20,
                        verbose_name="origin of the archive's text",
                    ),
                ),
                (
                    "text_author",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="written by"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="facts",
                        to="archive.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "fact",
                "verbose_name_plural": "facts",
                "ordering": ["person", "position", "pk"],
            },
            bases=(archive.models.claims.SourcedMixin, models.Model),
        ),
        migrations.CreateModel(
            name="PersonFactCitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="position"
                    ),
                ),
                (
                    "locator",
                    models.CharField(
                        blank=True,
                        help_text="The heading the passage stands under, verbatim as the source gives it; empty for the text before the first heading.",
                        max_length=300,
                        verbose_name="heading",
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        help_text="A short passage, verbatim, in the source's language.",
                        verbose_name="quote",
                    ),
                ),
                (
                    "reading",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_en",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_ja",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_zh_hans",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="archive.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "fact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="archive.personfact",
                        verbose_name="fact",
                    ),
                ),
            ],
            options={
                "verbose_name": "source of the fact",
                "verbose_name_plural": "sources of the fact",
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="EventCitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="position"
                    ),
                ),
                (
                    "locator",
                    models.CharField(
                        blank=True,
                        help_text="The heading the passage stands under, verbatim as the source gives it; empty for the text before the first heading.",
                        max_length=300,
                        verbose_name="heading",
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        help_text="A short passage, verbatim, in the source's language.",
                        verbose_name="quote",
                    ),
                ),
                (
                    "reading",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_en",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_ja",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "reading_zh_hans",
                    models.TextField(
                        blank=True,
                        help_text="What this source says, in the archive's words: fill it in when the sources differ, so that each reading stays visible with its source.",
                        null=True,
                        verbose_name="reading",
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="archive.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="archive.event",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "source of the event",
                "verbose_name_plural": "sources of the event",
                "ordering": ["position", "pk"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "position"),
                        name="eventcitation_unique_position",
                        violation_error_message="Two sources cannot share a position.",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="personfact",
            constraint=models.UniqueConstraint(
                fields=("person", "position"),
                name="personfact_unique_position",
                violation_error_message="Two facts cannot share a position.",
            ),
        ),
        migrations.AddConstraint(
            model_name="personfactcitation",
            constraint=models.UniqueConstraint(
                fields=("fact", "position"),
                name="personfactcitation_unique_position",
                violation_error_message="Two sources cannot share a position.",
            ),
        ),
        migrations.RunPython(births_to_facts, facts_to_births),
        migrations.RemoveField(
            model_name="person",
            name="birth_date",
        ),
        migrations.RemoveField(
            model_name="person",
            name="birth_sort",
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
