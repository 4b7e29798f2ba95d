"""Issue 8: provenance says "not stated" when the source is silent; rights.

The place WeChat shows (发布地) becomes ``posting_location`` and an image's free
``rights`` text its ``rights_note`` (renamed: the data stays). The AI-generated and
machine-translated flags become yes / no / unknown: a "no" that no source stated
(anything but a front matter's ``generated`` / ``translated``) becomes unknown.
Articles and images get a rights statement, "Copyright Not Evaluated" by default.
"""

from django.db import migrations, models

LANGUAGE_SUFFIXES = ("", "_en", "_ja", "_zh_hans")
# The source metadata key a WeChat header's 发布地 is stored under.
OLD_KEY, NEW_KEY = "place", "posting_location"
FLAGS = (("ai_generated", "generated"), ("machine_translated", "translated"))


def flags_from_sources(apps, schema_editor):
    Article = apps.get_model("archive", "Article")
    for article in Article.objects.all():
        meta = article.source_metadata or {}
        front_matter = article.source_format == "front-matter"
        for field, key in FLAGS:
            if front_matter and key in meta:
                setattr(article, field, bool(meta[key]))
            elif getattr(article, field) is False:
                setattr(article, field, None)
        if article.source_format == "wechat" and OLD_KEY in meta:
            article.source_metadata = {
                (NEW_KEY if k == OLD_KEY else k): v for k, v in meta.items()
            }
        article.save(
            update_fields=["ai_generated", "machine_translated", "source_metadata"]
        )


