"""The malicious upload corpus (issue 4, "How it is checked"): every hostile file is built here, refused
with a message that says what is wrong and what to do, and leaves no row, no audit entry and no stored file."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from apps.audit.models import AuditEntry
from apps.cases.attachment_services import attachment_add
from apps.cases.models import CaseAttachment
from apps.cases.tests import attachment_world
from apps.cases.tests.attachment_world import (
    PDF_BYTES,
    jpeg_bytes,
    png_bytes,
    pptx_members,
    stored_files,
    temporary_upload,
    upload,
    zip_bytes,
)
from apps.core.scoping import scope, scopes_disabled

# Shared fixtures of the attachment tests (a module-level name makes pytest see them here).
media = attachment_world.media
videos = attachment_world.videos
xihu_world = attachment_world.xihu_world


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_bomb(width: int, height: int) -> bytes:
    """A valid PNG header declaring width×height pixels, in a file of a few hundred bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
            + _png_chunk(b"IEND", b""))


def pillow_bytes(fmt: str, mode="RGB", **kw) -> bytes:
    out = io.BytesIO()
    colour = {"L": 128, "P": 128, "I;16": 40000, "LA": (128, 200), "CMYK": (0, 255, 255, 0)}.get(mode, (10, 20, 30))
    Image.new(mode, (32, 32), colour).save(out, fmt, **kw)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode.\r\n" * 4
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('/cases/').then(r=>r.text())</script></body></html>"
PDF_HTML = PDF_BYTES.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><script>alert(1)</script></html>\n")
PDF_JS = PDF_BYTES.replace(b"trailer", b"3 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\ntrailer")
DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
MACRO = zip_bytes(pptx_members(**{
    "[Content_Types].xml": '<Types><Override PartName="/ppt/presentation.xml" '
                           'ContentType="application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"/></Types>',
    "ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 64}))
ZIP_BOMB = zip_bytes(pptx_members(**{"ppt/media/image1.png": b"\x00" * (20 * 1024 * 1024)}))
MANY_MEMBERS = zip_bytes({**pptx_members(), **{f"ppt/x/{i}.xml": b"" for i in range(5001)}}, zipfile.ZIP_STORED)
TRAVERSAL_ZIP = zip_bytes(pptx_members(**{"../../../../tmp/evil.sh": "rm -rf /"}))
ABSOLUTE_ZIP = zip_bytes(pptx_members(**{"/etc/cron.d/evil": "* * * * * root sh"}))
PLAIN_ZIP = zip_bytes({"readme.txt": "hello"})


def _patched_pptx(*, flag_bits: int = 0, method: int | None = None) -> bytes:
    """A stored (uncompressed) pptx whose slide member says it is encrypted (flag bit 0) or compressed with a
    method zipfile does not know: files the check cannot read, so it must refuse them, not crash."""
    data = bytearray(zip_bytes(pptx_members(), compression=zipfile.ZIP_STORED))
    name = b"ppt/slides/slide1.xml"
    # (signature, offsets of the flags, the method, the name's length and the name) in the local header and
    # in the central directory entry
    for signature, flags_at, method_at, length_at, name_at in ((b"PK\x03\x04", 6, 8, 26, 30),
                                                               (b"PK\x01\x02", 8, 10, 28, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if data[at + name_at:at + name_at + length] == name:
                struct.pack_into("<H", data, at + flags_at, struct.unpack_from("<H", data, at + flags_at)[0] | flag_bits)
                if method is not None:
                    struct.pack_into("<H", data, at + method_at, method)
            at += 4
    return bytes(data)


ENCRYPTED_PPTX = _patched_pptx(flag_bits=0x1)
UNKNOWN_METHOD_PPTX = _patched_pptx(method=99)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
FAKE_MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00\x00\x00\x10mdat" + b"\xde\xad" * 100


def _clip(name):
    return lambda v: v[name].read_bytes()


# (id, kind, uploaded name, content maker (gets the session's ffmpeg clips), words the message must hold)
CORPUS = [
    ("exe-named-jpg", "photo", "现场.jpg", lambda v: EXE, "可执行程序"),
    ("polyglot-jpeg-zip", "photo", "现场.jpg", lambda v: jpeg_bytes() + zip_bytes({"x.html": HTML}), "夹带了其他文件"),
    ("polyglot-png-html", "photo", "现场.png", lambda v: png_bytes() + HTML, "夹带了其他文件"),
    ("polyglot-pdf-html", "evidence", "证明.pdf", lambda v: PDF_HTML, "网页或脚本代码"),
    ("pdf-with-javascript", "evidence", "证明.pdf", lambda v: PDF_JS, "自动运行的脚本"),
    ("zip-bomb-as-pptx", "slides", "汇报.pptx", lambda v: ZIP_BOMB, "压缩炸弹"),
    ("zip-with-5001-members", "slides", "汇报.pptx", lambda v: MANY_MEMBERS, "压缩炸弹"),
    ("pixel-bomb-png", "photo", "全景.png", lambda v: pixel_bomb(100_000, 100_000), "像素"),
    ("pixel-bomb-just-over-the-setting", "photo", "全景.png", lambda v: pixel_bomb(8000, 5001), "8000×5001像素"),
    ("svg-with-script-named-png", "photo", "logo.png", lambda v: SVG, "SVG矢量图"),
    ("svg-with-script", "evidence", "logo.svg", lambda v: SVG, "SVG矢量图"),
    ("empty-file", "photo", "空.jpg", lambda v: b"", "空文件"),
    ("one-byte-file", "evidence", "一.pdf", lambda v: b"\xff", "无法识别的格式"),
    ("huge-name-with-bad-content", "photo", "很" * 2000 + ".jpg", lambda v: EXE, "很很很"),
    ("path-traversal-name-with-bad-content", "photo", "../../../../etc/cron.d/evil.jpg", lambda v: b"* * * * * sh",
     "“evil.jpg”"),
    ("truncated-mp4", "video", "视频.mp4", _clip("truncated"), "不完整"),
    ("truncated-mp4-without-moov", "video", "视频.mp4", _clip("truncated_no_moov"), "不完整"),
    ("hevc-mp4", "video", "视频.mp4", _clip("hevc"), "H.265/HEVC"),
    ("mpeg4-part2-mp4", "video", "视频.mp4", _clip("mpeg4"), "MPEG-4 Part 2"),
    ("4k-h264", "video", "视频.mp4", _clip("uhd"), "3840×2160"),
    ("quicktime-mov-named-mp4", "video", "视频.mp4", _clip("mov"), "QuickTime"),
    ("audio-only-mp4", "video", "视频.mp4", _clip("audio_only"), "没有视频画面"),
    ("ftyp-with-garbage", "video", "视频.mp4", lambda v: FAKE_MP4, "不完整"),
    ("jpeg-named-mp4", "video", "视频.mp4", lambda v: jpeg_bytes(), "JPEG图片"),
    ("mp4-in-photo-slot", "photo", "照片.jpg", _clip("h264"), "MP4视频"),
    ("gif-named-png", "photo", "动图.png", lambda v: pillow_bytes("GIF", "P"), "GIF图片"),
    ("tiff", "photo", "扫描.tif", lambda v: pillow_bytes("TIFF"), "TIFF图片"),
    ("heic-named-jpg", "photo", "IMG_1234.jpg", lambda v: HEIC, "HEIC"),
    ("truncated-jpeg", "photo", "半张.jpg", lambda v: jpeg_bytes(size=(300, 300))[:400], "不完整"),
    ("pdf-header-only", "form", "推荐表.pdf", lambda v: b"%PDF-1.7\n", "不是完整的PDF"),
    ("pdf-header-and-eof-only", "form", "推荐表.pdf", lambda v: b"%PDF-1.7\n%%EOF\n", "只有PDF文件头"),
    ("docx-in-slides-slot", "slides", "汇报.pptx", lambda v: DOCX, "Word文档"),
    ("macro-pptm-named-pptx", "slides", "汇报.pptx", lambda v: MACRO, "可能含宏"),
    ("plain-zip-named-pptx", "slides", "汇报.pptx", lambda v: PLAIN_ZIP, "普通压缩包"),
    ("html-named-pdf", "evidence", "证明.pdf", lambda v: HTML, "网页或XML文本"),
    ("pptx-with-dotdot-members", "slides", "汇报.pptx", lambda v: TRAVERSAL_ZIP, "不安全的文件路径"),
    ("pptx-with-absolute-members", "slides", "汇报.pptx", lambda v: ABSOLUTE_ZIP, "不安全的文件路径"),
    ("pptx-with-an-encrypted-member", "slides", "汇报.pptx", lambda v: ENCRYPTED_PPTX, "设置了密码"),
    ("pptx-with-an-unknown-compression", "slides", "汇报.pptx", lambda v: UNKNOWN_METHOD_PPTX, "不是有效的PowerPoint"),
    ("old-binary-ppt", "slides", "汇报.ppt", lambda v: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
     "旧版Office文件"),
]


@pytest.fixture
def w(xihu_world):
    return xihu_world


@pytest.mark.parametrize("kind,name,make,says", [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_hostile_file_is_refused_with_a_clear_message_and_nothing_is_stored(w, media, videos, kind, name, make,
                                                                            says):
    up = upload(name, make(videos))
    with pytest.raises(ValidationError) as caught, scope(org=w.xihu_park):
        attachment_add(case=w.xihu_case, kind=kind, upload=up, by=w.xihu_park_admin)
    message = " ".join(caught.value.messages)
    assert says in message
    assert "请" in message, "the message says what to do"
    assert "/" not in message.split("“")[1].split("”")[0] if "“" in message else True
    assert stored_files(media) == []
    with scopes_disabled():
        assert not CaseAttachment.objects.exists()
        assert not AuditEntry.plain.filter(action__startswith="attachment.").exists()


def test_the_corpus_holds_at_least_twenty_hostile_files():
    assert len(CORPUS) >= 20


def test_a_large_video_in_a_temporary_file_is_refused_the_same_way(w, media, videos):
    """Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files; the probe reads that path."""
    up = temporary_upload(videos["hevc"], "大视频.mp4")
    with pytest.raises(ValidationError, match="H.265/HEVC"), scope(org=w.xihu_park):
        attachment_add(case=w.xihu_case, kind="video", upload=up, by=w.xihu_park_admin)
    up.close()
    assert stored_files(media) == []


@pytest.mark.parametrize("name", ["../../../../etc/cron.d/现场.jpg", "..\\..\\windows\\system32\\现场.jpg",
                                  "/var/www/html/现场.jpg"])
def test_a_path_traversal_name_with_good_content_is_stored_by_its_last_part_only(w, media, name):
    with scope(org=w.xihu_park):
        attachment = attachment_add(case=w.xihu_case, kind="photo", upload=upload(name, jpeg_bytes()),
                                    by=w.xihu_park_admin)
    assert attachment.name == "现场.jpg"
    assert all(part not in ("..", "etc", "var", "windows") for part in attachment.file.name.split("/"))
    assert all(p.startswith("cases/") for p in stored_files(media))


def test_a_huge_name_with_good_content_is_capped(w, media):
    with scope(org=w.xihu_park):
        attachment = attachment_add(case=w.xihu_case, kind="photo", upload=upload("很" * 2000 + ".jpeg", jpeg_bytes()),
                                    by=w.xihu_park_admin)
    assert len(attachment.name) == 100 and attachment.name.endswith(".jpg")
    assert len(attachment.file.name) < 80


@pytest.mark.parametrize("maker", [
    lambda: pillow_bytes("JPEG", "CMYK"),
    lambda: pillow_bytes("PNG", "I;16"),
    lambda: pillow_bytes("PNG", "P", transparency=0),
    lambda: pillow_bytes("PNG", "LA"),
], ids=["cmyk-jpeg", "16-bit-png", "palette-png-with-transparency", "grey-alpha-png"])
def test_unusual_but_honest_images_are_reencoded_cleanly(w, media, maker):
    with scope(org=w.xihu_park):
        attachment = attachment_add(case=w.xihu_case, kind="photo", upload=upload("图.img", maker()),
                                    by=w.xihu_park_admin)
    with attachment.file.open("rb") as handle:
        image = Image.open(handle)
        image.load()
    assert image.mode in ("RGB", "RGBA", "L", "LA")
    assert attachment.thumbnail.name
