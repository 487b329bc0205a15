"""R-403, reporting to the centre, one function for every project: each month's progress report that is due (its
month is over and its day in the month after has come) sent to the centre (waiting or accepted; a returned one is
not sent until it is sent again), and, once the project's period is over, its three final reports sent within
`FINAL_DAYS` of the end. The deadline is the earliest report still owed, so a report owed past its day makes the
rule fail until it is sent. Registered in ReportsConfig.ready."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import Programme
from apps.reports import monthly
from apps.reports.models import FinalReport, MonthlyReport

FINAL_DAYS = 30
SENT = (MonthlyReport.State.SUBMITTED, MonthlyReport.State.ACCEPTED)


def reporting(m: Measuring) -> Indicator:
    programme = m.programme
    due_day = m.values["monthly_report_due_day"]
    months = []
    month = programme.period_start.replace(day=1)
    while month <= programme.period_end and monthly.due_on(month, due_day) <= m.today:
        months.append(month)
        month = monthly.next_month(month)
    sent = set(MonthlyReport.plain.filter(programme=programme, state__in=SENT).values_list("month", flat=True))
    owed = [(monthly.due_on(x, due_day), x.strftime("%Y-%m")) for x in months if x not in sent]
    final_due = programme.period_end + dt.timedelta(days=FINAL_DAYS)
    finals = 0
    if m.today > programme.period_end:
        finals = FinalReport.plain.filter(programme=programme, state__in=SENT).count()
        owed += [(final_due, str(label)) for kind, label in FinalReport.Kind.choices
                 if not FinalReport.plain.filter(programme=programme, kind=kind, state__in=SENT).exists()]
    need = len(months) + (len(FinalReport.Kind.values) if m.today > programme.period_end else 0)
    have = need - len(owed)
    notes = (_("尚未报送：%(items)s") % {"items": "、".join(name for _due, name in sorted(owed))},) if owed else ()
    deadline = min(due for due, _name in owed) if owed else None
    return Indicator(
        rule="R-403", title=_("月度报告和总结报告按期报送"), target=need, value=have,
        target_text=_("每月报告在截止日前报送，项目结束后%(n)d天内报送三份总结报告") % {"n": FINAL_DAYS},
        value_text=_("已报送%(have)d份，应报送%(need)d份") % {"have": have, "need": need},
        status=m.status(need > 0 and not owed, deadline or final_due), deadline=deadline or final_due,
        evidence=(Evidence(_("月度报告"), reverse("reports:monthly")),
                  Evidence(_("总结与验收"), reverse("reports:final"))),
        notes=notes, figures={"finals": finals})


register("R-403", reporting, kinds=(Programme.Kind.PROVINCE, Programme.Kind.BRAND))
