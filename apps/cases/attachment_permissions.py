"""Who may see and change a case's files. Plain predicates; the attachment views and services call these.

Files are seen by whoever may see the case itself (apps/cases/permissions.py `can_view_case`): a draft's or a
withdrawn case's files stay with the association, like its text. Files change while the case is with its
association (draft, or returned for revision), by a member (admin or staff) of the recommending association.
"""

from __future__ import annotations

from apps.cases.models import Case, CaseAttachment
from apps.cases.permissions import can_view_case
from apps.core.errors import visible_or_404
from apps.orgs.acting import memberships_of

EDITABLE_STATUSES = (Case.Status.DRAFT, Case.Status.RETURNED)


def works_for_recommender(user, case: Case) -> bool:
    """An admin or staff member of the recommending association itself (not of an office above it)."""
    return any(m.org_id == case.recommender_id for m in memberships_of(user))


def can_change_case_files(user, case: Case) -> bool:
    return works_for_recommender(user, case) and case.status in EDITABLE_STATUSES


def access_case_files(user, case_pk: int) -> Case:
    """The case whose files the person may see, else the same 404 as for no such case."""
    case = Case.objects.select_related("recommender", "county").filter(pk=case_pk).first()
    return visible_or_404(case, lambda case: can_view_case(user, case))


def access_attachment(user, pk: int) -> CaseAttachment:
    """A file the person may open, else the same 404 as for no such file."""
    attachment = (CaseAttachment.objects.select_related("case", "case__recommender", "case__county")
                  .filter(pk=pk).first())
    # The scoped manager already limits files to cases in the person's scope; the case's rule does the rest.
    return visible_or_404(attachment, lambda attachment: can_view_case(user, attachment.case))
