"""export_archive: what dumpdata cannot order, read back by loaddata."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from archive.models import Person
from tests.factories import make_article, make_image, make_person, make_person_link

pytestmark = pytest.mark.django_db


def test_children_follow_the_parents_their_natural_keys_need(capsys):
    person = make_person(key="alec")
    make_person_link(person, url="https://example.org/alec")
    article = make_article(key="a")
    cover = make_image(
        key="cover", article=article, position=0, source_url="https://e.org/c.png"
    )
    article.cover_image = cover  # Article ↔ Image: the cycle dumpdata cannot sort
    article.save()
    call_command("export_archive")
    objects = json.loads(capsys.readouterr().out)
    models = [obj["model"] for obj in objects]
    assert models.index("archive.person") < models.index("archive.personlink")
    assert all("pk" not in obj for obj in objects)
    link = objects[models.index("archive.personlink")]
    assert link["fields"]["person"] == ["alec"]


def test_output_into_a_missing_folder_is_one_clear_line(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        call_command("export_archive", output=tmp_path / "nope" / "x.json")
    assert not Person.objects.exists()


def test_the_export_does_not_depend_on_the_active_language(capsys):
    make_article(key="a", original_language="en", title_en="Title", title_ja="題名")
    call_command("export_archive")
    in_default = capsys.readouterr().out
    with translation.override("ja"):
        call_command("export_archive")
    assert capsys.readouterr().out == in_default
    title = json.loads(in_default)[0]["fields"]["title"]
    assert title == "Title"  # modeltranslation's untranslated column: the default
