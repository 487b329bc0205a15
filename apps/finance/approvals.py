"""A project's budget and its adjustments (R-401) as an approvable kind: the province (or the centre's brand team,
for the brand project) submits a version, the centre approves it. The approved version is in force and retires
the one before; its lines are the ledger's limits from then on. A version whose lines would leave a line below what
was already spent on it cannot be approved (spending went on while it waited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.finance import figures
from apps.finance.lines import line_text
from apps.finance.models import Budget

KIND = Budget.APPROVAL_KIND


def thread(programme_id: int) -> str:
    return f"budget:{programme_id}"


def _approve(budget: Budget, by) -> None:
    spent = figures.spent_by_line(budget.programme_id)
    planned = {line.code: line.amount for line in budget.lines.all()}
    short = [code for code, amount in spent.items() if amount > planned.get(code, 0)]
    if short:
        raise ValidationError(_("以下科目已支出超过本版预算金额，不能通过：%(lines)s")
                              % {"lines": "、".join(line_text(c) for c in sorted(short))})
    (Budget.plain.select_for_update().filter(programme=budget.programme_id, status=Budget.Status.IN_FORCE)
     .exclude(pk=budget.pk).update(status=Budget.Status.RETIRED))
    budget.status = Budget.Status.IN_FORCE
    budget.save(update_fields=["status"])


def _set(status: str):
    def apply(budget: Budget, by, *comment) -> None:
        budget.status = status
        budget.save(update_fields=["status"])
    return apply


def _summary(budget: Budget) -> list[str]:
    lines = [_("%(code)s：%(amount)s元") % {"code": line_text(line.code), "amount": f"{line.amount:,.2f}"}
             for line in budget.lines.all() if line.amount]
    if budget.reason:
        lines.append(_("调整理由：%(reason)s") % {"reason": budget.reason})
    return lines


BUDGET = ApprovableKind(
    key=KIND, label=gettext_lazy("项目预算"), rule="R-401", model=Budget,
    submitter=lambda b: b.programme.org,
    approver=lambda b: centre_of(b.programme.org),
    thread=lambda b: thread(b.programme_id),
    on_approve=_approve, on_return=_set(Budget.Status.RETURNED), on_withdraw=_set(Budget.Status.WITHDRAWN),
    url=lambda b: reverse("finance:budget", args=[b.programme_id]),
    summary=_summary,
)
