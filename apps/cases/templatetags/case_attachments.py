"""`{% attachment_sections case attachments as sections %}`: a case's files grouped by kind, for the panel."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from apps.cases.attachment_services import MAX_COUNT, PHOTOS_MIN, REQUIRED
from apps.cases.files import accept_attribute, limit_bytes
from apps.cases.models import CaseAttachment
from apps.core.files import human_size

register = template.Library()
Kind = CaseAttachment.Kind


def _rule_text(kind: str) -> str:
    size = human_size(limit_bytes(kind))
    return {
        Kind.PHOTO: _("%(lo)d至%(hi)d张，JPEG、PNG或WebP，每张不超过%(size)s；上传后自动去除拍摄位置等信息") % {
            "lo": PHOTOS_MIN, "hi": MAX_COUNT[Kind.PHOTO], "size": size},
        Kind.VIDEO: _("1个，MP4（H.264编码），分辨率不超过1920×1080，时长约2至3分钟，不超过%(size)s") % {"size": size},
        Kind.SLIDES: _("1份，PPTX或PDF，不超过%(size)s") % {"size": size},
        Kind.EVIDENCE: _("选填，最多%(hi)d份，PDF或图片，每份不超过%(size)s") % {
            "hi": MAX_COUNT[Kind.EVIDENCE], "size": size},
        Kind.RECOMMENDATION_FORM: _("1份，推荐单位盖章后扫描为PDF或拍照，不超过%(size)s") % {"size": size},
    }[kind]


@register.simple_tag
def attachment_sections(case, attachments=None) -> list[dict]:
    items = list(attachments) if attachments is not None else list(
        CaseAttachment.objects.filter(case=case).order_by("kind", "position", "id"))
    sections = []
    for kind, label in Kind.choices:
        mine = [a for a in items if a.kind == kind]
        sections.append({
            "kind": kind, "label": label, "items": mine, "count": len(mine), "max": MAX_COUNT[kind],
            "rule": _rule_text(kind), "accept": accept_attribute(kind), "can_add": len(mine) < MAX_COUNT[kind],
            "multiple": MAX_COUNT[kind] > 1, "required": kind in REQUIRED or kind == Kind.PHOTO,
            "short": kind == Kind.PHOTO and len(mine) < PHOTOS_MIN,
        })
    return sections


@register.filter
def filesize(value) -> str:
    return human_size(int(value or 0))


@register.filter
def seconds(value) -> str:
    """1:05 for 65.2 seconds."""
    try:
        total = round(float(value))
    except (TypeError, ValueError):
        return ""
    return f"{total // 60}:{total % 60:02d}"
