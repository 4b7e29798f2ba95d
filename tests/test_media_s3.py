"""Media on S3-compatible storage: moto's server on loopback stands in for the bucket.

Every path that writes, reads, shows or deletes an archived image: the service, the
admin's own form (a real multipart POST), renditions, the public pages' URLs (signed
for a private bucket, plain on a custom domain) and the CSP that must allow them,
verify_fixity, an import's cover, deletion, and loaddata.
"""

from __future__ import annotations

import hashlib
import io
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from archive.models import Article, Image
from archive.services import archive_image_file
from archive.views.articles import PAGE_TIMEOUT
from config.media_storage import MAX_SIGNED_URL_SECONDS, OBJECT_CACHE_CONTROL
from tests.admin_forms import browser_post_data
from tests.factories import (
    make_archived_image,
    make_image,
    make_placed_figure,
    png_file,
    url_in,
)
from tests.paths import SOURCES
from tests.s3_storage import use_bucket
from tests.upload_files import image_upload

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in django_settings.LANGUAGES]


def media_urls(html: str) -> list[str]:
    """Every URL in an ``<img>``'s ``src`` or ``srcset`` (entities decoded)."""
    urls = re.findall(r'<img[^>]*?\ssrc="([^"]+)"', html)
    for srcset in re.findall(r'<img[^>]*?\ssrcset="([^"]+)"', html):
        urls += [candidate.split()[0] for candidate in srcset.split(",")]
    return [url.replace("&amp;", "&") for url in urls]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def img_src_policy(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    (directive,) = [d for d in policy.split(";") if d.strip().startswith("img-src")]
    return directive.split()[1:]


def allowed_by(sources: list[str], url: str) -> bool:
    return any(
        url.startswith(source.rstrip("/") + "/")
        for source in sources
        if "://" in source
    )


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_user(
        "s3-editor", "s3@example.org", "pw-for-tests", is_staff=True
    )
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive")
    )
    client.force_login(editor)
    return client


@pytest.fixture
def figure(s3_media):
    """An archived image with renditions, placed in a published article's body."""
    return make_placed_figure("with-figure")


# -- writing ---------------------------------------------------------------------
def test_the_service_writes_the_file_and_its_renditions_to_the_bucket(s3_media):
    upload = image_upload("JPEG", (1200, 800))
    data = upload.read()
    upload.seek(0)
    image = make_archived_image(upload, key="service")
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    assert sorted(image.renditions, key=int) == ["320", "640", "1024"]
    assert s3_media.keys() == {image.file.name, *image.renditions.values()}
    assert s3_media.read(image.file.name) == data
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    head = s3_media.server.client.head_object(
        Bucket=s3_media.bucket, Key=image.renditions["640"]
    )
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == OBJECT_CACHE_CONTROL
    # Nothing landed in the local media folder.
    assert not any(Path(django_settings.MEDIA_ROOT).rglob("*service*"))


def test_a_second_file_of_the_same_name_never_overwrites_the_first(s3_media):
    first = make_archived_image(png_file("same.png", (30, 20)), key="one")
    second = make_archived_image(png_file("same.png", (31, 20)), key="two")
    assert first.file.name != second.file.name
    assert s3_media.read(first.file.name) != s3_media.read(second.file.name)


def test_an_upload_through_the_admins_form_goes_to_the_bucket(
    s3_media, editor_client, django_capture_on_commit_callbacks
):
    image = make_image(key="admin-upload")
    url = reverse("admin:archive_image_change", args=[image.pk])
    data = browser_post_data(editor_client.get(url).content.decode(), "image_form")
    upload = image_upload("PNG", (700, 350))
    data["file"] = upload
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)  # multipart/form-data
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (700, 350)
    assert sorted(image.renditions) == ["320", "640"]
    assert s3_media.keys() == {image.file.name, *image.renditions.values()}
    upload.seek(0)
    assert s3_media.read(image.file.name) == upload.read()

    # A replacement through the same form: the old renditions leave the bucket.
    old = dict(image.renditions)
    data = browser_post_data(editor_client.get(url).content.decode(), "image_form")
    data["file"] = image_upload("GIF", (400, 200))
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    image.refresh_from_db()
    assert image.file.name.endswith(".gif")
    keys = s3_media.keys()
    assert image.renditions["320"] in keys
    assert not keys & set(old.values())


