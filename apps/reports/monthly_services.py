"""State changes of the monthly progress reports (R-403): drafting from the data (the scheduled task on the 1st,
or a person), the province's account of the month, submitting to the centre, and the reminders before the
deadline. Each writes in one transaction with its audit row (the drafting task's rows have no person)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import rulebook_values
from apps.core.errors import NotFound, ensure
from apps.orgs.models import Membership, Message, User
from apps.orgs.permissions import works_at
from apps.reports import monthly
from apps.reports.approvals import KIND
from apps.reports.models import MonthlyReport

State = MonthlyReport.State
TEXT_MAX = 5000
REMIND_DAYS = 3  # reminders go out on the three days before the deadline and on the day itself


def reportable(campaign: Campaign, month: dt.date) -> list[Programme]:
    """The projects that report on `month`: every programme whose period covers part of it."""
    return list(Programme.plain.filter(campaign=campaign, period_start__lte=monthly.month_end(month),
                                       period_end__gte=month).select_related("org", "campaign")
                .order_by("-kind", "org__code"))


def monthly_draft(*, programme: Programme, month: dt.date, by: User | None = None, refresh: bool = True,
                  today: dt.date | None = None) -> MonthlyReport:
    """The report of `month`, drafted from the data once the month is over (on `today`, the Beijing date; the demo,
    which seeds a campaign ahead of the calendar, names its own); an existing one has its figures drawn again while
    it is a draft or returned (`refresh`; the daily task only drafts the missing ones). A report already sent keeps
    the figures it was sent with."""
    ensure(by is None or works_at(by, programme.org), NotFound)
    month = monthly.month_start(month)
    if not programme.period_start.replace(day=1) <= month <= programme.period_end:
        raise ValidationError({"month": [_("%(m)s不在项目实施期内") % {"m": month.strftime("%Y-%m")}]})
    if month >= monthly.month_start(today or timezone.localdate()):
        raise ValidationError({"month": [_("月份结束后才能生成该月报告")]})
    data = monthly.gather(programme, month)
    due = monthly.due_on(month, rulebook_values(programme)["monthly_report_due_day"])
    try:
        with transaction.atomic():
            report = MonthlyReport.plain.select_for_update().filter(programme=programme, month=month).first()
            if report is None:
                report = MonthlyReport.plain.create(programme=programme, month=month, due_on=due, data=data,
                                                    data_at=timezone.now())
                action = "monthly_report.draft"
            elif report.editable and refresh:
                report.data, report.data_at, report.due_on = data, timezone.now(), due
                report.save(update_fields=["data", "data_at", "due_on", "updated_at"])
                action = "monthly_report.refresh"
            else:
                return report
            audit_record(actor=by, action=action, target=report, org=programme.org,
                         data={"month": data["month"], "due_on": due})
    except IntegrityError:  # drafted a moment ago by the task or another person
        return MonthlyReport.plain.get(programme=programme, month=month)
    return report


def monthly_draft_all(month: dt.date, *, refresh: bool = False) -> list[MonthlyReport]:
    """Every project's report of `month` (the daily task from the 1st on; the command for a given month)."""
    campaign = Campaign.plain.filter(year=month.year).first()
    if campaign is None:
        return []
    return [monthly_draft(programme=p, month=month, refresh=refresh) for p in reportable(campaign, month)]


def _text(errors: dict, field: str, value) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        errors[field] = [_("最多%(n)d字") % {"n": TEXT_MAX}]
    return value


def monthly_save(*, report: MonthlyReport, by: User, progress: str, problems: str, plans: str) -> MonthlyReport:
    ensure(works_at(by, report.programme.org), NotFound)
    errors: dict[str, list[str]] = {}
    values = {name: _text(errors, name, value) for name, value in
              (("progress", progress), ("problems", problems), ("plans", plans))}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = MonthlyReport.plain.select_for_update().get(pk=report.pk)
        if not current.editable:
            raise ValidationError(_("报告已报送中心，不能再修改"))
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=[*values, "updated_at"])
        audit_record(actor=by, action="monthly_report.save", target=current, org=current.programme.org,
                     data={"month": current.month.strftime("%Y-%m")})
    return current


def monthly_submit(*, report: MonthlyReport, by: User) -> MonthlyReport:
    """Send the report to the centre; its account of the month's work must be written."""
    ensure(works_at(by, report.programme.org), NotFound)
    with transaction.atomic():
        current = MonthlyReport.plain.select_for_update().get(pk=report.pk)
        if not current.editable:
            raise ValidationError(_("报告已报送中心，无需重复报送"))
        if not current.progress.strip():
            raise ValidationError({"progress": [_("请填写本月工作进展")]})
        current.state, current.submitted_by, current.submitted_at = State.SUBMITTED, by, timezone.now()
        current.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
        approval_submit(kind=KIND, obj=current, by=by, title=str(current))
        audit_record(actor=by, action="monthly_report.submit", target=current, org=current.programme.org,
                     data={"month": current.month.strftime("%Y-%m"), "late": timezone.localdate() > current.due_on})
    return current


def monthly_remind(*, today: dt.date | None = None, site_url: str = "") -> int:
    """Remind the projects whose report is not yet sent, on the days before its deadline and on the day: an in-app
    message to the project's org and an e-mail to its people, once a day per report. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    waiting = (MonthlyReport.plain.filter(state__in=(State.DRAFT, State.RETURNED), due_on__gte=today,
                                          due_on__lte=today + dt.timedelta(days=REMIND_DAYS))
               .exclude(reminded_on=today).select_related("programme__org"))
    for report in waiting:
        org = report.programme.org
        link = reverse("reports:monthly_detail", args=[report.pk])
        subject = _("提醒：请于%(date)s前报送%(month)s月度进展报告") % {
            "date": report.due_on.isoformat(), "month": report.month.strftime("%Y年%m月")}
        body = _("%(report)s尚未报送中心，截止日期为%(date)s。请登录平台补充情况说明后报送：%(link)s")
        words = {"report": str(report), "date": report.due_on.isoformat()}
        addresses = sorted(set(Membership.plain.filter(org=org, is_active=True, user__is_active=True)
                               .exclude(user__email="").values_list("user__email", flat=True)))
        with transaction.atomic():
            updated = (MonthlyReport.plain.filter(pk=report.pk, state__in=(State.DRAFT, State.RETURNED))
                       .exclude(reminded_on=today).update(reminded_on=today))
            if not updated:  # sent meanwhile, or reminded by another worker
                continue
            Message._base_manager.create(org=org, subject=subject, body=body % {**words, "link": link}, link=link)
            audit_record(actor=None, action="monthly_report.remind", target=report, org=org,
                         data={"due_on": report.due_on, "emails": len(addresses)})
        if addresses:
            text = body % {**words, "link": site_url + link}
            send_mass_mail([(subject, text, None, [a]) for a in addresses], fail_silently=True)
        sent += 1
    return sent
