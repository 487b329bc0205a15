"""The brand plan (R-501) as an approvable kind. The brand project is the centre's own: the centre submits its plan
and the centre decides on it, so both sides are the brand programme's org; the person who submitted a version
does not decide on it (apps/approvals/permissions.py). The approved version is in force, retiring the one before."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.brand.models import BrandPlan, Channel, Deliverable

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


# -- deliverables (R-504) ----------------------------------------------------------------------------------------

DELIVERABLE_KIND = Deliverable.APPROVAL_KIND


def deliverable_thread(d: Deliverable) -> str:
    """The versions of one place (the main visual, poster 2, short video 4 …) share a thread."""
    return f"brand_deliverable:{d.programme_id}:{d.kind}:{d.slot}"


def _deliverable_set(status: str):
    def apply(d: Deliverable, by, *comment) -> None:
        d.status = status
        d.save(update_fields=["status"])
    return apply


def _deliverable_summary(d: Deliverable) -> list[str]:
    lines = [_("%(kind)s第%(slot)d件，第%(v)d版：%(title)s（%(name)s）") % {
        "kind": d.get_kind_display(), "slot": d.slot, "v": d.version, "title": d.title, "name": d.name}]
    for check in d.checks:
        lines.append(_("%(label)s：%(found)s") % {"label": check.get("label", ""), "found": check.get("found", "")})
    sources = list(d.sources.all())
    if sources:
        lines.append(_("素材来源：%(titles)s") % {"titles": "、".join(v.title for v in sources)})
    return lines


DELIVERABLE = ApprovableKind(
    key=DELIVERABLE_KIND, label=gettext_lazy("品牌项目成果"), rule="R-504", model=Deliverable,
    submitter=lambda d: d.programme.org,
    approver=lambda d: d.programme.org,
    thread=deliverable_thread,
    on_approve=_deliverable_set(Deliverable.Status.APPROVED),
    on_return=_deliverable_set(Deliverable.Status.RETURNED),
    on_withdraw=_deliverable_set(Deliverable.Status.WITHDRAWN),
    url=lambda d: reverse("brand:deliverable_list", args=[d.programme_id]),
    summary=_deliverable_summary,
)
