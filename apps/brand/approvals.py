"""The brand plan (R-501) as an approvable kind. The brand project is the centre's own: the centre submits its plan
and the centre decides on it, so both sides are the brand programme's org; the person who submitted a version
does not decide on it (apps/approvals/permissions.py). The approved version is in force, retiring the one before."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.brand.models import BrandPlan, Channel

KIND = BrandPlan.APPROVAL_KIND


def thread(programme_id: int) -> str:
    return f"brand_plan:{programme_id}"


def _approve(plan: BrandPlan, by) -> None:
    (BrandPlan.plain.select_for_update().filter(programme=plan.programme_id, status=BrandPlan.Status.IN_FORCE)
     .exclude(pk=plan.pk).update(status=BrandPlan.Status.RETIRED))
    plan.status = BrandPlan.Status.IN_FORCE
    plan.save(update_fields=["status"])


def _set(status: str):
    def apply(plan: BrandPlan, by, *comment) -> None:
        plan.status = status
        plan.save(update_fields=["status"])
    return apply


def channel_words(keys) -> str:
    labels = dict(Channel.choices)
    return "、".join(str(labels.get(c, c)) for c in keys) or "—"


def _summary(plan: BrandPlan) -> list[str]:
    lines = []
    for key, label in BrandPlan.PHASES:
        phase = plan.phases.get(key, {})
        lines.append(_("%(phase)s（%(start)s至%(end)s）：%(channels)s；目标：%(goals)s") % {
            "phase": label, "start": phase.get("start", ""), "end": phase.get("end", ""),
            "channels": channel_words(phase.get("channels", [])), "goals": phase.get("goals", "")})
    return lines


BRAND_PLAN = ApprovableKind(
    key=KIND, label=gettext_lazy("品牌项目方案"), rule="R-501", model=BrandPlan,
    submitter=lambda plan: plan.programme.org,
    approver=lambda plan: plan.programme.org,
    thread=lambda plan: thread(plan.programme_id),
    on_approve=_approve, on_return=_set(BrandPlan.Status.RETURNED),
    on_withdraw=_set(BrandPlan.Status.WITHDRAWN),
    url=lambda plan: reverse("brand:plan", args=[plan.programme_id]),
    summary=_summary,
)
