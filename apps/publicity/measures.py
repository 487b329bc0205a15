"""The indicator of media reports (R-303): the province's reports against the rulebook's minimum (5), and its
overview reports (综述) in authoritative mainstream media against theirs (1). Registered in PublicityConfig.ready."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.publicity.models import MediaReport


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
