"""Content checks of case attachments (issue 4 item 3): type by content, images re-encoded, video probed."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from apps.cases.files import check_upload
from apps.cases.tests import attachment_world
from apps.cases.tests.attachment_world import (
    PDF_BYTES,
    gps_jpeg_bytes,
    jpeg_bytes,
    png_bytes,
    pptx_bytes,
    temporary_upload,
    upload,
)
from apps.core.files import Refused, safe_file_name, sniff

# Shared fixtures of the attachment tests (a module-level name makes pytest see them here).
videos = attachment_world.videos


def opened(checked) -> Image.Image:
    checked.content.seek(0)
    return Image.open(io.BytesIO(checked.content.read()))


def test_photo_is_reencoded_without_gps_exif_and_turned_upright():
    original = gps_jpeg_bytes(size=(80, 40))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample has a position
    checked = check_upload("photo", upload("IMG_0001.JPG", original, "image/jpeg"))
    stored = opened(checked)
    assert stored.format == "JPEG"
    assert stored.size == (40, 80), "orientation 6 is applied before the EXIF goes"
    assert not stored.getexif(), "no EXIF at all: no GPS, no camera, no orientation"
    assert "exif" not in stored.info
    assert b"InnocaseCam" not in checked.content.read() and checked.meta["width"] == 40


def test_photo_gets_a_jpeg_thumbnail_of_at_most_480_px():
    checked = check_upload("photo", upload("大图.png", png_bytes(size=(1600, 900)), "image/png"))
    thumb = Image.open(io.BytesIO(checked.thumbnail.read()))
    assert thumb.format == "JPEG" and max(thumb.size) == 480
    assert checked.type.key == "png" and checked.name == "大图.png"


def test_sha256_and_size_describe_the_stored_bytes():
    import hashlib

    checked = check_upload("photo", upload("a.jpg", jpeg_bytes(), "image/jpeg"))
    checked.content.seek(0)
    data = checked.content.read()
    assert checked.sha256 == hashlib.sha256(data).hexdigest() and checked.size == len(data)


def test_webp_photo_stays_webp():
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (1, 2, 3, 128)).save(out, "WEBP")
    checked = check_upload("photo", upload("x.webp", out.getvalue(), "image/webp"))
    assert opened(checked).format == "WEBP" and checked.content_type == "image/webp"


def test_cmyk_jpeg_is_reencoded_as_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 255, 255, 0)).save(out, "JPEG")
    checked = check_upload("photo", upload("印刷稿.jpg", out.getvalue(), "image/jpeg"))
    assert opened(checked).mode == "RGB"


def test_sixteen_bit_png_is_reencoded_as_eight_bit():
    out = io.BytesIO()
    Image.new("I;16", (40, 30), 40000).save(out, "PNG")
    checked = check_upload("photo", upload("扫描.png", out.getvalue(), "image/png"))
    stored = opened(checked)
    assert stored.mode == "L" and 150 <= stored.getpixel((0, 0)) <= 160


def test_photo_with_a_wrong_extension_keeps_its_content_type_and_gets_the_right_extension():
    checked = check_upload("photo", upload("现场照片.png", jpeg_bytes(), "image/png"))
    assert checked.type.key == "jpeg" and checked.name == "现场照片.jpg"


def test_pixel_limit_comes_from_settings(settings):
    settings.CASE_IMAGE_MAX_PIXELS = 100 * 100
    with pytest.raises(Refused, match="像素"):
        check_upload("photo", upload("a.jpg", jpeg_bytes(size=(101, 100)), "image/jpeg"))
    assert check_upload("photo", upload("a.jpg", jpeg_bytes(size=(100, 100)), "image/jpeg"))


def test_pdf_and_pptx_are_accepted_as_slides():
    pdf = check_upload("slides", upload("汇报.pdf", PDF_BYTES, "application/pdf"))
    deck = check_upload("slides", upload("汇报.PPTX", pptx_bytes()))
    assert (pdf.type.key, pdf.meta["pdf_version"]) == ("pdf", "1.4")
    assert (deck.type.key, deck.name, deck.meta["slides"]) == ("pptx", "汇报.pptx", 1)
    assert deck.thumbnail is None


def test_size_limit_comes_from_settings(settings):
    settings.CASE_FILE_MAX_BYTES = 100
    with pytest.raises(Refused, match="超过100 B的上限"):
        check_upload("evidence", upload("大.pdf", PDF_BYTES, "application/pdf"))


def test_video_meta_is_read_without_a_system_ffprobe(videos, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no ffmpeg, no ffprobe: a fresh machine with only Python
    checked = check_upload("video", temporary_upload(videos["h264"], "案例视频.mp4"))
    assert checked.meta["codec"] == "h264"
    assert (checked.meta["width"], checked.meta["height"]) == (64, 64)
    assert 0.9 <= checked.meta["duration"] <= 1.2
    assert checked.meta["audio_codec"] == "aac"
    assert checked.thumbnail is None and checked.content_type == "video/mp4"


def test_small_in_memory_video_is_probed_from_a_temporary_copy_that_is_removed(videos, tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    checked = check_upload("video", upload("v.mp4", videos["h264_tail_moov"].read_bytes(), "video/mp4"))
    assert checked.meta["codec"] == "h264"
    assert list(tmp_path.iterdir()) == []


def test_video_limit_is_its_own_setting(settings, videos):
    settings.CASE_FILE_MAX_BYTES = 10
    assert check_upload("video", temporary_upload(videos["h264"], "v.mp4"))
    settings.CASE_VIDEO_MAX_BYTES = 1000
    with pytest.raises(Refused, match="超过"):
        check_upload("video", temporary_upload(videos["h264"], "v.mp4"))


@pytest.mark.parametrize("raw,extension,expected", [
    ("../../etc/passwd.jpg", ".jpg", "passwd.jpg"),
    ("C:\\Users\\王工\\Desktop\\现场.JPG", ".jpg", "现场.jpg"),
    ("a\x00b\x1f<c>:d|e?.pdf", ".pdf", "a_b__c__d_e.pdf"),
    ("报告\u202egpj.exe", ".pdf", "报告_gpj.pdf"),
    ("CON.pdf", ".pdf", "_CON.pdf"),
    ("...", ".pdf", "附件.pdf"),
    ("", ".png", "附件.png"),
    ("照片.jpg.exe", ".jpg", "照片.jpg.jpg"),
])
def test_file_names_are_sanitised(raw, extension, expected):
    assert safe_file_name(raw, extension) == expected


def test_file_names_are_length_capped():
    name = safe_file_name("很" * 500 + ".pptx", ".pptx")
    assert len(name) == 100 and name.endswith(".pptx")


@pytest.mark.parametrize("head,key", [
    (b"\xff\xd8\xff\xe0", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    (b"%PDF-1.7", "pdf"), (b"PK\x03\x04", "zip"), (b"\x00\x00\x00\x18ftypmp42", "mp4"),
    (b"GIF89a", None), (b"<svg", None), (b"MZ\x90\x00", None),
])
def test_types_are_told_by_magic_bytes(head, key):
    found = sniff(head)
    assert (found.key if found else None) == key
