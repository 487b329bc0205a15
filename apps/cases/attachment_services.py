"""Add and remove a case's files (issue 4 item 3), and the submit-time check of what a case still lacks.

Every content check runs before anything is stored; a refused file leaves no row and no stored file.
A second video, slide deck or recommendation form is refused, not swapped in: replacing one is an
explicit remove, then upload, so nobody overwrites a file by accident.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.attachment_permissions import EDITABLE_STATUSES, works_for_recommender
from apps.cases.files import check_upload
from apps.cases.models import Case, CaseAttachment
from apps.core.errors import NotFound, ensure
from apps.core.files import CheckedFile

Kind = CaseAttachment.Kind

PHOTOS_MIN = 3
MAX_COUNT = {Kind.PHOTO: 5, Kind.VIDEO: 1, Kind.SLIDES: 1, Kind.EVIDENCE: 10, Kind.RECOMMENDATION_FORM: 1}
# Kinds a case needs before it is submitted (evidence is optional).
REQUIRED = (Kind.VIDEO, Kind.SLIDES, Kind.RECOMMENDATION_FORM)


def _full_message(kind: str, count: int) -> str:
    if kind == Kind.PHOTO:
        return _("照片最多%(max)d张，本案例已有%(n)d张；如需更换，请先删除一张再上传") % {
            "max": MAX_COUNT[kind], "n": count}
    if kind == Kind.EVIDENCE:
        return _("佐证材料最多%(max)d份，本案例已有%(n)d份；请合并为一个PDF，或先删除不需要的文件") % {
            "max": MAX_COUNT[kind], "n": count}
    return _("本案例已有%(kind)s；如需更换，请先删除原文件再上传") % {"kind": Kind(kind).label}


def _ensure_editable(case: Case) -> None:
    if case.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("案例当前状态为“%(status)s”，附件不能修改；案例退回修改后才能更换附件") % {"status": case.get_status_display()}
        )


def _ensure_room(case: Case, kind: str) -> int:
    count = CaseAttachment.plain.filter(case=case, kind=kind).count()
    if count >= MAX_COUNT[kind]:
        raise ValidationError(_full_message(kind, count))
    return count


def attachment_add(*, case: Case, kind: str, upload, by) -> CaseAttachment:
    """Check one uploaded file by its content and store it under a random name (issue 4 item 3)."""
    ensure(works_for_recommender(by, case), NotFound)
    if kind not in Kind.values:
        raise ValidationError(_("请选择附件类别"))
    if upload is None:
        raise ValidationError(_("请选择要上传的文件"))
    _ensure_editable(case)
    _ensure_room(case, kind)  # before the expensive checks; checked again under the lock below
    checked = check_upload(kind, upload)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Case.plain.select_for_update().get(pk=case.pk)
            _ensure_editable(locked)
            _ensure_room(locked, kind)
            position = (CaseAttachment.plain.filter(case=locked, kind=kind).aggregate(m=Max("position"))["m"] or 0) + 1
            attachment = _store(checked, case=locked, kind=kind, position=position, by=by, stored=stored)
            audit_record(actor=by, action="attachment.add", target=attachment, org=locked.recommender, data={
                "case": locked.pk, "kind": kind, "name": attachment.name, "size": attachment.size,
                "sha256": attachment.sha256, "content_type": attachment.content_type,
            })
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return attachment


def _store(checked: CheckedFile, *, case: Case, kind: str, position: int, by, stored: list[str]) -> CaseAttachment:
    attachment = CaseAttachment(case=case, kind=kind, name=checked.name, content_type=checked.content_type,
                                size=checked.size, sha256=checked.sha256, meta=checked.meta, position=position,
                                uploaded_by=by)
    random_name = uuid.uuid4().hex
    # Streams the content in chunks (a temporary upload is moved, not read into memory).
    attachment.file.save(random_name + checked.extension, checked.content, save=False)
    stored.append(attachment.file.name)
    if checked.thumbnail is not None:
        attachment.thumbnail.save(random_name + ".jpg", checked.thumbnail, save=False)
        stored.append(attachment.thumbnail.name)
    attachment.save()
    return attachment


def attachment_remove(*, attachment: CaseAttachment, by) -> None:
    """Remove a file of a case still with its association; the stored file goes once the removal commits."""
    ensure(works_for_recommender(by, attachment.case), NotFound)
    with transaction.atomic():
        locked = Case.plain.select_for_update().get(pk=attachment.case_id)
        _ensure_editable(locked)
        names = [n for n in (attachment.file.name, attachment.thumbnail.name) if n]
        audit_record(actor=by, action="attachment.remove", target=attachment, org=locked.recommender, data={
            "case": locked.pk, "kind": attachment.kind, "name": attachment.name, "sha256": attachment.sha256,
        })
        CaseAttachment.plain.filter(pk=attachment.pk).delete()
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def attachment_problems(case: Case) -> list[str]:
    """What the case's files still lack before it may be submitted, in words for the association."""
    return attachment_problems_many([case])[case.pk]


def attachment_problems_many(cases: list[Case]) -> dict[int, list[str]]:
    """{case id: problems} for a page of cases, in one query."""
    counts: dict[int, dict[str, int]] = {c.pk: {k: 0 for k in Kind.values} for c in cases}
    rows = CaseAttachment.plain.filter(case__in=list(counts)).values_list("case_id", "kind")
    for case_id, kind in rows:
        counts[case_id][kind] += 1
    return {case_id: _problems(kinds) for case_id, kinds in counts.items()}


def _problems(counts: dict[str, int]) -> list[str]:
    problems: list[str] = []
    photos = counts[Kind.PHOTO]
    if not PHOTOS_MIN <= photos <= MAX_COUNT[Kind.PHOTO]:
        problems.append(_("请上传%(lo)d至%(hi)d张照片，当前%(n)d张") % {
            "lo": PHOTOS_MIN, "hi": MAX_COUNT[Kind.PHOTO], "n": photos})
    if not counts[Kind.VIDEO]:
        problems.append(_("请上传案例视频（MP4格式，H.264编码，分辨率不超过1920×1080）"))
    if not counts[Kind.SLIDES]:
        problems.append(_("请上传演示文稿（PPTX或PDF）"))
    if not counts[Kind.RECOMMENDATION_FORM]:
        problems.append(_("请上传盖章推荐表"))
    return problems
