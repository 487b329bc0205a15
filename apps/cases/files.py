"""What a case attachment may be (R-106): the types, limits and words of each kind, and the video's own rule.

`check_upload(kind, upload)` runs the platform's file checks (apps/core/files.py: type by content, size, names,
image re-encoding with a thumbnail, PDF, PPTX zip-bomb checks, MP4 container) for the kind's slot, then probes an
MP4's streams with PyAV in a child process with a time and memory limit (apps/cases/videoprobe.py): only H.264 up
to 1920×1080 passes. It refuses a file with a Chinese message that says what is wrong and what to do, or returns a
`CheckedFile` that holds what will be stored. The upload of a video is kept as it is and later streamed to storage
in chunks.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace

from django.conf import settings
from django.utils.translation import gettext as _

from apps.cases.models import CaseAttachment
from apps.cases.videoprobe import probe
from apps.core.files import (
    CHUNK,
    IMAGES,
    MP4,
    PDF,
    PPTX,
    CheckedFile,
    FileType,
    Refused,
    Slot,
    check_file,
    refusal_context,
)
from apps.core.files import accept_attribute as _accept_attribute

Kind = CaseAttachment.Kind

VIDEO_MAX_LONG_SIDE, VIDEO_MAX_SHORT_SIDE = 1920, 1080

ACCEPTS: dict[str, tuple[FileType, ...]] = {
    Kind.PHOTO: IMAGES,
    Kind.VIDEO: (MP4,),
    Kind.SLIDES: (PPTX, PDF),
    Kind.EVIDENCE: (PDF, *IMAGES),
    Kind.RECOMMENDATION_FORM: (PDF, *IMAGES),
}


def expected_words(kind: str) -> str:
    return {
        Kind.PHOTO: _("JPEG、PNG或WebP图片"),
        Kind.VIDEO: _("H.264编码的MP4视频"),
        Kind.SLIDES: _("PowerPoint演示文稿（.pptx）或PDF文件"),
        Kind.EVIDENCE: _("PDF文件或JPEG、PNG、WebP图片"),
        Kind.RECOMMENDATION_FORM: _("PDF文件或JPEG、PNG、WebP图片（扫描件或照片）"),
    }[kind]


def advice_words(kind: str) -> str:
    return {
        Kind.PHOTO: _("请用看图或修图软件另存为JPEG或PNG后重新上传"),
        Kind.VIDEO: _("请用视频软件导出为MP4（H.264编码）后重新上传"),
        Kind.SLIDES: _("请在PowerPoint或WPS中另存为.pptx或PDF后重新上传"),
        Kind.EVIDENCE: _("请另存为PDF或拍照（JPEG）后重新上传"),
        Kind.RECOMMENDATION_FORM: _("请将盖章后的推荐表扫描为PDF或拍照（JPEG）后重新上传"),
    }[kind]


def accept_attribute(kind: str) -> str:
    """The file picker's hint; the server never trusts it."""
    return _accept_attribute(ACCEPTS[kind])


def limit_bytes(kind: str) -> int:
    return settings.CASE_VIDEO_MAX_BYTES if kind == Kind.VIDEO else settings.CASE_FILE_MAX_BYTES


def slot(kind: str) -> Slot:
    return Slot(types=ACCEPTS[kind], limit=limit_bytes(kind), max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=expected_words(kind), advice=advice_words(kind), thumbnail=True)


def check_upload(kind: str, upload) -> CheckedFile:
    """Every check of one uploaded file for `kind`; raises Refused, or returns what to store."""
    if kind not in ACCEPTS:
        raise Refused(_("请选择附件类别"))
    kind_slot = slot(kind)
    checked = check_file(upload, kind_slot)
    if checked.type is MP4:
        checked = replace(checked, meta=_video_meta(upload, refusal_context(upload, kind_slot)))
    return checked


# --- the video's streams --------------------------------------------------------------------------------------------

def _path_of(upload, temps: list[str]) -> str:
    """A file path the probe can read: the temporary upload's own, or a copy of a small in-memory one."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    with tempfile.NamedTemporaryFile(prefix="innocase-probe-", suffix=".mp4", delete=False,
                                     dir=settings.FILE_UPLOAD_TEMP_DIR) as handle:
        temps.append(handle.name)
        for chunk in upload.chunks(CHUNK):
            handle.write(chunk)
    upload.seek(0)
    return handle.name


def _video_meta(upload, context: dict) -> dict:
    """The streams of an MP4 that passed the container checks: H.264, at most 1920×1080, with a duration."""
    temps: list[str] = []
    try:
        info = probe(_path_of(upload, temps))
    finally:
        for path in temps:
            os.unlink(path)
    unreadable = _("视频“%(name)s”无法读取（文件损坏或格式不符），%(advice)s") % context
    if info is None:
        raise Refused(unreadable)
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "video"
               and not (s.get("disposition") or {}).get("attached_pic")]
    if not streams:
        raise Refused(_("视频“%(name)s”中没有视频画面，%(advice)s") % context)
    video = streams[0]
    codec = str(video.get("codec_name") or "")
    if codec != "h264":
        shown = {"hevc": "H.265/HEVC", "mpeg4": "MPEG-4 Part 2", "av1": "AV1", "vp9": "VP9"}.get(codec, codec or "?")
        raise Refused(_("视频“%(name)s”的编码为%(codec)s，本活动只接收H.264编码的MP4，"
                        "请在导出时选择H.264（AVC）编码后重新上传") % {**context, "codec": shown})
    try:
        width, height = int(video["width"]), int(video["height"])
        duration = float((info.get("format") or {}).get("duration") or video.get("duration") or 0)
    except (KeyError, TypeError, ValueError):
        raise Refused(unreadable)
    if width <= 0 or height <= 0 or not duration > 0:
        raise Refused(unreadable)
    if max(width, height) > VIDEO_MAX_LONG_SIDE or min(width, height) > VIDEO_MAX_SHORT_SIDE:
        raise Refused(_("视频“%(name)s”的分辨率为%(w)d×%(h)d，超过1920×1080的上限，"
                        "请导出为1080p或更低分辨率后重新上传") % {**context, "w": width, "h": height})
    audio = next((s for s in info.get("streams", []) if s.get("codec_type") == "audio"), None)
    upload.seek(0)
    return {
        "codec": codec, "profile": video.get("profile", ""), "width": width, "height": height,
        "duration": round(duration, 2), "pix_fmt": video.get("pix_fmt", ""),
        "frame_rate": video.get("avg_frame_rate", ""), "audio_codec": (audio or {}).get("codec_name", ""),
    }
