"""State changes of the final reports and the acceptance evaluation (R-403). Each checks permission, validates at
the field (a refusal changes nothing), writes in one transaction with its audit row, and stores evidence files only
when their rows are written.

- `final_draft`: a report of the project drawn from the data (again, while it is a draft or returned);
- `final_save`: its sections, and for the performance report the entered scores of 效益 and 满意度 with their
  evidence (a score without its evidence is refused) and evidence files;
- `final_submit`: to the centre, through the approvals; the performance report needs its entered parts;
- `acceptance_record`: the centre's evaluation of a project, once, locked: with a condition named when it passes
  with conditions, the reviewers, and the performance score at that moment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Programme
from apps.campaigns.permissions import is_admin_at
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, PDF, PNG, Slot, StoredFiles, check_into
from apps.orgs.models import User
from apps.orgs.permissions import works_at
from apps.reports import final, performance
from apps.reports.approvals import FINAL_KIND
from apps.reports.models import AcceptanceEvaluation, FinalEvidence, FinalReport

State = FinalReport.State
TEXT_MAX = 10000
EVIDENCE_MAX = 2000
FILES_MAX = 10
REVIEWERS_MAX = 20


def evidence_slot() -> Slot:
    return Slot(types=(PDF, JPEG, PNG), limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
                max_pixels=settings.CASE_IMAGE_MAX_PIXELS, expected=_("PDF文件或JPEG、PNG图片"),
                advice=_("请将证明材料保存为PDF、JPEG或PNG后重新上传"))


def final_draft(*, programme: Programme, kind: str, by: User) -> FinalReport:
    """The project's report of `kind`, drawn from the data now; a report already sent keeps its figures."""
    ensure(works_at(by, programme.org) and kind in FinalReport.Kind.values, NotFound)
    data = final.gather(programme)
    try:
        with transaction.atomic():
            report = FinalReport.plain.select_for_update().filter(programme=programme, kind=kind).first()
            if report is None:
                report = FinalReport.plain.create(programme=programme, kind=kind, data=data, data_at=timezone.now())
                action = "final_report.draft"
            elif report.editable:
                report.data, report.data_at = data, timezone.now()
                report.save(update_fields=["data", "data_at", "updated_at"])
                action = "final_report.refresh"
            else:
                raise ValidationError(_("报告已报送中心，不能再更新数据"))
            audit_record(actor=by, action=action, target=report, org=programme.org, data={"kind": kind})
    except IntegrityError:  # drafted a moment ago by someone else
        return FinalReport.plain.get(programme=programme, kind=kind)
    return report


def _score(errors: dict, key: str, raw, weight: Decimal) -> str:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= weight or value != value.quantize(Decimal("0.1")):
        errors[f"{key}_score"] = [_("得分应在0至%(w)s之间，最多保留1位小数") % {"w": weight}]
        return ""
    return format(value.quantize(Decimal("0.1")), "f")


def final_save(*, report: FinalReport, by: User, sections: dict[str, str], entered: dict[str, dict] | None = None,
               files=()) -> FinalReport:
    ensure(works_at(by, report.programme.org), NotFound)
    errors: dict[str, list[str]] = {}
    texts = {}
    for key, _label in final.SECTIONS[report.kind]:
        value = (sections.get(key) or "").strip()
        if len(value) > TEXT_MAX:
            errors[key] = [_("最多%(n)d字") % {"n": TEXT_MAX}]
        texts[key] = value
    scores = {}
    if report.kind == FinalReport.Kind.PERFORMANCE:
        for key, label, weight in performance.ENTERED:
            given = (entered or {}).get(key, {})
            points = _score(errors, key, given.get("score"), weight)
            evidence = (given.get("evidence") or "").strip()
            if len(evidence) > EVIDENCE_MAX:
                errors[f"{key}_evidence"] = [_("最多%(n)d字") % {"n": EVIDENCE_MAX}]
            elif points and not evidence:
                errors[f"{key}_evidence"] = [_("请写明%(item)s得分的依据和证明材料") % {"item": label}]
            scores[key] = {"score": points, "evidence": evidence}
    checked = []
    for upload in files or ():
        one = check_into(upload, evidence_slot(), "files", errors)
        if one is not None:
            checked.append(one)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        current = FinalReport.plain.select_for_update().get(pk=report.pk)
        if not current.editable:
            raise ValidationError(_("报告已报送中心，不能再修改"))
        if FinalEvidence.plain.filter(report=current).count() + len(checked) > FILES_MAX:
            raise ValidationError({"files": [_("证明材料最多%(n)d个文件") % {"n": FILES_MAX}]})
        current.sections = texts
        if current.kind == FinalReport.Kind.PERFORMANCE:
            current.entered = scores
        current.save(update_fields=["sections", "entered", "updated_at"])
        for one in checked:
            row = FinalEvidence(report=current, name=one.name, content_type=one.content_type, size=one.size,
                                sha256=one.sha256)
            stored.save(row.file, one)
            row.save()
        audit_record(actor=by, action="final_report.save", target=current, org=current.programme.org,
                     data={"kind": current.kind, "entered": scores, "files": [c.sha256 for c in checked]})
    return current


