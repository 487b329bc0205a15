"""Reminders (催办) an office sends to a unit below it that is late (the overview shows the last one), and the
projects' monthly progress reports (R-403)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedModel
from apps.orgs.models import Org
from apps.rounds.models import Round


class Reminder(ScopedModel):
    org = models.ForeignKey(Org, models.CASCADE, related_name="reminders")  # the unit reminded
    round = models.ForeignKey(Round, models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("催办时间"))
    emails = models.PositiveIntegerField(default=0)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["org", "-sent_at"], name="reminder_org_time")]

    def __str__(self) -> str:
        return f"{self.org} · {self.sent_at:%Y-%m-%d}"


class MonthlyReport(ScopedModel):
    """A project's progress report for one month (R-403). Drafted from the data on the 1st of the month after
    (apps/reports/monthly.py: the rule indicators, cases, events, publicity and spending, frozen in `data`); the
    province adds its account of the month and submits it to the centre by the rulebook's day, through the
    approvals; the centre accepts it or returns it with comments, and a returned report is corrected and sent
    again. While a report is a draft or returned its figures can be drawn again from the data; once sent they stay
    as sent."""

    APPROVAL_KIND = "monthly_report"

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待中心审阅")
        ACCEPTED = "accepted", _("中心已审阅")
        RETURNED = "returned", _("已退回修改")

    programme = models.ForeignKey("campaigns.Programme", models.PROTECT, related_name="monthly_reports")
    month = models.DateField(_("月份"))  # the first day of the month reported on
    due_on = models.DateField(_("报送截止日期"))
    data = models.JSONField(default=dict)  # apps/reports/monthly.py gather()
    data_at = models.DateTimeField()
    progress = models.TextField(_("本月工作进展"), blank=True)
    problems = models.TextField(_("存在的问题和建议"), blank=True)
    plans = models.TextField(_("下月工作计划"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # the last reminder, one a day at most
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-month", "programme"]
        constraints = [models.UniqueConstraint(fields=["programme", "month"], name="monthlyreport_once_a_month")]
        indexes = [models.Index(fields=["month", "state"], name="monthlyreport_month_state")]

    def __str__(self) -> str:
        return str(_("%(org)s%(y)d年%(m)d月进展报告") % {"org": self.programme.org.name, "y": self.month.year,
                                                      "m": self.month.month})

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)
