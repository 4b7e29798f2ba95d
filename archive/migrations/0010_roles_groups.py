"""The Editor and Translator roles: two groups with exactly their permissions.

Custom ``Meta.permissions`` rows are normally made by ``post_migrate``, after every
migration has run, so on a fresh database they do not exist yet when this runs:
``create_permissions`` makes them (and the content types) first, from this
migration's model state. Running it again sets the same permissions (a group an
administrator edited is put back to its role); reversing it deletes the two groups.
Neither role holds an ``auth`` permission: superusers alone manage accounts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = (
    "article",
    "articletranslation",
    "reference",
    "person",
    "personlink",
    "event",
    "image",
)
TRANSLATED_MODELS = ("article", "person", "event", "image")

ROLES = {
    "Editor": [
        *(
            f"{action}_{model}"
            for model in CONTENT_MODELS
            for action in ("view", "add", "change", "delete")
        ),
        *(f"change_original_{model}" for model in TRANSLATED_MODELS),
        "publish_article",
    ],
    "Translator": [
        *(f"{action}_{model}" for model in CONTENT_MODELS for action in ("view", "change")),
        "add_articletranslation",
        "delete_articletranslation",
    ],
}


def create_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("archive")
    # Historical app configs have no models module, which create_permissions
    # takes to mean "no models": lend it one for the call.
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
    for name, codenames in ROLES.items():
        permissions = Permission.objects.using(using).filter(
            content_type__app_label="archive", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def delete_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=ROLES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_language_choices_from_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "key"],
                "permissions": [
                    (
                        "change_original_article",
                        "Can change the original text, key, sources and status",
                    ),
                    ("publish_article", "Can publish and unpublish articles"),
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["date_start", "date_end", "key"],
                "permissions": [
                    (
                        "change_original_event",
                        "Can change the original text, key, sources and status",
                    )
                ],
                "verbose_name": "event",
                "verbose_name_plural": "events",
            },
        ),
        migrations.AlterModelOptions(
            name="image",
            options={
                "ordering": ["article_id", "position", "key"],
                "permissions": [
                    (
                        "change_original_image",
                        "Can change the original text, key, sources and status",
                    )
                ],
                "verbose_name": "image",
                "verbose_name_plural": "images",
            },
        ),
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["sort_name", "key"],
                "permissions": [
                    (
                        "change_original_person",
                        "Can change the original text, key, sources and status",
                    )
                ],
                "verbose_name": "person",
                "verbose_name_plural": "people",
            },
        ),
        migrations.RunPython(create_roles, delete_roles),
    ]
