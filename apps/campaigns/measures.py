"""The indicators of the rules a programme's own settings carry out: the work rules (R-101) and the quota table
(R-104). Registered in CampaignsConfig.ready (apps/campaigns/indicators.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import WorkRules
from apps.campaigns.selectors import quota_approval, quota_table, work_rules_of


def work_rules(m: Measuring) -> Indicator:
    """R-101: the province's work rules hold all seven sections by the mobilisation date."""
    programme = m.programme
    rules = work_rules_of(programme)
    total = len(WorkRules.SECTIONS)
    empty = rules.empty_sections()
    have = total - len(empty)
    deadline = m.values["mobilisation_deadline"]
    return Indicator(
        rule="R-101", title=_("工作细则各章节齐全"), target=total, value=have,
        target_text=_("%(n)d章全部填写") % {"n": total}, value_text=f"{have}/{total}",
        status=m.status(have == total, deadline), deadline=deadline,
        evidence=(Evidence(_("工作细则"), reverse("campaigns:work_rules", args=[programme.pk])),),
        notes=(_("尚未填写：%(sections)s") % {"sections": "、".join(empty)},) if empty else ())


def quota_allocation(m: Measuring) -> Indicator:
    """R-104: a quota table is in force and its quotas add up exactly to the province's target."""
    programme = m.programme
    table = quota_table(programme, m.values)
    notes = []
    if table.error and not table.is_manual:
        total = 0
        notes.append(table.error)
    else:
        total = table.total_quota
    pending = quota_approval(programme)
    if pending is not None and pending.state == pending.State.PENDING:
        notes.append(_("手工名额表待中心审核，审核通过前按现行名额表执行"))
    kind = _("手工名额表（中心已审核）") if table.is_manual else _("按园区和企业科协数量比例计算")
    met = total == table.target and not (table.error and not table.is_manual)
    deadline = m.values["mobilisation_deadline"]
    return Indicator(
        rule="R-104", title=_("名额分配合计等于目标数"), target=table.target, value=total,
        target_text=_("合计%(n)d件") % {"n": table.target}, value_text=_("合计%(n)d件（%(kind)s）") % {
            "n": total, "kind": kind},
        status=m.status(met, deadline), deadline=deadline,
        evidence=(Evidence(_("名额分配表"), reverse("campaigns:quotas", args=[programme.pk])),),
        notes=tuple(notes))


register("R-101", work_rules)
register("R-104", quota_allocation)
