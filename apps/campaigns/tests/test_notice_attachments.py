"""R-102 notice files: type by content, a size limit, safe names, downloads only along the chain."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.campaigns.models import Notice, NoticeAttachment, NoticeDelivery
from apps.campaigns.notice_services import notice_delivery_forward, notice_issue, safe_file_name
from apps.campaigns.tests.notice_world import PDF, PNG, pdf_upload
from apps.core.scoping import scopes_disabled


def _issue(t, files):
    return notice_issue(programme=t.zhejiang_programme, by=t.zhejiang_admin, title="征集通知", body="正文",
                        deadline=timezone.localdate() + dt.timedelta(days=7), attachments=files)


def _ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _nothing_written():
    with scopes_disabled():
        return Notice.plain.count() == 0 and NoticeDelivery.plain.count() == 0 and NoticeAttachment.plain.count() == 0


def test_r102_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_written(notice_tree, media):
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        _issue(notice_tree, [pdf_upload(), fake])
    assert "“通知.pdf”不是PDF" in err.value.messages[0] and "按文件内容判断" in err.value.messages[0]
    assert _nothing_written() and _stored_files(media) == []


def test_r102_a_file_over_the_size_limit_is_refused_with_the_limit(notice_tree, media, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 1024
    big = pdf_upload("附件一.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match=r"附件“附件一.pdf”大小为2 KB，超过1 KB的上限，请压缩或拆分后再上传"):
        _issue(notice_tree, [big])
    assert _nothing_written() and _stored_files(media) == []


def test_r102_a_bad_file_on_the_issue_page_is_shown_and_nothing_is_written(notice_tree, client, media):
    t = notice_tree
    client.force_login(t.zhejiang_admin)
    response = client.post(reverse("campaigns:notice_issue"), {
        "programme": t.zhejiang_programme.pk, "title": "征集通知", "body": "正文",
        "attachments": [SimpleUploadedFile("图片.png", b"GIF89a not a png")],
    })
    assert response.status_code == 200
    assert "“图片.png”不是PDF" in response.content.decode()
    assert _nothing_written()


def test_r102_word_excel_jpeg_png_are_recognised_by_content_and_renamed_to_their_type(notice_tree, media):
    files = [
        SimpleUploadedFile("工作方案", _ooxml("word/document.xml")),
        SimpleUploadedFile("名额表.xls", _ooxml("xl/workbook.xml")),
        SimpleUploadedFile("照片.png", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        SimpleUploadedFile("海报.jpg", PNG),
    ]
    notice = _issue(notice_tree, files)
    with scopes_disabled():
        stored = list(NoticeAttachment.plain.filter(notice=notice).values_list("name", "content_type"))
    assert [name for name, _ in stored] == ["工作方案.docx", "名额表.xlsx", "照片.jpg", "海报.png"]
    assert stored[2][1] == "image/jpeg" and stored[3][1] == "image/png"


def test_r102_a_zip_that_is_not_word_or_excel_is_refused(notice_tree):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError, match="不是PDF"):
        _issue(notice_tree, [SimpleUploadedFile("方案.docx", buffer.getvalue())])


def test_r102_file_names_lose_paths_and_reserved_characters_and_never_reach_the_disk(notice_tree, media):
    notice = _issue(notice_tree, [pdf_upload('..\\..\\etc/pass<wd>:"x"|?.exe')])
    with scopes_disabled():
        attachment = NoticeAttachment.plain.get(notice=notice)
    assert attachment.name == "pass_wd_x.pdf"
    assert attachment.file.name.startswith("notices/") and "pass" not in attachment.file.name
    assert safe_file_name("   ", ".pdf") == "附件.pdf"
    assert len(safe_file_name("长" * 300, ".pdf")) == 100


def test_r102_the_issuer_file_downloads_along_the_chain_only(cascade, client):
    t = cascade
    url = reverse("campaigns:notice_attachment", kwargs={"pk": t.notice_file.pk})
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
    url = reverse("campaigns:notice_attachment", kwargs={"pk": attachment.pk})
    for user, status in ((t.shangcheng_admin, 200), (t.hangzhou_admin, 200), (t.zhejiang_admin, 200),
                         (t.xihu_admin, 404), (t.xihu_park_admin, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
