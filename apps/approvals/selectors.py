"""Reads of approvals the pages, the API and the to-dos share."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.approvals.models import ApprovalRequest

State = ApprovalRequest.State


def waiting_for(org) -> QuerySet[ApprovalRequest]:
    """What waits for `org`'s decision, the most urgent first (earliest deadline)."""
    return (ApprovalRequest.objects.filter(approver=org, state=State.PENDING)
            .select_related("submitter", "submitted_by").order_by("decide_by", "id"))


def submitted_by_org(org) -> QuerySet[ApprovalRequest]:
    """What `org` submitted, newest first, whatever became of it."""
    return (ApprovalRequest.objects.filter(submitter=org)
            .select_related("approver", "decided_by").order_by("-submitted_at", "-id"))


def versions_of(request: ApprovalRequest) -> QuerySet[ApprovalRequest]:
    """Every version of the same thing, the first first."""
    return (ApprovalRequest.objects.filter(kind=request.kind, thread=request.thread)
            .select_related("submitted_by", "decided_by").order_by("version"))


def latest_of(kind: str, thread: str) -> ApprovalRequest | None:
    """The latest version of a thing submitted for approval (None if it never was)."""
    return (ApprovalRequest.plain.filter(kind=kind, thread=thread).select_related("decided_by")
            .order_by("-version").first())
