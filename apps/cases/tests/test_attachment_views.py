"""The attachment pages and file responses: permission-checked, nosniff, 404 alike, video seekable."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases.attachment_services import attachment_add
from apps.cases.models import Case, CaseAttachment
from apps.cases.tests import attachment_world
from apps.cases.tests.attachment_world import (
    PDF_BYTES,
    jpeg_bytes,
    stored_files,
    temporary_upload,
    upload,
)
from apps.core.scoping import scope, scopes_disabled

# Shared fixtures of the attachment tests (a module-level name makes pytest see them here).
media = attachment_world.media
videos = attachment_world.videos
xihu_world = attachment_world.xihu_world


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w(xihu_world):
    return xihu_world


def add(w, kind, up):
    try:
        with scope(org=w.xihu_park):
            return attachment_add(case=w.xihu_case, kind=kind, upload=up, by=w.xihu_park_admin)
    finally:
        up.close()


def submitted(w):
    with scopes_disabled():
        Case.plain.filter(pk=w.xihu_case.pk).update(status=Case.Status.SUBMITTED)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_association_uploads_three_photos_at_once_and_sees_them(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_upload", kwargs={"case_pk": w.xihu_case.pk})
    files = [upload(f"现场{i}.jpg", jpeg_bytes(colour=(i * 60, 10, 10))) for i in range(3)]
    response = client.post(url, {"kind": "photo", "file": files}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已上传“现场0.jpg”" in page and "现场2.jpg" in page and "3/5" in page
    with scopes_disabled():
        assert CaseAttachment.objects.filter(case=w.xihu_case, kind="photo").count() == 3


def test_a_refused_upload_is_shown_in_the_panel_and_stores_nothing(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_upload", kwargs={"case_pk": w.xihu_case.pk})
    response = client.post(url, {"kind": "photo", "file": upload("logo.png", b"<svg><script>alert(1)</script></svg>")},
                           **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="attachments-panel"' in page and "SVG矢量图" in page and "<script>alert" not in page
    assert stored_files(media) == []


def test_upload_without_a_file_says_so(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_upload", kwargs={"case_pk": w.xihu_case.pk})
    response = client.post(url, {"kind": "photo"}, follow=True)
    assert "请选择要上传的文件" in response.content.decode()


def test_next_goes_back_to_the_case_page_but_never_off_site(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_upload", kwargs={"case_pk": w.xihu_case.pk})
    assert client.post(url, {"kind": "photo", "next": "/cases/1/edit/"})["Location"] == "/cases/1/edit/"
    assert client.post(url, {"kind": "photo", "next": "https://evil.example/"})["Location"] == reverse(
        "cases:attachment_list", kwargs={"case_pk": w.xihu_case.pk})


def test_photo_is_served_inline_with_nosniff_and_its_stored_type(client, w, media):
    photo = add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    submitted(w)  # the offices above read a case, and its files, once it is submitted
    client.force_login(w.hangzhou_admin)
    response = client.get(reverse("cases:attachment_file", kwargs={"pk": photo.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    with photo.file.open("rb") as handle:
        assert content_of(response) == handle.read()
    thumb = client.get(reverse("cases:attachment_thumb", kwargs={"pk": photo.pk}))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"


def test_documents_are_downloads(client, w, media):
    form = add(w, "form", upload("推荐表.pdf", PDF_BYTES))
    submitted(w)  # the offices above read a case, and its files, once it is submitted
    client.force_login(w.xihu_admin)
    response = client.get(reverse("cases:attachment_file", kwargs={"pk": form.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E6%8E%A8%E8%8D%90%E8%A1%A8.pdf" in response["Content-Disposition"]


def test_another_county_gets_the_same_404_as_for_no_file(client, w, media):
    photo = add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    client.force_login(w.wuhou_admin)
    foreign = client.get(reverse("cases:attachment_file", kwargs={"pk": photo.pk}))
    missing = client.get(reverse("cases:attachment_file", kwargs={"pk": photo.pk + 999}))
    assert foreign.status_code == missing.status_code == 404
    client.force_login(w.shangcheng_admin)
    assert client.get(reverse("cases:attachment_thumb", kwargs={"pk": photo.pk})).status_code == 404
    assert client.get(reverse("cases:attachment_list", kwargs={"case_pk": w.xihu_case.pk})).status_code == 404


def test_a_file_gone_from_storage_answers_404(client, w, media):
    photo = add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    photo.file.storage.delete(photo.file.name)
    client.force_login(w.xihu_park_admin)
    assert client.get(reverse("cases:attachment_file", kwargs={"pk": photo.pk})).status_code == 404


def test_a_document_has_no_thumbnail(client, w, media):
    form = add(w, "form", upload("推荐表.pdf", PDF_BYTES))
    client.force_login(w.xihu_park_admin)
    assert client.get(reverse("cases:attachment_thumb", kwargs={"pk": form.pk})).status_code == 404


def test_video_answers_range_requests_so_the_browser_can_seek(client, w, media, videos):
    video = add(w, "video", temporary_upload(videos["h264"], "案例视频.mp4"))
    data = videos["h264"].read_bytes()
    size = len(data)
    submitted(w)  # the offices above read a case, and its files, once it is submitted
    client.force_login(w.xihu_admin)
    url = reverse("cases:attachment_file", kwargs={"pk": video.pk})
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "video/mp4"
    assert whole["Content-Disposition"].startswith("inline")
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{size}"
    assert content_of(part) == data[100:200] and part["Content-Length"] == "100"
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and content_of(tail) == data[-50:]
    open_end = client.get(url, HTTP_RANGE=f"bytes={size - 10}-")
    assert content_of(open_end) == data[-10:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    several = client.get(url, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200


def test_remove_from_the_panel(client, w, media):
    photo = add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    client.force_login(w.xihu_park_admin)
    response = client.post(reverse("cases:attachment_remove", kwargs={"pk": photo.pk}), **HTMX)
    assert response.status_code == 200 and "已删除“现场.jpg”" in response.content.decode()
    with scopes_disabled():
        assert not CaseAttachment.objects.filter(pk=photo.pk).exists()


def test_county_sees_the_files_without_upload_or_remove(client, w, media):
    add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    submitted(w)  # the offices above read a case, and its files, once it is submitted
    client.force_login(w.xihu_admin)
    page = client.get(reverse("cases:attachment_list", kwargs={"case_pk": w.xihu_case.pk})).content.decode()
    assert "现场.jpg" in page and 'type="file"' not in page and "删除" not in page


def test_panel_shows_every_kind_with_its_rule_and_an_empty_state(client, w, media):
    client.force_login(w.xihu_park_admin)
    page = client.get(reverse("cases:attachment_list", kwargs={"case_pk": w.xihu_case.pk})).content.decode()
    for label in ("照片", "视频", "演示文稿", "佐证材料", "盖章推荐表"):
        assert label in page
    assert page.count("尚未上传") == 5 and page.count('type="file"') == 5
    assert "1920×1080" in page


def test_panel_page_makes_the_same_number_of_queries_for_one_and_five_photos(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_list", kwargs={"case_pk": w.xihu_case.pk})
    add(w, "photo", upload("1.jpg", jpeg_bytes()))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        add(w, "photo", upload(f"{n}.jpg", jpeg_bytes()))
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(one) == len(five)


def test_after_an_htmx_swap_the_forms_still_return_to_the_case_page(client, w, media):
    client.force_login(w.xihu_park_admin)
    url = reverse("cases:attachment_upload", kwargs={"case_pk": w.xihu_case.pk})
    response = client.post(url, {"kind": "photo", "next": "/cases/1/edit/"}, **HTMX)
    assert 'name="next" value="/cases/1/edit/"' in response.content.decode()


def test_a_drafts_files_stay_with_the_association(client, w, media):
    """The case rule (drafts and withdrawn cases stay with the association) holds for their files too."""
    from apps.cases.attachment_permissions import access_attachment, access_case_files, can_change_case_files

    photo = add(w, "photo", upload("现场.jpg", jpeg_bytes()))
    with scope(org=w.xihu_park):
        assert access_case_files(w.xihu_park_admin, w.xihu_case.pk) == w.xihu_case
        assert can_change_case_files(w.xihu_park_admin, w.xihu_case)
    for office, org in ((w.xihu_admin, w.xihu), (w.hangzhou_admin, w.hangzhou)):
        with scope(org=org):
            with pytest.raises(Http404):
                access_case_files(office, w.xihu_case.pk)
            with pytest.raises(Http404):
                access_attachment(office, photo.pk)
    client.force_login(w.xihu_admin)
    assert client.get(reverse("cases:attachment_file", args=[photo.pk])).status_code == 404
    with scope(org=w.ningbo), pytest.raises(Http404):
        access_case_files(w.ningbo_admin, w.xihu_case.pk)
