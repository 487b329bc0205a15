"""The check of a topic video (R-304) against the campaign's spec, line by line, from what PyAV reads of the file
(apps/cases/videoprobe.py: a child process with a time and memory limit, no system binary)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Check:
    key: str
    label: str  # what is checked, in words
    ok: bool
    found: str  # what the file has

    def as_dict(self) -> dict:
        return asdict(self)


def _ratio(text: str) -> Fraction:
    a, b = text.split(":")
    return Fraction(int(a), int(b))


def spec_checks(probe: dict | None, spec: dict) -> list[Check]:
    """Each line of the spec with what the file has; an unreadable file fails one line that says so."""
    if not probe:
        return [Check("readable", _("可读取的MP4视频"), False, _("无法读取视频，请重新导出为MP4（H.264）"))]
    streams = probe.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    try:
        seconds = float(probe.get("format", {}).get("duration") or 0)
    except ValueError:
        seconds = 0.0
    out = [Check("duration", _("时长%(a)d–%(b)d秒") % {"a": spec["min_seconds"], "b": spec["max_seconds"]},
                 spec["min_seconds"] <= seconds <= spec["max_seconds"], _("%(s).0f秒") % {"s": seconds})]
    if video is None:
        out.append(Check("video", _("有视频画面"), False, _("没有视频流")))
        return out
    codec = video.get("codec_name") or ""
    out.append(Check("codec", _("编码H.264"), codec == spec["codec"], codec.upper() or "—"))
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    out.append(Check("resolution", _("分辨率不低于%(w)d×%(h)d") % {"w": spec["min_width"], "h": spec["min_height"]},
                     min(width, height) >= min(spec["min_width"], spec["min_height"])
                     and max(width, height) >= max(spec["min_width"], spec["min_height"]), f"{width}×{height}"))
    wanted = _ratio(spec["aspect"])
    actual = Fraction(width, height) if height else Fraction(0)
    out.append(Check("aspect", _("画面比例%(r)s") % {"r": spec["aspect"]},
                     bool(height) and abs(float(actual) - float(wanted)) <= 0.02 * float(wanted),
                     f"{actual.numerator}:{actual.denominator}" if height else "—"))
    if spec.get("audio"):
        out.append(Check("audio", _("有声音"), audio is not None,
                         (audio.get("codec_name") or "").upper() if audio else _("无音频")))
    return out
