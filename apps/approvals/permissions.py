"""Who may read and decide approvals: the approving org's people decide (admins and staff of it or above it, never
on their own submission), the submitting org's people read and withdraw; everyone else gets the same 404 as for
no such request."""

from apps.approvals.models import ApprovalRequest
from apps.core.errors import visible_or_404
from apps.orgs.permissions import is_member_of, works_at


def can_view_approval(user, request: ApprovalRequest) -> bool:
    return is_member_of(user, request.submitter) or is_member_of(user, request.approver)


def can_decide_approval(user, request: ApprovalRequest) -> bool:
    """The approving org's people, except the person who submitted the version: where one org both submits and
    approves (the centre's own brand plan, R-501), nobody approves their own submission."""
    return is_member_of(user, request.approver) and request.submitted_by_id != getattr(user, "pk", None)


def can_withdraw_approval(user, request: ApprovalRequest) -> bool:
    """Only the submitting org's own people take a version back (an office above, the approver among them,
    decides instead)."""
    return works_at(user, request.submitter)


def access_approval(user, pk) -> ApprovalRequest:
    request = ApprovalRequest.objects.select_related("submitter", "approver", "submitted_by", "decided_by").filter(
        pk=pk).first()
    return visible_or_404(request, lambda r: can_view_approval(user, r))
