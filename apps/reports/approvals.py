"""The monthly progress report and the three final reports (R-403) as approvable kinds: the project submits one,
the centre reads it and accepts it, or returns it with comments; a returned report is corrected and submitted again
(each month's report, and each kind of final report, of a project has its own thread)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.reports.models import FinalReport, MonthlyReport

KIND = MonthlyReport.APPROVAL_KIND


def thread(report: MonthlyReport) -> str:
    return f"monthly_report:{report.programme_id}:{report.month:%Y-%m}"


def _set(state: str):
    def apply(report: MonthlyReport, by, *comment) -> None:
        report.state = state
        report.save(update_fields=["state", "updated_at"])
    return apply


def _summary(report: MonthlyReport) -> list[str]:
    data = report.data
    lines = [_("本月工作进展：%(text)s") % {"text": report.progress[:300]}]
    spending = data.get("spending", {})
    if spending:
        lines.append(_("本月支出%(month)s元，累计%(total)s元") % {"month": spending.get("month_total"),
                                                           "total": spending.get("to_date")})
    events = data.get("events", {})
    if events:
        lines.append(_("本月举办宣讲活动%(n)d场") % {"n": events.get("held_in_month", 0)})
    return lines


MONTHLY_REPORT = ApprovableKind(
    key=KIND, label=gettext_lazy("月度进展报告"), rule="R-403", model=MonthlyReport,
    submitter=lambda r: r.programme.org,
    approver=lambda r: centre_of(r.programme.org),
    thread=thread,
    on_approve=_set(MonthlyReport.State.ACCEPTED), on_return=_set(MonthlyReport.State.RETURNED),
    on_withdraw=_set(MonthlyReport.State.DRAFT),
    url=lambda r: reverse("reports:monthly_detail", args=[r.pk]),
    summary=_summary,
)


# -- final reports ------------------------------------------------------------------------------------------------

FINAL_KIND = FinalReport.APPROVAL_KIND


def final_thread(report: FinalReport) -> str:
    return f"final_report:{report.programme_id}:{report.kind}"


def _final_summary(report: FinalReport) -> list[str]:
    from_sections = [text for text in report.sections.values() if text][:1]
    lines = [text[:300] for text in from_sections]
    ledger = report.data.get("ledger", {})
    if ledger:
        lines.append(_("经费%(budget)s元，已支出%(spent)s元") % {"budget": ledger.get("budget"),
                                                         "spent": ledger.get("spent")})
    return lines


FINAL_REPORT = ApprovableKind(
    key=FINAL_KIND, label=gettext_lazy("项目总结报告"), rule="R-403", model=FinalReport,
    submitter=lambda r: r.programme.org,
    approver=lambda r: centre_of(r.programme.org),
    thread=final_thread,
    on_approve=_set(FinalReport.State.ACCEPTED), on_return=_set(FinalReport.State.RETURNED),
    on_withdraw=_set(FinalReport.State.DRAFT),
    url=lambda r: reverse("reports:final_detail", args=[r.pk]),
    summary=_final_summary,
)
