"""The indicators of publicity (R-302…R-306), one function per rule, registered in PublicityConfig.ready."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.publicity.collection import entries_of
from apps.publicity.models import CaseCollection, MediaReport, PublicityPlan, Story, TopicVideo


def media_reports(m: Measuring) -> Indicator:
    need_reports, need_overviews = m.values["media_reports_min"], m.values["overview_reports_min"]
    counts = MediaReport.plain.filter(programme=m.programme).aggregate(
        reports=Count("pk", filter=Q(kind=MediaReport.Kind.REPORT)),
        overviews=Count("pk", filter=Q(kind=MediaReport.Kind.OVERVIEW, level=MediaReport.Level.NATIONAL)))
    have_reports, have_overviews = counts["reports"], counts["overviews"]
    met = have_reports >= need_reports and have_overviews >= need_overviews
    notes = []
    if have_reports < need_reports:
        notes.append(_("还差%(n)d篇报道") % {"n": need_reports - have_reports})
    if have_overviews < need_overviews:
        notes.append(_("还差%(n)d篇权威主流媒体综述报道") % {"n": need_overviews - have_overviews})
    return Indicator(
        rule="R-303", title=_("省级媒体报道和权威主流媒体综述报道"), target=need_reports, value=have_reports,
        target_text=_("报道 ≥ %(r)d篇，综述 ≥ %(o)d篇") % {"r": need_reports, "o": need_overviews},
        value_text=_("报道%(r)d篇，综述%(o)d篇") % {"r": have_reports, "o": have_overviews},
        status=m.status(met, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("媒体报道"), reverse("publicity:report_list")),), notes=tuple(notes))


register("R-303", media_reports)


def publicity_plan(m: Measuring) -> Indicator:
    """R-302: a publicity plan approved by the centre covers the four phases, uses TV, web and new media, and
    streams live at least once."""
    plan = PublicityPlan.plain.filter(programme=m.programme, status=PublicityPlan.Status.IN_FORCE).first()
    deadline = m.values["mobilisation_deadline"]
    notes = []
    covered = 0
    if plan is None:
        waiting = PublicityPlan.plain.filter(programme=m.programme, status=PublicityPlan.Status.PENDING).exists()
        notes.append(_("方案待中心审核") if waiting else _("尚无经中心审核通过的宣传工作方案"))
    else:
        phases = [plan.phases.get(key, {}) for key, _label in PublicityPlan.PHASES]
        covered = sum(1 for p in phases if p.get("channels"))
        used = {c for p in phases for c in p.get("channels", [])}
        missing = [str(label) for key, label in PublicityPlan.CHANNELS if key not in used]
        if missing:
            notes.append(_("未使用的渠道：%(channels)s") % {"channels": "、".join(missing)})
        if not any(p.get("live") for p in phases):
            notes.append(_("尚未安排网络直播"))
    total = len(PublicityPlan.PHASES)
    return Indicator(
        rule="R-302", title=_("全周期宣传工作方案"), target=total, value=covered,
        target_text=_("%(n)d个阶段，电视、网络、新媒体，含网络直播") % {"n": total},
        value_text=(_("第%(v)d版生效，覆盖%(n)d个阶段") % {"v": plan.number, "n": covered}) if plan else _("无"),
        status=m.status(plan is not None and covered == total and not notes, deadline), deadline=deadline,
        evidence=(Evidence(_("宣传工作方案"), reverse("publicity:plan", args=[m.programme.pk])),), notes=tuple(notes))


register("R-302", publicity_plan)


def topic_videos(m: Measuring) -> Indicator:
    """R-304: topic videos that pass the campaign's spec, against the rulebook's minimum (30)."""
    need = m.values["topic_videos_min"]
    counts = TopicVideo.plain.filter(programme=m.programme).aggregate(
        ok=Count("pk", filter=Q(passes=True)), failing=Count("pk", filter=Q(passes=False)))
    notes = (_("另有%(n)d条不符合规格，不计入") % {"n": counts["failing"]},) if counts["failing"] else ()
    return Indicator(
        rule="R-304", title=_("符合规格的专题视频"), target=need, value=counts["ok"],
        target_text=_("≥ %(n)d条") % {"n": need}, value_text=_("%(n)d条") % {"n": counts["ok"]},
        status=m.status(counts["ok"] >= need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("专题视频"), reverse("publicity:video_list")),), notes=notes)


register("R-304", topic_videos)


def written_stories(m: Measuring) -> Indicator:
    """R-305: stories reviewed by the province, one per case, against the rulebook's number (100)."""
    need = m.values["stories"]
    counts = Story.plain.filter(programme=m.programme).aggregate(
        reviewed=Count("pk", filter=Q(state=Story.State.REVIEWED)), all=Count("pk"))
    notes = ()
    if counts["all"] > counts["reviewed"]:
        notes = (_("另有%(n)d篇在编写或审核中") % {"n": counts["all"] - counts["reviewed"]},)
    return Indicator(
        rule="R-305", title=_("省级审核通过的案例故事"), target=need, value=counts["reviewed"],
        target_text=_("%(n)d篇") % {"n": need}, value_text=_("%(n)d篇") % {"n": counts["reviewed"]},
        status=m.status(counts["reviewed"] >= need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("案例故事"), reverse("publicity:story_list")),), notes=notes)


register("R-305", written_stories)


def case_collection(m: Measuring) -> Indicator:
    """R-306: the latest case collection built, in Word and PDF, holds every story the province has reviewed, at its
    reviewed version (a story reviewed or changed since the build asks for a new build)."""
    current = {(e.story_id, e.version) for e in entries_of(m.programme)}
    built = (CaseCollection.plain.filter(programme=m.programme, state=CaseCollection.State.BUILT)
             .order_by("-number").first())
    held = {(c["story"], c["version"]) for c in built.contents} if built else set()
    notes = []
    if built is None:
        notes.append(_("尚未生成案例集") if current else _("尚无省级审核通过的案例故事"))
    else:
        if current - held:
            notes.append(_("生成后又有%(n)d篇故事审核通过或修改，请重新生成") % {"n": len(current - held)})
        if not built.pdf:
            notes.append(_("最近一次生成没有PDF版"))
    met = built is not None and bool(current) and current <= held and bool(built.pdf)
    return Indicator(
        rule="R-306", title=_("案例集（Word和PDF）"), target=len(current), value=len(held & current),
        target_text=_("收录全部已审核故事（%(n)d篇）") % {"n": len(current)},
        value_text=(_("第%(v)d次生成，收录%(n)d篇") % {"v": built.number, "n": len(built.contents)}) if built
        else _("未生成"),
        status=m.status(met, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("案例集"), reverse("publicity:collection")),), notes=tuple(notes))


register("R-306", case_collection)