# -- serving ---------------------------------------------------------------------
def test_public_pages_show_signed_bucket_urls_that_csp_allows(client, figure, s3_media):
    prefix = f"{s3_media.server.endpoint}/{s3_media.bucket}/"
    pages = [url_in(figure, lang) for lang in LANGUAGES]
    pages += [url_in(figure.article, lang) for lang in LANGUAGES]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        urls = media_urls(response.content.decode())
        assert urls, page
        sources = img_src_policy(response)
        for url in urls:
            assert url.startswith(prefix), url
            assert "X-Amz-Signature=" in url and "X-Amz-Expires=604800" in url
            assert allowed_by(sources, url), (url, sources)
    # Signed URLs fetch the stored bytes; the same object unsigned is refused.
    original = media_urls(response.content.decode())[0]  # the <img>'s src
    assert f"/{figure.file.name}?" in original
    assert fetch(original) == s3_media.read(figure.file.name)
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(original.split("?")[0])
    assert refused.value.code == 403
    renditions = [u for u in media_urls(response.content.decode()) if "-320." in u]
    assert fetch(renditions[0]).startswith(b"RIFF")  # WebP


def test_the_image_list_and_the_admins_list_show_bucket_thumbnails(
    client, editor_client, figure, s3_media
):
    prefix = f"{s3_media.server.endpoint}/{s3_media.bucket}/"
    for lang in LANGUAGES:
        with translation.override(lang):
            response = client.get(reverse("archive:image_list"))
        assert response.status_code == 200
        urls = media_urls(response.content.decode())
        assert urls and all(url.startswith(prefix) for url in urls), lang
        assert all(allowed_by(img_src_policy(response), url) for url in urls)
    response = editor_client.get(reverse("admin:archive_image_changelist"))
    urls = media_urls(response.content.decode())
    assert any(url.startswith(prefix) and "X-Amz-Signature=" in url for url in urls)
    assert all(
        allowed_by(img_src_policy(response), url) for url in urls if "://" in url
    )


def test_a_public_bucket_on_a_custom_domain_gets_plain_urls(
    client, settings, s3_server
):
    media = use_bucket(settings, s3_server, AWS_S3_CUSTOM_DOMAIN="media.example.org")
    image = make_archived_image(image_upload("PNG", (700, 350)), key="public")
    response = client.get(url_in(image, "ja"))
    urls = media_urls(response.content.decode())
    assert urls
    assert all(url.startswith("https://media.example.org/") for url in urls)
    assert not any("?" in url for url in urls)
    assert "https://media.example.org" in img_src_policy(response)
    assert f"https://media.example.org/{image.file.name}" in urls
    assert media.keys() == {image.file.name, *image.renditions.values()}


def test_signed_urls_outlive_every_cached_page(s3_media):
    # A cached page's signed URLs must still work when the cache hands it out.
    expire = s3_media.storage["OPTIONS"]["querystring_expire"]
    assert expire == MAX_SIGNED_URL_SECONDS
    assert expire > PAGE_TIMEOUT


# -- checking and importing ------------------------------------------------------
def test_verify_fixity_reads_the_bucket(s3_media, capsys):
    image = make_archived_image(png_file(size=(40, 20)), key="fixed")
    call_command("verify_fixity")
    assert "1 image file(s): 0 mismatch(es)" in capsys.readouterr().out

    client, bucket = s3_media.server.client, s3_media.bucket
    client.put_object(
        Bucket=bucket, Key=image.file.name, Body=png_file(size=(41, 20)).read()
    )
    with pytest.raises(CommandError, match="1 mismatch"):
        call_command("verify_fixity")
    out = capsys.readouterr().out
    assert f"archive.Image 'fixed': file {image.file.name}: expected sha256 " in out

    client.delete_object(Bucket=bucket, Key=image.file.name)
    with pytest.raises(CommandError, match="1 mismatch"):
        call_command("verify_fixity")
    assert "found no readable file (FileNotFoundError)" in capsys.readouterr().out


def test_an_imported_cover_archived_later_is_served_from_the_bucket(client, s3_media):
    [path] = SOURCES.glob("002_*.txt")  # the WeChat export, which names a cover
    call_command("import_article", str(path), "--publish", stdout=io.StringIO())
    article = Article.objects.get(source_filename=path.name)
    cover = article.cover_image
    assert cover.source_url and not cover.file  # the import records its address
    assert s3_media.keys() == set()
    cover.alt_text_zh_hans = "封面"
    archive_image_file(cover, image_upload("JPEG", (900, 500)))
    assert s3_media.keys() == {cover.file.name, *cover.renditions.values()}
    response = client.get(url_in(article, "zh-hans"))
    assert response.status_code == 200
    prefix = f"{s3_media.server.endpoint}/{s3_media.bucket}/{cover.file.name}?"
    assert any(url.startswith(prefix) for url in media_urls(response.content.decode()))


