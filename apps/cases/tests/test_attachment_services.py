"""Adding and removing a case's files (issue 4 item 3): checked, audited, all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from apps.audit.models import AuditEntry
from apps.cases.attachment_services import attachment_add, attachment_problems, attachment_remove
from apps.cases.models import CaseAttachment
from apps.cases.tests import attachment_world
from apps.cases.tests.attachment_world import (
    PDF_BYTES,
    jpeg_bytes,
    pptx_bytes,
    stored_files,
    temporary_upload,
    upload,
)
from apps.core.errors import NotFound
from apps.core.scoping import scope, scopes_disabled

# Shared fixtures of the attachment tests (a module-level name makes pytest see them here).
media = attachment_world.media
videos = attachment_world.videos
xihu_world = attachment_world.xihu_world


@pytest.fixture
def w(xihu_world):
    return xihu_world


def add(w, kind, up, by=None):
    try:
        with scope(org=w.xihu_park):
            return attachment_add(case=w.xihu_case, kind=kind, upload=up, by=by or w.xihu_park_admin)
    finally:
        up.close()  # as the request does at its end (the stored video's temporary file was moved away)


def photo(n=1):
    return upload(f"现场{n}.jpg", jpeg_bytes(colour=(n * 40 % 255, 90, 90)), "image/jpeg")


def test_a_complete_set_is_accepted_with_meta_and_audit(w, media, videos):
    for n in range(3):
        add(w, "photo", photo(n))
    video = add(w, "video", temporary_upload(videos["h264"], "案例视频.mp4"))
    slides = add(w, "slides", upload("汇报.pptx", pptx_bytes()))
    form = add(w, "form", upload("推荐表.pdf", PDF_BYTES, "application/pdf"))
    with scopes_disabled():
        rows = list(CaseAttachment.objects.filter(case=w.xihu_case))
        actions = list(AuditEntry.plain.filter(action="attachment.add").values_list("target_id", flat=True))
    assert len(rows) == 6 and sorted(actions) == sorted(str(r.pk) for r in rows)
    assert video.meta["codec"] == "h264" and video.meta["width"] == 64 and video.content_type == "video/mp4"
    assert slides.name == "汇报.pptx" and form.content_type == "application/pdf"
    assert [p.position for p in rows if p.kind == "photo"] == [1, 2, 3]
    assert attachment_problems(w.xihu_case) == []
    for row in rows:
        assert default_storage.exists(row.file.name)
        assert "/" not in row.file.name.removeprefix("cases/").split("/", 2)[-1]
        assert row.name not in row.file.name, "stored under a random name"
    # 6 files and 3 photo thumbnails
    assert len(stored_files(media)) == 9


def test_video_is_streamed_to_storage_not_read_whole(w, media, videos, monkeypatch):
    up = temporary_upload(videos["h264"], "v.mp4")
    real_read = up.file.read
    sizes = []

    def read(n=-1):
        sizes.append(n)
        assert n is not None and 0 <= n <= 1024 * 1024, "the video is read in chunks only"
        return real_read(n)

    monkeypatch.setattr(up.file, "read", read, raising=False)
    attachment = add(w, "video", up)
    assert sizes, "the guard saw the reads"
    assert default_storage.size(attachment.file.name) == videos["h264"].stat().st_size
    assert attachment.sha256 == __import__("hashlib").sha256(videos["h264"].read_bytes()).hexdigest()


def test_attachment_problems_lists_everything_missing(w):
    """The submit helper shows these messages all at once."""
    add(w, "photo", photo())
    assert attachment_problems(w.xihu_case) == [
        "请上传3至5张照片，当前1张",
        "请上传案例视频（MP4格式，H.264编码，分辨率不超过1920×1080）",
        "请上传演示文稿（PPTX或PDF）",
        "请上传盖章推荐表",
    ]


def test_a_sixth_photo_is_refused_and_nothing_is_stored(w, media):
    for n in range(5):
        add(w, "photo", photo(n))
    before = stored_files(media)
    with pytest.raises(ValidationError, match="照片最多5张，本案例已有5张"):
        add(w, "photo", photo(6))
    assert stored_files(media) == before
    with scopes_disabled():
        assert CaseAttachment.objects.filter(case=w.xihu_case).count() == 5


def test_a_second_video_is_refused_until_the_first_is_removed(w, media, videos):
    first = add(w, "video", temporary_upload(videos["h264"], "v1.mp4"))
    with pytest.raises(ValidationError, match="本案例已有视频；如需更换，请先删除原文件再上传"):
        add(w, "video", temporary_upload(videos["h264"], "v2.mp4"))
    with scope(org=w.xihu_park):
        attachment_remove(attachment=first, by=w.xihu_park_admin)
    assert add(w, "video", temporary_upload(videos["h264"], "v2.mp4")).name == "v2.mp4"


def test_one_sealed_form_only(w, media):
    add(w, "form", upload("推荐表.pdf", PDF_BYTES, "application/pdf"))
    with pytest.raises(ValidationError, match="本案例已有盖章推荐表"):
        add(w, "form", upload("推荐表2.jpg", jpeg_bytes(), "image/jpeg"))


@pytest.mark.django_db(transaction=True)
def test_remove_deletes_the_row_and_after_commit_the_files(w, media):
    attachment = add(w, "photo", photo())
    names = [attachment.file.name, attachment.thumbnail.name]
    with scope(org=w.xihu_park):
        attachment_remove(attachment=attachment, by=w.xihu_park_admin)
    with scopes_disabled():
        assert not CaseAttachment.objects.filter(pk=attachment.pk).exists()
        assert AuditEntry.plain.filter(action="attachment.remove", target_id=str(attachment.pk)).exists()
    assert not any(default_storage.exists(n) for n in names)


def test_only_the_recommending_association_adds_files(w, media):
    """The county sees the files but does not change them; another association gets the 404 of no case."""
    for person in (w.xihu_admin, w.xihu_ent_admin, w.hangzhou_admin, w.wuhou_park_admin):
        with pytest.raises(NotFound):
            add(w, "photo", photo(), by=person)
    assert stored_files(media) == []


@pytest.mark.parametrize("status", ["submitted", "withdrawn"])
def test_files_of_a_submitted_case_do_not_change(w, media, status):
    attachment = add(w, "photo", photo())
    with scopes_disabled():
        w.xihu_case.status = status
        w.xihu_case.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="附件不能修改"):
        add(w, "photo", photo(2))
    with pytest.raises(ValidationError, match="附件不能修改"), scope(org=w.xihu_park):
        attachment_remove(attachment=attachment, by=w.xihu_park_admin)


def test_a_returned_case_takes_new_files(w, media):
    with scopes_disabled():
        w.xihu_case.status = "returned"
        w.xihu_case.save(update_fields=["status"])
    assert add(w, "photo", photo()).pk


def test_a_failure_after_storing_removes_the_stored_files(w, media, monkeypatch):
    """If the row cannot be written, the files already written go too."""
    import apps.cases.attachment_services as services

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        add(w, "photo", photo())
    assert stored_files(media) == []
    with scopes_disabled():
        assert not CaseAttachment.objects.exists()
