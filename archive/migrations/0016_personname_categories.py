"""The name authority (PersonName), event categories that fit, and the roles' rights.

"Publication" labelled both papers and a news outlet's profile (論文発表 on a news
article): it becomes "paper", and the two events about reports in the media become
"media", in the events and in their stored revisions (backwards, both become
"publication"). The Editor and Translator groups get PersonName as they have
PersonLink.
"""

import json

from django.contrib.auth.management import create_permissions

import archive.languages
import archive.models.person_names
import django.db.models.deletion
from django.db import migrations, models


MEDIA_EVENTS = ("synced-profile-published", "techcrunch-subpoena-report")
NAME_PERMISSIONS = {
    "Editor": [f"{action}_personname" for action in ("view", "add", "change", "delete")],
    "Translator": ["view_personname", "change_personname"],
}


def recategorise(apps, schema_editor, *, category, media) -> None:
    """Set the category of the events that were "publication" (or, backwards,
    "paper"/"media"), and of their stored revisions, so that restoring an old
    version never brings back a category that no longer exists."""
    using = schema_editor.connection.alias
    Event = apps.get_model("archive", "Event")
    events = Event.objects.using(using)
    old = ("publication",) if media else ("paper", "media")
    events.filter(category__in=old).update(category=category)
    if media:
        events.filter(key__in=MEDIA_EVENTS).update(category="media")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    kind = ContentType.objects.using(using).filter(app_label="archive", model="event")
    versions = Version.objects.using(using).filter(
        content_type__in=kind, format="json"
    )
    for version in versions.iterator():
        rows = json.loads(version.serialized_data)
        changed = False
        for row in rows:
            fields = row.get("fields", {})
            if fields.get("category") in old or (
                media and fields.get("key") in MEDIA_EVENTS
            ):
                in_media = media and fields.get("key") in MEDIA_EVENTS
                fields["category"] = "media" if in_media else category
                changed = True
        if changed:
            version.serialized_data = json.dumps(rows)
            version.save(update_fields=["serialized_data"])


def split_publication(apps, schema_editor):
    recategorise(apps, schema_editor, category="paper", media=True)


def join_publication(apps, schema_editor):
    recategorise(apps, schema_editor, category="publication", media=False)


def grant_name_permissions(apps, schema_editor):
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("archive")
    lent = not getattr(app_config, "models_module", None)
    if lent:  # as in 0010_roles_groups: historical app configs have no models module
        app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    finally:
        if lent:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.using(using).filter(name__in=NAME_PERMISSIONS):
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label="archive",
                codename__in=NAME_PERMISSIONS[group.name],
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0015_provenance_rights'),
        ('archive', '0010_roles_groups'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
    ]

    operations = [
        migrations.AlterField(
            model_name='articletranslation',
            name='notes_language',
            field=models.CharField(choices=archive.languages.language_choices, default='en', help_text="The language the translator's name and the notes are written in: pages in other languages mark them as such.", max_length=10, verbose_name='language of the notes'),
        ),
        migrations.AlterField(
            model_name='event',
            name='category',
            field=models.CharField(choices=[('life', 'Life'), ('education', 'Education'), ('company', 'Company'), ('career', 'Career'), ('research', 'Research'), ('paper', 'Paper'), ('media', 'Media coverage'), ('recognition', 'Recognition'), ('other', 'Other')], default='other', max_length=20, verbose_name='category'),
        ),
        migrations.CreateModel(
            name='PersonName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='name')),
                ('language', models.CharField(help_text='BCP 47: ja, zh-Hans, en, or und-Latn when only the script is known.', max_length=35, validators=[archive.models.person_names.validate_language_tag], verbose_name='language tag')),
                ('kind', models.CharField(choices=[('alternative', 'Alternative name'), ('former', 'Former name'), ('transliteration', 'Transliteration'), ('as-written', 'As written in a source')], default='alternative', max_length=20, verbose_name='kind')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alternative_names', to='archive.person', verbose_name='person')),
                ('source', models.ForeignKey(blank=True, help_text='The article that writes the name this way, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='archive.article', verbose_name='source article')),
            ],
            options={
                'verbose_name': 'other name',
                'verbose_name_plural': 'other names',
                'ordering': ['person', 'language', 'name'],
                'constraints': [models.UniqueConstraint(fields=('person', 'name', 'language'), name='personname_unique_name', violation_error_message='This person already has this name in this language.')],
            },
        ),
        migrations.RunPython(split_publication, join_publication),
        migrations.RunPython(grant_name_permissions, migrations.RunPython.noop),
    ]