# -- deleting --------------------------------------------------------------------
def test_deleting_an_image_removes_its_objects_once_committed(
    s3_media, django_capture_on_commit_callbacks
):
    keep = make_archived_image(image_upload("PNG", (700, 350)), key="keep")
    gone = make_archived_image(image_upload("PNG", (800, 350)), key="gone")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        gone.delete()
    assert gone.file.name in s3_media.keys()  # not before the commit
    for callback in callbacks:
        callback()
    assert s3_media.keys() == {keep.file.name, *keep.renditions.values()}


def test_the_admins_delete_removes_the_objects(
    s3_media, editor_client, django_capture_on_commit_callbacks
):
    image = make_archived_image(image_upload("PNG", (700, 350)), key="admin-delete")
    url = reverse("admin:archive_image_delete", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert s3_media.keys() == set()


def test_a_rolled_back_delete_keeps_the_objects(s3_media):
    from django.db import transaction

    image = make_archived_image(png_file(size=(40, 20)), key="rollback")
    with pytest.raises(RuntimeError), transaction.atomic():
        image.delete()
        raise RuntimeError("the delete fails later")
    assert Image.objects.filter(key="rollback").exists()
    assert image.file.name in s3_media.keys()


def test_objects_another_row_still_names_are_kept(
    s3_media, django_capture_on_commit_callbacks
):
    first = make_archived_image(png_file("twin.png", (40, 20)), key="first")
    twin = make_image(key="twin")
    Image.objects.filter(pk=twin.pk).update(file=first.file.name, sha256=first.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.get(pk=twin.pk).delete()
    assert first.file.name in s3_media.keys()


# -- loading ---------------------------------------------------------------------
def test_the_fixture_loads_with_media_in_the_bucket(client, s3_media, capsys):
    call_command("loaddata", "archive", verbosity=0)
    assert Image.objects.count() == 12
    image = Image.objects.order_by("key").first()
    archive_image_file(image, image_upload("PNG", (700, 350)))
    call_command("verify_fixity")
    assert "1 image file(s): 0 mismatch(es)" in capsys.readouterr().out
    response = client.get(url_in(image.article, "en"))
    assert response.status_code == 200
    prefix = f"{s3_media.server.endpoint}/{s3_media.bucket}/"
    assert any(url.startswith(prefix) for url in media_urls(response.content.decode()))


def test_an_export_reloaded_points_at_the_same_objects(
    tmp_path, s3_media, capsys, django_capture_on_commit_callbacks
):
    image = make_archived_image(image_upload("PNG", (700, 350)), key="round-trip")
    before = Image.objects.filter(pk=image.pk).values(
        "file", "sha256", "renditions", "width", "height"
    )[0]
    path = tmp_path / "archive.json"
    call_command("export_archive", output=path, verbosity=0)
    # Forget the row without touching the bucket, as a new database would.
    Image.objects.filter(pk=image.pk).update(file="", renditions={})
    Image.objects.filter(pk=image.pk).delete()
    call_command("loaddata", str(path), verbosity=0)
    after = Image.objects.filter(key="round-trip").values(
        "file", "sha256", "renditions", "width", "height"
    )[0]
    assert after == before
    call_command("verify_fixity")
    assert "1 image file(s): 0 mismatch(es)" in capsys.readouterr().out


# -- signed URLs reused ----------------------------------------------------------
def test_a_signed_url_is_reused_for_a_day_then_signed_again(s3_media, monkeypatch):
    import pickle

    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    from archive.storage import S3MediaStorage

    image = make_archived_image(png_file(size=(40, 20)), key="reused")
    storage = default_storage._wrapped
    assert isinstance(storage, S3MediaStorage)
    signed = []
    sign = S3Storage.url
    monkeypatch.setattr(
        S3Storage, "url", lambda self, *args: signed.append(args) or sign(self, *args)
    )
    now = [1000.0]
    storage.clock = lambda: now[0]
    first = storage.url(image.file.name)
    assert fetch(first) == s3_media.read(image.file.name)
    now[0] += 24 * 60 * 60 - 1  # a day, less a second
    assert storage.url(image.file.name) == first
    assert len(signed) == 1
    assert storage.url("images/other.png") != first
    assert len(signed) == 2
    now[0] += 2
    assert "X-Amz-Signature=" in storage.url(image.file.name)
    assert len(signed) == 3  # signed afresh once the day is over
    # Asked for another expiry, a URL is always signed afresh.
    assert "X-Amz-Expires=60" in storage.url(image.file.name, expire=60)
    assert len(signed) == 4
    del storage.clock  # a lambda of this test cannot be pickled
    copy = pickle.loads(pickle.dumps(storage))
    assert copy.url(image.file.name).startswith(s3_media.server.endpoint)
