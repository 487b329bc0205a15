"""The attachments' part of the matrix world, and test files the attachment tests share.

`build(world)` reuses the case-form helper's `world.xihu_case` (a draft in 西湖区 recommended by
西湖科技园科协) or makes one, and gives it one stored photo with a thumbnail: `world.xihu_photo`. When the
case-form helper made `world.xihu_submitted_case`, its first photo is `world.xihu_submitted_photo`.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from apps.cases.models import CaseAttachment
from apps.core.scoping import scopes_disabled
from tests.factories import make_case, make_enterprise

WORLD_PHOTO = "cases/world/xihu-photo.jpg"
WORLD_THUMB = "cases/world/xihu-photo-thumb.jpg"


def jpeg_bytes(size=(64, 48), colour=(200, 30, 30), **save) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **save)
    return out.getvalue()


def ensure_xihu_case(world):
    case = getattr(world, "xihu_case", None)
    if case is None:
        enterprise = getattr(world, "xihu_enterprise", None) or make_enterprise(
            world.campaign, world.xihu, name="杭州西湖附件测试科技有限公司", serial="MA2ATTCH1", park=world.xihu_park)
        case = make_case(enterprise, world.xihu_park)
        world.xihu_case = case
    return case


def build(world) -> None:
    case = ensure_xihu_case(world)
    photo = jpeg_bytes()
    for name in (WORLD_PHOTO, WORLD_THUMB):
        # One stored file shared by every matrix case, written once per test session.
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(photo))
    world.xihu_photo = CaseAttachment.plain.create(
        case=case, kind=CaseAttachment.Kind.PHOTO, file=WORLD_PHOTO, thumbnail=WORLD_THUMB, name="产线改造现场.jpg",
        content_type="image/jpeg", size=len(photo), sha256="0" * 64, meta={"width": 64, "height": 48}, position=1,
    )
    submitted = getattr(world, "xihu_submitted_case", None)
    if submitted is not None:
        world.xihu_submitted_photo = (CaseAttachment.plain.filter(case=submitted, kind=CaseAttachment.Kind.PHOTO)
                                      .order_by("position", "pk").first())
        if world.xihu_submitted_photo is not None:
            # The case builder's rows name no stored file; the matrix reads this one, so it gets the shared photo.
            CaseAttachment.plain.filter(pk=world.xihu_submitted_photo.pk).update(
                file=WORLD_PHOTO, thumbnail=WORLD_THUMB, content_type="image/jpeg", size=len(photo))
            world.xihu_submitted_photo.refresh_from_db()


# --- fixtures and sample files of the attachment tests (imported by test_attachment*.py) -----------------------------

PDF_BYTES = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
             b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")
PPTX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/ppt/presentation.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
    '<Override PartName="/ppt/slides/slide1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/></Types>'
)


def zip_bytes(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 5, 1, 0, 0, 0)), data, compress_type=compression)
    return out.getvalue()


def pptx_members(**extra) -> dict:
    return {"[Content_Types].xml": PPTX_CONTENT_TYPES, "_rels/.rels": "<Relationships/>",
            "ppt/presentation.xml": "<p:presentation/>", "ppt/slides/slide1.xml": "<p:sld/>", **extra}


def pptx_bytes() -> bytes:
    return zip_bytes(pptx_members())


def png_bytes(size=(64, 48), mode="RGB", colour=(30, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def gps_jpeg_bytes(size=(80, 40)) -> bytes:
    """A JPEG with a GPS position, a camera make and orientation 6 (turn 90° clockwise to view)."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "InnocaseCam"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (30.0, 15.0, 36.0), 3: "E", 4: (120.0, 9.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (10, 160, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def temporary_upload(path: Path, name: str, content_type: str = "video/mp4") -> TemporaryUploadedFile:
    """An upload as Django hands over one above FILE_UPLOAD_MAX_MEMORY_SIZE: already in a temporary file."""
    handle = TemporaryUploadedFile(name, content_type, path.stat().st_size, None)
    with open(path, "rb") as source:
        shutil.copyfileobj(source, handle)
    handle.seek(0)
    return handle


def stored_files(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _ffmpeg(*args: str, out: Path) -> Path:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args, str(out)], check=True, timeout=120)
    return out


_made_videos: dict[str, Path] = {}


@pytest.fixture(scope="session")
def videos(tmp_path_factory) -> dict[str, Path]:
    """Real short clips made by ffmpeg once per session: 64×64, 1 s, except the one 4K frame.
    (Several test modules expose this fixture; the clips are still made once.)"""
    if not _made_videos:
        _made_videos.update(_make_videos(tmp_path_factory.mktemp("videos")))
    return _made_videos


def _make_videos(folder: Path) -> dict[str, Path]:
    src = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
           "-t", "1"]
    made = {
        "h264": _ffmpeg(*src, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart",
                        out=folder / "ok.mp4"),
        "h264_tail_moov": _ffmpeg(*src, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-an", out=folder / "tail.mp4"),
        "hevc": _ffmpeg(*src, "-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-an",
                        out=folder / "hevc.mp4"),
        "mpeg4": _ffmpeg(*src, "-c:v", "mpeg4", "-an", out=folder / "mpeg4.mp4"),
        "mov": _ffmpeg(*src, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-an", "-f", "mov", out=folder / "mov.mp4"),
        "audio_only": _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac",
                              out=folder / "audio.mp4"),
        "uhd": _ffmpeg("-f", "lavfi", "-i", "testsrc=size=3840x2160:rate=1", "-frames:v", "1", "-c:v", "libx264",
                       "-preset", "ultrafast", "-pix_fmt", "yuv420p", out=folder / "uhd.mp4"),
    }
    data = made["h264"].read_bytes()
    (folder / "cut.mp4").write_bytes(data[: len(data) * 2 // 3])
    made["truncated"] = folder / "cut.mp4"
    data = made["h264_tail_moov"].read_bytes()
    (folder / "cut_tail.mp4").write_bytes(data[: len(data) // 2])
    made["truncated_no_moov"] = folder / "cut_tail.mp4"
    return made


@pytest.fixture
def media(settings, tmp_path):
    """A fresh, empty storage folder for this test, so a test can see exactly what was stored."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def xihu_world(tree, media):
    """The test tree with the 2026 campaign and a draft case of 西湖区 recommended by 西湖科技园科协."""
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
        ensure_xihu_case(tree)
        tree.wuhou_enterprise = make_enterprise(tree.campaign, tree.wuhou, name="成都武侯测试有限公司",
                                                serial="MA6ATTCH2", park=tree.wuhou_park)
        tree.wuhou_case = make_case(tree.wuhou_enterprise, tree.wuhou_park)
    return tree
