"""The indicators of the brand project (R-501, R-502, R-504, R-505), one function per rule, registered in
BrandConfig.ready for the brand programme only (a province's programme does not run them)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.brand.models import BrandPlan, ChannelUse, Deliverable, MediaContact, OverviewReport
from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import Programme

BRAND = (Programme.Kind.BRAND,)


def brand_plan(m: Measuring) -> Indicator:
    """R-501: a brand plan approved by the centre covers the four phases, each with its dates, goals and channels."""
    plan = BrandPlan.plain.filter(programme=m.programme, status=BrandPlan.Status.IN_FORCE).first()
    deadline = m.values["mobilisation_deadline"]
    total = len(BrandPlan.PHASES)
    covered = 0
    notes = []
    if plan is None:
        waiting = BrandPlan.plain.filter(programme=m.programme, status=BrandPlan.Status.PENDING).exists()
        notes.append(_("方案待中心审核") if waiting else _("尚无经中心审核通过的品牌项目方案"))
    else:
        phases = [plan.phases.get(key, {}) for key, _label in BrandPlan.PHASES]
        covered = sum(1 for p in phases if p.get("start") and p.get("end") and p.get("goals") and p.get("channels"))
        missing = [str(label) for (key, label), p in zip(BrandPlan.PHASES, phases)
                   if not (p.get("start") and p.get("goals") and p.get("channels"))]
        if missing:
            notes.append(_("未完整安排的阶段：%(phases)s") % {"phases": "、".join(missing)})
    return Indicator(
        rule="R-501", title=_("品牌项目方案（四个阶段）"), target=total, value=covered,
        target_text=_("%(n)d个阶段，各有目标、渠道和时间") % {"n": total},
        value_text=(_("第%(v)d版生效，覆盖%(n)d个阶段") % {"v": plan.number, "n": covered}) if plan else _("无"),
        status=m.status(plan is not None and covered == total, deadline), deadline=deadline,
        evidence=(Evidence(_("品牌项目方案"), reverse("brand:plan", args=[m.programme.pk])),), notes=tuple(notes))


register("R-501", brand_plan, kinds=BRAND)


def media_and_channels(m: Measuring) -> Indicator:
    """R-502: media contacted (the registry) and uses of media channels logged in the year (each link once)."""
    need_contacts, need_uses = m.values["brand_media_contacts_min"], m.values["brand_channel_uses_min"]
    have_contacts = (MediaContact.plain.filter(programme=m.programme).order_by()
                     .aggregate(n=Count("outlet", distinct=True))["n"])
    have_uses = ChannelUse.plain.filter(programme=m.programme).count()
    notes = []
    if have_contacts < need_contacts:
        notes.append(_("还差%(n)d家媒体") % {"n": need_contacts - have_contacts})
    if have_uses < need_uses:
        notes.append(_("还差%(n)d次渠道使用") % {"n": need_uses - have_uses})
    return Indicator(
        rule="R-502", title=_("联系媒体和媒体渠道使用"), target=need_uses, value=have_uses,
        target_text=_("媒体 ≥ %(c)d家，渠道使用 ≥ %(u)d次") % {"c": need_contacts, "u": need_uses},
        value_text=_("媒体%(c)d家，渠道使用%(u)d次") % {"c": have_contacts, "u": have_uses},
        status=m.status(have_contacts >= need_contacts and have_uses >= need_uses, m.programme.period_end),
        deadline=m.programme.period_end,
        evidence=(Evidence(_("媒体联系人"), reverse("brand:contact_list", args=[m.programme.pk])),
                  Evidence(_("渠道使用记录"), reverse("brand:use_list", args=[m.programme.pk]))),
        notes=tuple(notes))


register("R-502", media_and_channels, kinds=BRAND)


def deliverables(m: Measuring) -> Indicator:
    """R-504: the main visual, 3 posters, the brochure, the promotional video of about five minutes and national
    short videos, each counted once the centre approved it (a video only when it passes its spec)."""
    counts = {kind: 0 for kind in Deliverable.Kind.values}
    for kind in (Deliverable.plain.filter(programme=m.programme, status=Deliverable.Status.APPROVED, passes=True)
                 .values_list("kind", flat=True)):
        counts[kind] += 1
    need = sum(Deliverable.REQUIRED.values())
    have = sum(min(counts[kind], n) for kind, n in Deliverable.REQUIRED.items())
    missing = [_("%(kind)s%(have)d/%(need)d") % {"kind": Deliverable.Kind(kind).label, "have": counts[kind],
                                                  "need": n}
               for kind, n in Deliverable.REQUIRED.items() if counts[kind] < n]
    notes = (_("尚缺经中心审核通过的成果：%(list)s") % {"list": "、".join(missing)},) if missing else ()
    return Indicator(
        rule="R-504", title=_("品牌项目成果（主视觉、海报、宣传册、宣传片、全国短视频）"), target=need, value=have,
        target_text=_("主视觉1件、海报3件、宣传册1件、宣传片1部、全国短视频至少1条，均经中心审核"),
        value_text="；".join(_("%(kind)s%(have)d") % {"kind": Deliverable.Kind(kind).label, "have": counts[kind]}
                            for kind in Deliverable.REQUIRED),
        status=m.status(have == need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("品牌项目成果"), reverse("brand:deliverable_list", args=[m.programme.pk])),),
        notes=notes)


register("R-504", deliverables, kinds=BRAND)


def overview_reports(m: Measuring) -> Indicator:
    """R-505: overview reports with mainstream media, from the data gathered across all provinces (each link once)."""
    need = m.values["brand_overview_reports_min"]
    have = OverviewReport.plain.filter(programme=m.programme).count()
    return Indicator(
        rule="R-505", title=_("权威主流媒体综述报道"), target=need, value=have,
        target_text=_("≥ %(n)d篇") % {"n": need}, value_text=_("%(n)d篇") % {"n": have},
        status=m.status(have >= need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("综述报道"), reverse("brand:report_list", args=[m.programme.pk])),),
        notes=(_("还差%(n)d篇") % {"n": need - have},) if have < need else ())


register("R-505", overview_reports, kinds=BRAND)
