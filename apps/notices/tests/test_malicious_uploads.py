"""Hostile files on a notice (R-102) meet the same checks as a case's files (apps/core/files.py): each is refused
with a message that says what is wrong and what to do, or its name is cleaned to what a case attachment would be
called, and a refusal leaves no notice, no delivery, no audit entry and no stored file.

The expected names and words are the ones apps/cases/tests/test_malicious_uploads.py and test_attachment_files.py
hold for case attachments."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.notices.services import notice_delivery_forward, notice_issue
from apps.notices.tests.world import PDF, image_bytes, office_bytes, zip_bytes

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode.\r\n" * 4
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('/campaigns/notices/').then(r=>r.text())</script></body></html>"
PDF_HTML = PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><script>alert(1)</script></html>\n")
PDF_JS = PDF.replace(b"trailer", b"3 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\ntrailer")
DOCM = office_bytes("docx", "application/vnd.ms-word.document.macroEnabled.main+xml")
XLSM = office_bytes("xlsx", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00\x00\x00\x10mdat" + b"\xde\xad" * 100


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_bomb(width: int, height: int) -> bytes:
    """A valid PNG header declaring width×height pixels, in a file of a few hundred bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
            + _png_chunk(b"IEND", b""))


def _office_with(kind: str, **members) -> bytes:
    """An Office document of `kind` with extra members (a bomb, an unsafe path)."""
    with zipfile.ZipFile(io.BytesIO(office_bytes(kind))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return zip_bytes({**parts, **members})


# (id, uploaded name, content maker, words the message must hold): the case corpus's words for the same files
CORPUS = [
    ("exe-named-pdf", "通知.pdf", lambda: EXE, "可执行程序"),
    ("html-named-pdf", "通知.pdf", lambda: HTML, "网页或XML文本"),
    ("svg-with-script-named-png", "logo.png", lambda: SVG, "SVG矢量图"),
    ("gif-named-png", "动图.png", lambda: b"GIF89a" + b"\x00" * 64, "GIF图片"),
    ("old-binary-doc", "方案.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版Office文件"),
    ("mp4-named-pdf", "通知.pdf", lambda: MP4, "MP4视频"),
    ("polyglot-jpeg-zip", "海报.jpg", lambda: image_bytes("JPEG") + zip_bytes({"x.html": HTML}), "夹带了其他文件"),
    ("polyglot-png-html", "海报.png", lambda: image_bytes("PNG") + HTML, "夹带了其他文件"),
    ("truncated-jpeg", "半张.jpg", lambda: image_bytes("JPEG", size=(300, 300))[:400], "不完整"),
    ("pixel-bomb-png", "全景.png", lambda: pixel_bomb(100_000, 100_000), "像素"),
    ("polyglot-pdf-html", "通知.pdf", lambda: PDF_HTML, "网页或脚本代码"),
    ("pdf-with-javascript", "通知.pdf", lambda: PDF_JS, "自动运行的脚本"),
    ("pdf-header-only", "通知.pdf", lambda: b"%PDF-1.7\n", "不是完整的PDF"),
    ("zip-bomb-as-docx", "方案.docx", lambda: _office_with("docx", **{"word/media/image1.png": b"\x00" * (20 << 20)}),
     "压缩炸弹"),
    ("docx-with-dotdot-members", "方案.docx", lambda: _office_with("docx", **{"../../../../tmp/evil.sh": "rm -rf /"}),
     "不安全的文件路径"),
    ("macro-docm-named-docx", "方案.docx", lambda: DOCM, "可能含宏"),
    ("macro-xlsm-named-xlsx", "名额表.xlsx", lambda: XLSM, "可能含宏"),
    ("plain-zip-named-xlsx", "名额表.xlsx", lambda: zip_bytes({"readme.txt": "hello"}), "普通压缩包"),
    ("empty-file", "空.pdf", lambda: b"", "空文件"),
    ("huge-name-with-bad-content", "很" * 2000 + ".pdf", lambda: EXE, "“" + "很" * 57 + "…”"),
    ("path-traversal-name-with-bad-content", "../../../../etc/cron.d/evil.pdf", lambda: b"* * * * * sh", "“evil.pdf”"),
    ("control-characters-with-bad-content", "通\x00知\x1b[31m.pdf", lambda: EXE, "“通_知_[31m.pdf”"),
]


def _issue(t, files):
    return notice_issue(programme=t.zhejiang_programme, by=t.zhejiang_admin, title="征集通知", body="正文",
                        deadline=timezone.localdate() + dt.timedelta(days=7), attachments=files)


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _stored_name(t, raw_name: str, content: bytes) -> str:
    notice = _issue(t, [SimpleUploadedFile(raw_name, content)])
    with scopes_disabled():
        return NoticeAttachment.plain.get(notice=notice).name


@pytest.mark.parametrize("name,make,says", [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_r102_a_hostile_notice_file_is_refused_as_a_case_file_would_be(notice_tree, media, name, make, says):
    with pytest.raises(ValidationError) as caught:
        _issue(notice_tree, [SimpleUploadedFile(name, make())])
    message = " ".join(caught.value.messages)
    assert says in message
    assert "请" in message, "the message says what to do"
    assert "/" not in message.split("“")[1].split("”")[0]
    assert _stored_files(media) == []
    with scopes_disabled():
        assert not Notice.plain.exists() and not NoticeDelivery.plain.exists() and not NoticeAttachment.plain.exists()
        assert not AuditEntry.plain.filter(action__startswith="notice").exists()


def test_r102_a_hostile_addendum_file_is_refused_and_the_delivery_is_not_forwarded(cascade, media):
    t = cascade
    before = _stored_files(media)
    with pytest.raises(ValidationError, match="可执行程序"):
        notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.shangcheng_admin, addendum="上城区补充",
                                attachment=SimpleUploadedFile("上城区要求.pdf", EXE))
    with scopes_disabled():
        t.shangcheng_delivery.refresh_from_db()
        assert t.shangcheng_delivery.forwarded_at is None
        assert not NoticeDelivery.plain.filter(notice=t.notice, sender=t.shangcheng).exists()
    assert _stored_files(media) == before


@pytest.mark.parametrize("raw", ["../../../../etc/cron.d/现场.jpg", "..\\..\\windows\\system32\\现场.jpg",
                                 "/var/www/html/现场.jpg"])
def test_r102_a_path_traversal_name_with_good_content_is_stored_by_its_last_part_only(notice_tree, media, raw):
    notice = _issue(notice_tree, [SimpleUploadedFile(raw, image_bytes("JPEG"))])
    with scopes_disabled():
        attachment = NoticeAttachment.plain.get(notice=notice)
    assert attachment.name == "现场.jpg"
    assert all(part not in ("..", "etc", "var", "windows") for part in attachment.file.name.split("/"))
    assert all(str(p.relative_to(media)).startswith("notices/") for p in _stored_files(media))


@pytest.mark.parametrize("raw,make,expected", [
    ("a\x00b\x1f<c>:d|e?.pdf", lambda: PDF, "a_b__c__d_e.pdf"),
    ("报告\u202egpj.exe", lambda: PDF, "报告_gpj.pdf"),
    ("零宽\u200b空格\ufeff.pdf", lambda: PDF, "零宽_空格.pdf"),
    ("CON.pdf", lambda: PDF, "_CON.pdf"),
    ("...", lambda: PDF, "附件.pdf"),
    ("照片.jpg.exe", lambda: image_bytes("JPEG"), "照片.jpg.jpg"),
    ("通知.pdf.exe", lambda: PDF, "通知.pdf.pdf"),
    ("名额表.xlsx.bat", lambda: office_bytes("xlsx"), "名额表.xlsx.xlsx"),
], ids=["control-and-reserved-characters", "right-to-left-override", "zero-width-characters", "device-name",
        "dots-only", "double-extension-photo", "double-extension-pdf", "double-extension-excel"])
def test_r102_a_notice_file_name_is_cleaned_as_a_case_file_name(notice_tree, media, raw, make, expected):
    assert _stored_name(notice_tree, raw, make()) == expected


def test_r102_an_over_long_name_is_capped_at_a_hundred_characters_with_its_real_extension(notice_tree, media):
    name = _stored_name(notice_tree, "很" * 2000 + ".jpeg", image_bytes("JPEG"))
    assert len(name) == 100 and name.endswith(".jpg")
