"""Publicity plans (R-302) as an approvable kind: a province's plan goes to the centre; the approved version is in
force, retiring the one before it (apps/approvals)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.publicity.models import PublicityPlan

KIND = PublicityPlan.APPROVAL_KIND
CHANNEL_LABELS = dict(PublicityPlan.CHANNELS)


def _approve(plan: PublicityPlan, by) -> None:
    (PublicityPlan.plain.select_for_update().filter(programme=plan.programme_id, status=PublicityPlan.Status.IN_FORCE)
     .exclude(pk=plan.pk).update(status=PublicityPlan.Status.RETIRED))
    plan.status = PublicityPlan.Status.IN_FORCE
    plan.save(update_fields=["status"])


def _set(status: str):
    def apply(plan: PublicityPlan, by, *comment) -> None:
        plan.status = status
        plan.save(update_fields=["status"])
    return apply


def _summary(plan: PublicityPlan) -> list[str]:
    lines = []
    for key, label in PublicityPlan.PHASES:
        phase = plan.phases.get(key, {})
        channels = "、".join(str(CHANNEL_LABELS.get(c, c)) for c in phase.get("channels", [])) or "—"
        lines.append(_("%(phase)s（%(start)s至%(end)s）：%(channels)s%(live)s；%(content)s") % {
            "phase": label, "start": phase.get("start", ""), "end": phase.get("end", ""), "channels": channels,
            "live": _("，网络直播") if phase.get("live") else "", "content": phase.get("content", "")})
    return lines


PUBLICITY_PLAN = ApprovableKind(
    key=KIND, label=gettext_lazy("宣传工作方案"), rule="R-302", model=PublicityPlan,
    submitter=lambda plan: plan.programme.org,
    approver=lambda plan: centre_of(plan.programme.org),
    thread=lambda plan: f"publicity_plan:{plan.programme_id}",
    on_approve=_approve, on_return=_set(PublicityPlan.Status.RETURNED),
    on_withdraw=_set(PublicityPlan.Status.WITHDRAWN),
    url=lambda plan: reverse("publicity:plan", args=[plan.programme_id]),
    summary=_summary,
)