def final_submit(*, report: FinalReport, by: User) -> FinalReport:
    ensure(works_at(by, report.programme.org), NotFound)
    with transaction.atomic():
        current = FinalReport.plain.select_for_update().get(pk=report.pk)
        if not current.editable:
            raise ValidationError(_("报告已报送中心，无需重复报送"))
        missing = {key: [_("请填写%(section)s") % {"section": label}]
                   for key, label in final.SECTIONS[current.kind] if not current.sections.get(key)}
        if current.kind == FinalReport.Kind.PERFORMANCE:
            for key, label, _weight in performance.ENTERED:
                if not current.entered.get(key, {}).get("score"):
                    missing[f"{key}_score"] = [_("请填写%(item)s得分") % {"item": label}]
        if missing:
            raise ValidationError(missing)
        current.state, current.submitted_by, current.submitted_at = State.SUBMITTED, by, timezone.now()
        current.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
        approval_submit(kind=FINAL_KIND, obj=current, by=by, title=str(current))
        audit_record(actor=by, action="final_report.submit", target=current, org=current.programme.org,
                     data={"kind": current.kind})
    return current


def can_evaluate(user, programme: Programme) -> bool:
    return is_admin_at(user, centre_of(programme.org))


def acceptance_record(*, programme: Programme, by: User, result: str, comments: str, conditions: str = "",
                      reviewers: list[str] | str = ()) -> AcceptanceEvaluation:
    """The centre's acceptance evaluation of `programme`: recorded once, then locked."""
    ensure(can_evaluate(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    if result not in AcceptanceEvaluation.Result.values:
        errors["result"] = [_("请选择验收结论")]
    comments, conditions = (comments or "").strip(), (conditions or "").strip()
    if not comments:
        errors["comments"] = [_("请填写验收意见")]
    elif len(comments) > TEXT_MAX:
        errors["comments"] = [_("最多%(n)d字") % {"n": TEXT_MAX}]
    if result == AcceptanceEvaluation.Result.CONDITIONAL and not conditions:
        errors["conditions"] = [_("有条件通过的，请写明整改要求和期限")]
    elif len(conditions) > TEXT_MAX:
        errors["conditions"] = [_("最多%(n)d字") % {"n": TEXT_MAX}]
    if isinstance(reviewers, str):
        reviewers = [name for part in reviewers.replace("，", ",").replace("、", ",").splitlines()
                     for name in part.split(",")]
    names = [name.strip() for name in reviewers if name.strip()]
    if not names:
        errors["reviewers"] = [_("请填写验收专家组成员")]
    elif len(names) > REVIEWERS_MAX or any(len(n) > 50 for n in names):
        errors["reviewers"] = [_("验收专家组成员最多%(n)d人，每人姓名不超过50字") % {"n": REVIEWERS_MAX}]
    if errors:
        raise ValidationError(errors)
    report = FinalReport.plain.filter(programme=programme, kind=FinalReport.Kind.PERFORMANCE).first()
    tree = final.performance_of(report) if report is not None else None
    try:
        with transaction.atomic():
            Programme.plain.select_for_update().get(pk=programme.pk)
            evaluation = AcceptanceEvaluation.plain.create(
                programme=programme, result=result, comments=comments,
                conditions=conditions if result == AcceptanceEvaluation.Result.CONDITIONAL else "",
                reviewers=names, score=tree.total if tree else None, grade=tree.grade if tree else "",
                evaluated_by=by, evaluated_at=timezone.now())
            audit_record(actor=by, action="acceptance.record", target=evaluation, org=programme.org, data={
                "result": result, "comments": comments, "conditions": evaluation.conditions, "reviewers": names,
                "score": format(evaluation.score, "f") if evaluation.score is not None else None,
                "grade": evaluation.grade})
    except IntegrityError:
        raise ValidationError(_("该项目已有验收评价，验收评价记录后不能修改"))
    return evaluation
