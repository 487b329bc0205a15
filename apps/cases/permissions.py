"""Who may do what to cases (R-106). Plain predicates; views, services and the API call these.

- The recommending association's own admins and staff write its drafts and the cases returned to it,
  invite the enterprise's contact, submit and withdraw. An office above (even its county) does not
  write an association's case.
- The county and every office above read a case once it has been submitted (submitted or returned
  for revision); drafts and withdrawn cases stay with the association.
- The enterprise contact's phone and e-mail reach only the association and its county.
- Everybody else gets the same 404 as for a case that does not exist.
"""

from __future__ import annotations

from apps.cases.models import Case, CaseInvite
from apps.core.errors import visible_or_404
from apps.orgs.acting import memberships_of
from apps.orgs.models import Org
from apps.orgs.permissions import (
    is_member_of,
    works_at,
)

# Statuses in which the association may still change the text.
EDITABLE = (Case.Status.DRAFT, Case.Status.RETURNED, Case.Status.WITHDRAWN)
# Statuses in which the offices above read the case.
VISIBLE_ABOVE = (Case.Status.SUBMITTED, Case.Status.RETURNED)


def can_create_case(user, org: Org | None) -> bool:
    """A park or enterprise association's own admins and staff recommend cases (R-106)."""
    return org is not None and org.is_association and works_at(user, org)


def is_case_owner(user, case: Case) -> bool:
    return works_at(user, case.recommender)


def can_view_case(user, case: Case) -> bool:
    if is_case_owner(user, case):
        return True
    return case.status in VISIBLE_ABOVE and is_member_of(user, case.county)


def contact_visible_to_org(org: Org | None, case: Case) -> bool:
    """The enterprise's contact (phone, e-mail) is personal data (PIPL): the association that recommended the
    case and the county that screens it (R-107) work with that person; the offices above read the case without
    it. One rule for the case page, the API and the Excel export."""
    return org is not None and org.pk in (case.recommender_id, case.county_id)


def can_see_case_contact(user, case: Case) -> bool:
    return any(contact_visible_to_org(m.org, case) for m in memberships_of(user))


def can_edit_case(user, case: Case) -> bool:
    return case.status in EDITABLE and is_case_owner(user, case)


can_submit_case = can_edit_case
can_invite_contact = can_edit_case


def can_withdraw_case(user, case: Case) -> bool:
    """Only while submitted; the service also checks the county has not decided yet."""
    return case.status == Case.Status.SUBMITTED and is_case_owner(user, case)


def can_manage_invites(user, case: Case) -> bool:
    return is_case_owner(user, case)


def access_case(user, pk: int) -> Case:
    """The case if the person may read it, else the same 404 as for no such case.

    Case.objects is scoped to the acting org's subtree, so another county's or association's case is
    not even found; the predicate then hides drafts from the offices above."""
    case = (Case.objects.select_related("enterprise", "recommender", "county", "campaign")
            .filter(pk=pk).first())
    return visible_or_404(case, lambda case: can_view_case(user, case))


def access_invite(user, case: Case, invite_id: int) -> CaseInvite:
    invite = CaseInvite.objects.filter(pk=invite_id, case=case).first()
    return visible_or_404(invite, lambda invite: can_manage_invites(user, case))
