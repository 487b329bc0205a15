"""Who may read and write a project's ledger (R-401, R-402).

- Writing (budget versions, expenses, reversals): the project's own people, at the programme's org itself (a
  province's office, or the centre's for the brand project). An office above watches; it does not keep the books.
- Approving a budget: the centre, through the approvals (never the person who submitted it).
- Clearing an entry from the subcontracting-risk list: the centre's admins.
- Reading: the project's own people and the centre. A city below the province, a sibling province or anyone else
  gets the same 404 as for nothing: one province never reads another's ledger.
"""

from __future__ import annotations

from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Programme
from apps.campaigns.permissions import is_admin_at
from apps.core.errors import visible_or_404
from apps.finance.models import Budget, Expense, Voucher
from apps.orgs.permissions import is_member_of, works_at


def can_read_ledger(user, programme: Programme) -> bool:
    return is_member_of(user, programme.org)


def can_keep_ledger(user, programme: Programme) -> bool:
    return works_at(user, programme.org)


def can_clear_risk(user, programme: Programme) -> bool:
    return is_admin_at(user, centre_of(programme.org))


def access_programme(user, pk) -> Programme:
    found = Programme.plain.select_related("org", "campaign").filter(pk=pk).first()
    return visible_or_404(found, lambda p: can_read_ledger(user, p))


def access_expense(user, pk) -> Expense:
    found = (Expense.plain.select_related("programme__org", "programme__campaign", "reverses", "created_by")
             .filter(pk=pk).first())
    return visible_or_404(found, lambda e: can_read_ledger(user, e.programme))


def access_voucher(user, pk) -> Voucher:
    found = Voucher.plain.select_related("expense__programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda v: can_read_ledger(user, v.expense.programme))


def access_budget(user, pk) -> Budget:
    found = Budget.plain.select_related("programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda b: can_read_ledger(user, b.programme))
