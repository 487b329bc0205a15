"""Who may see and change a case's files. Plain predicates; the attachment views and services call these.

The case's own edit rule lives with the case form (apps/cases/permissions.py); files use this small rule of
their own so the two areas do not wait on each other: files change while the case is with its association
(draft, or returned for revision), by a member (admin or staff) of the recommending association itself.
"""

from __future__ import annotations

from apps.cases.models import Case, CaseAttachment
from apps.core.errors import NotFound
from apps.orgs.acting import memberships_of
from apps.orgs.permissions import is_member_of

EDITABLE_STATUSES = (Case.Status.DRAFT, Case.Status.RETURNED)


def works_for_recommender(user, case: Case) -> bool:
    """An admin or staff member of the recommending association itself (not of an office above it)."""
    return any(m.org_id == case.recommender_id for m in memberships_of(user))


def can_change_case_files(user, case: Case) -> bool:
    return works_for_recommender(user, case) and case.status in EDITABLE_STATUSES


def can_view_case_files(user, case: Case) -> bool:
    """The case is in the person's scope and the person works for an org on its chain (recommender or above)."""
    return is_member_of(user, case.recommender) and Case.objects.filter(pk=case.pk).exists()


def access_case_files(user, case_pk: int) -> Case:
    """The case whose files the person may see, else the same 404 as for no such case."""
    case = Case.objects.select_related("recommender").filter(pk=case_pk).first()
    if case is None or not is_member_of(user, case.recommender):
        raise NotFound()
    return case


def access_attachment(user, pk: int) -> CaseAttachment:
    """A file the person may open, else the same 404 as for no such file."""
    attachment = CaseAttachment.objects.select_related("case", "case__recommender").filter(pk=pk).first()
    # The scoped manager already limits files to cases in the person's scope.
    if attachment is None or not is_member_of(user, attachment.case.recommender):
        raise NotFound()
    return attachment
