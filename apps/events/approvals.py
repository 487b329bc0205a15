"""Event plans (R-203) as an approvable kind: the plan of a province's or a city's event, with its materials, goes
to the centre before the event (apps/approvals). The event may be held only once the version the centre approved
is the plan as it stands (apps.events.services.event_mark_held)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.events.models import EventPlan

KIND = EventPlan.APPROVAL_KIND


def _set(status: str):
    def apply(plan: EventPlan, by, *comment) -> None:
        plan.status = status
        plan.save(update_fields=["status"])
    return apply


def _summary(plan: EventPlan) -> list[str]:
    s = plan.snapshot
    lines = [_("时间：%(when)s") % {"when": s.get("when", "")},
             _("形式：%(mode)s；地点：%(venue)s") % {"mode": s.get("mode_label", ""), "venue": s.get("venue", "") or "—"}]
    if s.get("in_tech_park"):
        lines.append(_("在科技园区举办：%(park)s") % {"park": s.get("park_name", "")})
    lines.append(_("宣讲人：%(names)s") % {"names": "、".join(p["name"] for p in s.get("presenters", [])) or "—"})
    lines += [_("议程：%(time)s %(item)s %(who)s") % {"time": a.get("time", ""), "item": a.get("item", ""),
                                                   "who": a.get("who", "")} for a in s.get("agenda", [])]
    if s.get("guests"):
        lines.append(_("嘉宾：%(names)s") % {"names": "、".join(s["guests"])})
    if s.get("media"):
        lines.append(_("邀请媒体：%(names)s") % {"names": "、".join(s["media"])})
    lines.append(_("宣讲材料：%(files)s") % {"files": "、".join(f["name"] for f in s.get("files", [])) or "—"})
    return lines


EVENT_PLAN = ApprovableKind(
    key=KIND, label=gettext_lazy("宣讲活动方案"), rule="R-203", model=EventPlan,
    submitter=lambda plan: plan.event.org,
    approver=lambda plan: centre_of(plan.event.org),
    thread=lambda plan: f"event:{plan.event_id}",
    on_approve=_set(EventPlan.Status.APPROVED), on_return=_set(EventPlan.Status.RETURNED),
    on_withdraw=_set(EventPlan.Status.WITHDRAWN),
    url=lambda plan: reverse("events:event_detail", args=[plan.event_id]),
    summary=_summary,
)
