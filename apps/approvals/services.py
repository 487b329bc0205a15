"""State changes of approvals: submit a version, approve it, return it with comments, withdraw it. Every step
runs in one transaction with the kind's own change (what approval unlocks) and writes its audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.kinds import kind_of
from apps.approvals.models import ApprovalRequest
from apps.approvals.permissions import can_decide_approval, can_withdraw_approval
from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure

State = ApprovalRequest.State
COMMENT_MAX = 2000


def _due(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def approval_submit(*, kind: str, obj, by, title: str) -> ApprovalRequest:
    """Send one version of a thing to the org that approves it (the kind says which), inside the caller's
    transaction (which made the version). Refused while an earlier version waits: withdraw it first."""
    spec = kind_of(kind)
    thread = spec.thread(obj)
    with transaction.atomic():
        waiting = ApprovalRequest.plain.filter(kind=kind, thread=thread, state=State.PENDING).exists()
        if waiting:
            raise ValidationError(_("已有一版%(what)s在等待审核，请待审核后再报送，或先撤回待审核的一版") % {
                "what": spec.label})
        last = (ApprovalRequest.plain.filter(kind=kind, thread=thread).order_by("-version")
                .values_list("version", flat=True).first() or 0)
        try:
            with transaction.atomic():
                request = ApprovalRequest.plain.create(
                    kind=kind, object_id=obj.pk, thread=thread, version=last + 1, title=title[:200],
                    submitter=spec.submitter(obj), approver=spec.approver(obj), submitted_by=by,
                    submitted_at=timezone.now(), decide_by=_due(spec.decide_days))
        except IntegrityError:  # a concurrent submission of the same thing won the race
            raise ValidationError(_("已有一版%(what)s在等待审核，请待审核后再报送，或先撤回待审核的一版") % {
                "what": spec.label})
        audit_record(actor=by, action="approval.submit", target=request, org=request.submitter, data={
            "kind": kind, "object": obj.pk, "thread": thread, "version": request.version,
            "approver": request.approver.code, "decide_by": request.decide_by})
    return request


def _pending(request: ApprovalRequest, allowed) -> ApprovalRequest:
    """The request's row, locked; NotFound for someone `allowed` refuses, then refused unless it still waits."""
    current = ApprovalRequest.plain.select_for_update().select_related("submitter", "approver").get(pk=request.pk)
    ensure(allowed(current), NotFound)
    if current.state != State.PENDING:
        raise ValidationError(_("该%(what)s%(state)s，不能再处理") % {
            "what": kind_of(current.kind).label, "state": current.get_state_display()})
    return current


def _object(current: ApprovalRequest):
    spec = kind_of(current.kind)
    return spec, spec.model.plain.select_for_update().get(pk=current.object_id)


def approval_approve(*, request: ApprovalRequest, by, comment: str = "") -> ApprovalRequest:
    """The approver approves the version: what approval unlocks happens in the same transaction."""
    comment = (comment or "").strip()
    with transaction.atomic():
        current = _pending(request, lambda r: can_decide_approval(by, r))
        if len(comment) > COMMENT_MAX:
            raise ValidationError({"comment": _("审核意见最多%(n)d字") % {"n": COMMENT_MAX}})
        spec, obj = _object(current)
        spec.on_approve(obj, by)
        current.state, current.comment = State.APPROVED, comment
        current.decided_by, current.decided_at = by, timezone.now()
        current.save(update_fields=["state", "comment", "decided_by", "decided_at"])
        audit_record(actor=by, action="approval.approve", target=current, org=current.submitter, data={
            "kind": current.kind, "object": current.object_id, "version": current.version, "comment": comment,
            "late": timezone.localdate() > current.decide_by})
    request.refresh_from_db()
    return request


def approval_return(*, request: ApprovalRequest, by, comment: str) -> ApprovalRequest:
    """The approver returns the version with comments the submitter reads; it is resubmitted as a new version."""
    comment = (comment or "").strip()
    with transaction.atomic():
        current = _pending(request, lambda r: can_decide_approval(by, r))
        if not comment:
            raise ValidationError({"comment": _("退回时请填写审核意见，报送单位将按意见修改后重新报送")})
        if len(comment) > COMMENT_MAX:
            raise ValidationError({"comment": _("审核意见最多%(n)d字") % {"n": COMMENT_MAX}})
        spec, obj = _object(current)
        spec.on_return(obj, by, comment)
        current.state, current.comment = State.RETURNED, comment
        current.decided_by, current.decided_at = by, timezone.now()
        current.resubmit_by = None if spec.final_return else _due(spec.resubmit_days)
        current.save(update_fields=["state", "comment", "decided_by", "decided_at", "resubmit_by"])
        audit_record(actor=by, action="approval.return", target=current, org=current.submitter, data={
            "kind": current.kind, "object": current.object_id, "version": current.version, "comment": comment,
            "resubmit_by": current.resubmit_by})
    request.refresh_from_db()
    return request


def approval_withdraw(*, request: ApprovalRequest, by) -> ApprovalRequest:
    """The submitter takes a waiting version back (to correct it and submit again)."""
    with transaction.atomic():
        current = _pending(request, lambda r: can_withdraw_approval(by, r))
        spec, obj = _object(current)
        spec.on_withdraw(obj, by)
        current.state, current.decided_by, current.decided_at = State.WITHDRAWN, by, timezone.now()
        current.save(update_fields=["state", "decided_by", "decided_at"])
        audit_record(actor=by, action="approval.withdraw", target=current, org=current.submitter, data={
            "kind": current.kind, "object": current.object_id, "version": current.version})
    request.refresh_from_db()
    return request