def flags_back(apps, schema_editor):
    Article = apps.get_model("archive", "Article")
    for article in Article.objects.all():
        meta = article.source_metadata or {}
        for field, _key in FLAGS:
            if getattr(article, field) is None:
                setattr(article, field, False)
        if article.source_format == "wechat" and NEW_KEY in meta:
            article.source_metadata = {
                (OLD_KEY if k == NEW_KEY else k): v for k, v in meta.items()
            }
        article.save(
            update_fields=["ai_generated", "machine_translated", "source_metadata"]
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0014_claims")]

    operations = [
        *(
            migrations.RenameField("article", f"place{s}", f"posting_location{s}")
            for s in LANGUAGE_SUFFIXES
        ),
        *(
            migrations.RenameField("image", f"rights{s}", f"rights_note{s}")
            for s in LANGUAGE_SUFFIXES
        ),
        migrations.AddField(
            model_name="article",
            name="permission_note",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="permission_note_en",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="permission_note_ja",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="permission_note_zh_hans",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="rights_note",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                verbose_name="rights note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="rights_note_en",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="rights_note_ja",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="rights_note_zh_hans",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="rights_statement",
            field=models.CharField(
                choices=[
                    ("http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"),
                    (
                        "http://rightsstatements.org/vocab/InC-OW-EU/1.0/",
                        "In Copyright - EU Orphan Work",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
                        "In Copyright - Educational Use Permitted",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-NC/1.0/",
                        "In Copyright - Non-Commercial Use Permitted",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-RUU/1.0/",
                        "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
                        "No Copyright - Contractual Restrictions",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-NC/1.0/",
                        "No Copyright - Non-Commercial Use Only",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
                        "No Copyright - Other Known Legal Restrictions",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-US/1.0/",
                        "No Copyright - United States",
                    ),
                    (
                        "http://rightsstatements.org/vocab/CNE/1.0/",
                        "Copyright Not Evaluated",
                    ),
                    (
                        "http://rightsstatements.org/vocab/UND/1.0/",
                        "Copyright Undetermined",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NKC/1.0/",
                        "No Known Copyright",
                    ),
                ],
                default="http://rightsstatements.org/vocab/CNE/1.0/",
                help_text="One of the rightsstatements.org statements. “Copyright Not Evaluated” until someone has looked into it.",
                max_length=100,
                verbose_name="rights statement",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="source_rights_notice",
            field=models.TextField(
                blank=True,
                help_text="The source's own rights or reprint notice, verbatim, in its language.",
                verbose_name="rights notice in the source",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="permission_note",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="permission_note_en",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="permission_note_ja",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="permission_note_zh_hans",
            field=models.TextField(
                blank=True,
                help_text="Who granted the archive what permission, when and how. Empty: no permission is recorded.",
                null=True,
                verbose_name="permission note",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="rights_statement",
            field=models.CharField(
                choices=[
                    ("http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"),
                    (
                        "http://rightsstatements.org/vocab/InC-OW-EU/1.0/",
                        "In Copyright - EU Orphan Work",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
                        "In Copyright - Educational Use Permitted",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-NC/1.0/",
                        "In Copyright - Non-Commercial Use Permitted",
                    ),
                    (
                        "http://rightsstatements.org/vocab/InC-RUU/1.0/",
                        "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
                        "No Copyright - Contractual Restrictions",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-NC/1.0/",
                        "No Copyright - Non-Commercial Use Only",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
                        "No Copyright - Other Known Legal Restrictions",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NoC-US/1.0/",
                        "No Copyright - United States",
                    ),
                    (
                        "http://rightsstatements.org/vocab/CNE/1.0/",
                        "Copyright Not Evaluated",
                    ),
                    (
                        "http://rightsstatements.org/vocab/UND/1.0/",
                        "Copyright Undetermined",
                    ),
                    (
                        "http://rightsstatements.org/vocab/NKC/1.0/",
                        "No Known Copyright",
                    ),
                ],
                default="http://rightsstatements.org/vocab/CNE/1.0/",
                help_text="One of the rightsstatements.org statements. “Copyright Not Evaluated” until someone has looked into it.",
                max_length=100,
                verbose_name="rights statement",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="ai_generated",
            field=models.BooleanField(
                blank=True,
                default=None,
                help_text="As the source states it; unknown when it does not.",
                null=True,
                verbose_name="AI-generated",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="machine_translated",
            field=models.BooleanField(
                blank=True,
                default=None,
                help_text="As the source states it; unknown when it does not.",
                null=True,
                verbose_name="machine-translated",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="posting_location",
            field=models.CharField(
                blank=True,
                help_text="The place a platform displays with the post (WeChat's 发布地), not where the publisher is.",
                max_length=200,
                verbose_name="posting location (as shown by the platform)",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="posting_location_en",
            field=models.CharField(
                blank=True,
                help_text="The place a platform displays with the post (WeChat's 发布地), not where the publisher is.",
                max_length=200,
                null=True,
                verbose_name="posting location (as shown by the platform)",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="posting_location_ja",
            field=models.CharField(
                blank=True,
                help_text="The place a platform displays with the post (WeChat's 发布地), not where the publisher is.",
                max_length=200,
                null=True,
                verbose_name="posting location (as shown by the platform)",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="posting_location_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="The place a platform displays with the post (WeChat's 发布地), not where the publisher is.",
                max_length=200,
                null=True,
                verbose_name="posting location (as shown by the platform)",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="subtitle",
            field=models.CharField(
                blank=True,
                help_text="As the source gives it, and only then: the archive's own description goes in the summary.",
                max_length=500,
                verbose_name="subtitle",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="subtitle_en",
            field=models.CharField(
                blank=True,
                help_text="As the source gives it, and only then: the archive's own description goes in the summary.",
                max_length=500,
                null=True,
                verbose_name="subtitle",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="subtitle_ja",
            field=models.CharField(
                blank=True,
                help_text="As the source gives it, and only then: the archive's own description goes in the summary.",
                max_length=500,
                null=True,
                verbose_name="subtitle",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="subtitle_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="As the source gives it, and only then: the archive's own description goes in the summary.",
                max_length=500,
                null=True,
                verbose_name="subtitle",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit",
            field=models.CharField(
                blank=True,
                help_text="Only what the source says of the image's origin (e.g. “From the Synced article”), never a guessed author.",
                max_length=300,
                verbose_name="credit",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit_en",
            field=models.CharField(
                blank=True,
                help_text="Only what the source says of the image's origin (e.g. “From the Synced article”), never a guessed author.",
                max_length=300,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit_ja",
            field=models.CharField(
                blank=True,
                help_text="Only what the source says of the image's origin (e.g. “From the Synced article”), never a guessed author.",
                max_length=300,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Only what the source says of the image's origin (e.g. “From the Synced article”), never a guessed author.",
                max_length=300,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="rights_note",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                verbose_name="rights note",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="rights_note_en",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="rights_note_ja",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="rights_note_zh_hans",
            field=models.TextField(
                blank=True,
                help_text="What is known about the rights, and from where: e.g. the source's own notice, or why the statement was chosen.",
                null=True,
                verbose_name="rights note",
            ),
        ),
        migrations.RunPython(flags_from_sources, flags_back),
    ]
