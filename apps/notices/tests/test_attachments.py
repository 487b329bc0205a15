"""R-102 notice files: type by content, a size limit, safe names, downloads only along the chain.

The checks are the platform's (apps/core/files.py), as for a case's files; test_malicious_uploads.py replays the
hostile files of the case corpus on a notice."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from apps.core.scoping import scopes_disabled
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.notices.services import notice_delivery_forward, notice_issue
from apps.notices.tests.world import PDF, image_bytes, office_bytes, pdf_upload, zip_bytes


def _issue(t, files):
    return notice_issue(programme=t.zhejiang_programme, by=t.zhejiang_admin, title="征集通知", body="正文",
                        deadline=timezone.localdate() + dt.timedelta(days=7), attachments=files)


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _nothing_written():
    with scopes_disabled():
        return Notice.plain.count() == 0 and NoticeDelivery.plain.count() == 0 and NoticeAttachment.plain.count() == 0


def test_r102_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_written(notice_tree, media):
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        _issue(notice_tree, [pdf_upload(), fake])
    message = err.value.messages[0]
    assert "“通知.pdf”的内容是可执行程序，不是PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG文件" in message
    assert "按文件内容判断" in message
    assert _nothing_written() and _stored_files(media) == []


def test_r102_a_file_over_the_size_limit_is_refused_with_the_limit(notice_tree, media, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 1024
    big = pdf_upload("附件一.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match=r"文件“附件一.pdf”大小为2 KB，超过1 KB的上限，请压缩后再上传"):
        _issue(notice_tree, [big])
    assert _nothing_written() and _stored_files(media) == []


def test_r102_a_bad_file_on_the_issue_page_is_shown_and_nothing_is_written(notice_tree, client, media):
    t = notice_tree
    client.force_login(t.zhejiang_admin)
    response = client.post(reverse("notices:notice_issue"), {
        "programme": t.zhejiang_programme.pk, "title": "征集通知", "body": "正文",
        "attachments": [SimpleUploadedFile("图片.png", b"GIF89a not a png")],
    })
    assert response.status_code == 200
    assert "“图片.png”的内容是GIF图片" in response.content.decode()
    assert _nothing_written()


def test_r102_word_excel_jpeg_png_are_recognised_by_content_and_renamed_to_their_type(notice_tree, media):
    files = [
        SimpleUploadedFile("工作方案", office_bytes("docx")),
        SimpleUploadedFile("名额表.xls", office_bytes("xlsx")),
        SimpleUploadedFile("照片.png", image_bytes("JPEG")),
        SimpleUploadedFile("海报.jpg", image_bytes("PNG")),
    ]
    notice = _issue(notice_tree, files)
    with scopes_disabled():
        stored = list(NoticeAttachment.plain.filter(notice=notice).values_list("name", "content_type"))
    assert [name for name, _ in stored] == ["工作方案.docx", "名额表.xlsx", "照片.jpg", "海报.png"]
    assert stored[0][1].endswith("wordprocessingml.document") and stored[1][1].endswith("spreadsheetml.sheet")
    assert stored[2][1] == "image/jpeg" and stored[3][1] == "image/png"


def test_r102_a_photo_loses_its_metadata_and_the_stored_size_is_what_is_stored(notice_tree, media):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "InnocaseCam"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 160, 60)).save(out, "JPEG", exif=exif.tobytes())
    notice = _issue(notice_tree, [SimpleUploadedFile("现场.jpg", out.getvalue())])
    with scopes_disabled():
        attachment = NoticeAttachment.plain.get(notice=notice)
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"InnocaseCam" not in stored and attachment.size == len(stored)


def test_r102_a_zip_that_is_not_word_or_excel_is_refused(notice_tree):
    with pytest.raises(ValidationError, match="的内容是普通压缩包"):
        _issue(notice_tree, [SimpleUploadedFile("方案.docx", zip_bytes({"payload.exe": "MZ"}))])


def test_r102_a_slide_deck_is_not_a_notice_attachment(notice_tree):
    with pytest.raises(ValidationError, match=r"的内容是PowerPoint演示文稿（.pptx），不是PDF、Word"):
        _issue(notice_tree, [SimpleUploadedFile("方案.docx", office_bytes("pptx"))])


def test_r102_file_names_lose_paths_and_reserved_characters_and_never_reach_the_disk(notice_tree, media):
    notice = _issue(notice_tree, [pdf_upload('..\\..\\etc/pass<wd>:"x"|?.exe')])
    with scopes_disabled():
        attachment = NoticeAttachment.plain.get(notice=notice)
    assert attachment.name == "pass_wd___x.pdf"
    assert attachment.file.name.startswith("notices/") and "pass" not in attachment.file.name


def test_r102_the_issuer_file_downloads_along_the_chain_only(cascade, client):
    t = cascade
    url = reverse("notices:notice_attachment", kwargs={"pk": t.notice_file.pk})
    client.force_login(t.xihu_park_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment;" in response["Content-Disposition"] and response["Content-Type"] == "application/pdf"
    client.force_login(t.haishu_admin)  # 宁波市 has not forwarded: 海曙区 is not on the chain yet
    assert client.get(url).status_code == 404
    client.force_login(t.wuhou_admin)
    assert client.get(url).status_code == 404


def test_r102_an_addendum_file_goes_down_its_own_chain_not_to_a_sibling(cascade, client, media):
    t = cascade
    notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.shangcheng_admin, addendum="上城区补充",
                            attachment=pdf_upload("上城区要求.pdf"))
    with scopes_disabled():
        attachment = NoticeAttachment.plain.get(name="上城区要求.pdf")
    url = reverse("notices:notice_attachment", kwargs={"pk": attachment.pk})
    for user, status in ((t.shangcheng_admin, 200), (t.hangzhou_admin, 200), (t.zhejiang_admin, 200),
                         (t.xihu_admin, 404), (t.xihu_park_admin, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
