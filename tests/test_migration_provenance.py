"""Migration 0015 on existing rows: the place and an image's rights text are
renamed with their data; a "no" no source stated becomes "not stated"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("archive", "0013_dates_undated")]
AFTER = [("archive", "0015_provenance_rights")]
NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_keep_their_data_and_lose_invented_answers():
    old = migrate(BEFORE)
    Article = old.get_model("archive", "Article")
    Image = old.get_model("archive", "Image")
    wechat = Article.objects.create(
        key="wechat",
        original_language="zh-hans",
        title_zh_hans="标题",
        body_zh_hans="正文",
        place_zh_hans="四川",
        place_en="Sichuan",
        source_format="wechat",
        source_metadata={"author": "机器之心", "place": "四川"},
        ai_generated=False,
        machine_translated=False,
    )
    note = Article.objects.create(
        key="note",
        original_language="ja",
        source_format="front-matter",
        source_metadata={"generated": True, "translated": False, "place": "東京"},
        ai_generated=True,
        machine_translated=False,
    )
    by_hand = Article.objects.create(
        key="by-hand", original_language="en", ai_generated=True
    )
    Image.objects.create(
        key="shot",
        original_language="zh-hans",
        source_url="https://example.org/a.png",
        rights_zh_hans="转载请联系本公众号获得授权",
        description_pending=True,
    )

    new = migrate(AFTER)
    Article = new.get_model("archive", "Article")
    Image = new.get_model("archive", "Image")
    wechat = Article.objects.get(key="wechat")
    assert (wechat.posting_location_zh_hans, wechat.posting_location_en) == (
        "四川",
        "Sichuan",
    )
    assert wechat.source_metadata == {"author": "机器之心", "posting_location": "四川"}
    assert wechat.ai_generated is None and wechat.machine_translated is None
    note = Article.objects.get(key="note")
    assert note.ai_generated is True and note.machine_translated is False
    # A front matter's own keys stay as the source gave them.
    assert note.source_metadata["place"] == "東京"
    by_hand = Article.objects.get(key="by-hand")
    assert by_hand.ai_generated is True and by_hand.machine_translated is None
    assert {a.rights_statement for a in Article.objects.all()} == {NOT_EVALUATED}
    image = Image.objects.get(key="shot")
    assert image.rights_note_zh_hans == "转载请联系本公众号获得授权"
    assert image.rights_statement == NOT_EVALUATED

    back = migrate(BEFORE)
    wechat = back.get_model("archive", "Article").objects.get(key="wechat")
    assert wechat.place_zh_hans == "四川" and wechat.ai_generated is False
    assert wechat.source_metadata["place"] == "四川"
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
