"""Manual quota tables (R-104) as an approvable kind: a province's table goes to the centre, and takes effect
only once the centre approves it (apps/approvals). Until then the table in force (the computed Hamilton split,
or an earlier approved table) stands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.models import QuotaPlan, QuotaRow
from apps.campaigns.selectors import rulebook_values
from apps.core.scoping import ancestor_paths
from apps.orgs.models import Org

KIND = QuotaPlan.APPROVAL_KIND


def centre_of(org: Org) -> Org:
    """The centre at the top of the org's tree."""
    return Org.plain.get(kind=Org.Kind.CENTER, path__in=ancestor_paths(org.path))


def _approve(plan: QuotaPlan, by) -> None:
    """Approval puts the table in force, retiring the one it replaces. A table drawn up for another target than
    the province's rulebook holds now (changed while the table waited) cannot be approved: it would not add up."""
    target = rulebook_values(plan.programme)["target"]
    if plan.target != target:
        raise ValidationError(_("该名额表按目标%(old)d件分配，省级目标现为%(new)d件，各市名额合计不符；"
                                "请退回，由省级按现行目标重新报送") % {"old": plan.target, "new": target})
    old = (QuotaPlan.plain.select_for_update().filter(programme=plan.programme_id, status=QuotaPlan.Status.IN_FORCE)
           .exclude(pk=plan.pk).first())
    if old is not None:
        old.status, old.retired_at = QuotaPlan.Status.RETIRED, timezone.now()
        old.save(update_fields=["status", "retired_at"])
    plan.status = QuotaPlan.Status.IN_FORCE
    plan.save(update_fields=["status"])


def _return(plan: QuotaPlan, by, comment: str) -> None:
    plan.status = QuotaPlan.Status.RETURNED
    plan.save(update_fields=["status"])


def _withdraw(plan: QuotaPlan, by) -> None:
    plan.status = QuotaPlan.Status.WITHDRAWN
    plan.save(update_fields=["status"])


def _summary(plan: QuotaPlan) -> list[str]:
    rows = QuotaRow.plain.filter(plan=plan).select_related("city").order_by("city__code")
    return [_("目标%(n)d件") % {"n": plan.target}, _("调整理由：%(reason)s") % {"reason": plan.reason},
            *[_("%(city)s：%(n)d件") % {"city": row.city.name, "n": row.quota} for row in rows]]


QUOTA_TABLE = ApprovableKind(
    key=KIND, label=gettext_lazy("手工名额表"), rule="R-104", model=QuotaPlan,
    submitter=lambda plan: plan.programme.org,
    approver=lambda plan: centre_of(plan.programme.org),
    thread=lambda plan: f"programme:{plan.programme_id}",
    on_approve=_approve, on_return=_return, on_withdraw=_withdraw,
    url=lambda plan: reverse("campaigns:quotas", args=[plan.programme_id]),
    summary=_summary,
)
