"""Reminders (催办) an office sends to a unit below it that is late (the overview shows the last one), and the
projects' monthly progress reports (R-403)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
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

    @property
    def late(self) -> bool:
        """Past its due date (Beijing) and not yet sent to the centre."""
        return self.editable and timezone.localdate() > self.due_on


class FinalReport(ScopedModel):
    """One of a project's three final reports (R-403): the execution report (执行报告), the work summary (工作总结)
    or the performance report (绩效报告). Drafted from the data over the whole period (apps/reports/final.py, frozen in
    `data`), completed by the project (its sections in `sections`; for the performance report, the entered scores of
    效益 and 满意度 with their evidence in `entered` and evidence files), and sent to the centre through the
    approvals; the centre accepts it or returns it with comments."""

    APPROVAL_KIND = "final_report"

    class Kind(models.TextChoices):
        EXECUTION = "execution", _("项目执行报告")
        SUMMARY = "summary", _("项目工作总结")
        PERFORMANCE = "performance", _("项目绩效报告")

    State = MonthlyReport.State

    programme = models.ForeignKey("campaigns.Programme", models.PROTECT, related_name="final_reports")
    kind = models.CharField(_("报告类别"), max_length=12, choices=Kind.choices)
    data = models.JSONField(default=dict)
    data_at = models.DateTimeField()
    sections = models.JSONField(default=dict)  # {section key: text}, apps/reports/final.py SECTIONS
    entered = models.JSONField(default=dict)  # performance: {key: {"score": "12.5", "evidence": "…"}}
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["programme", "kind"]
        constraints = [models.UniqueConstraint(fields=["programme", "kind"], name="finalreport_once_a_kind")]

    def __str__(self) -> str:
        return f"{self.programme.org.name}{self.get_kind_display()}"

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class FinalEvidence(ScopedModel):
    """A file of evidence for a final report's entered scores (a survey's results, a letter of thanks …)."""

    report = models.ForeignKey(FinalReport, models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to="reports/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    scope_path = "report__programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class AcceptanceEvaluation(ScopedModel):
    """The centre's acceptance evaluation of a project (验收评价, R-403): passed, passed with conditions or failed,
    with its comments, the conditions where there are some, and the reviewers. Recorded once, locked: it is never
    changed or deleted, and the audit log holds it. The performance score at that moment is kept with it."""

    class Result(models.TextChoices):
        PASSED = "passed", _("通过验收")
        CONDITIONAL = "conditional", _("有条件通过验收")
        FAILED = "failed", _("未通过验收")

    programme = models.OneToOneField("campaigns.Programme", models.PROTECT, related_name="acceptance")
    result = models.CharField(_("验收结论"), max_length=12, choices=Result.choices)
    comments = models.TextField(_("验收意见"))
    conditions = models.TextField(_("整改要求"), blank=True)
    reviewers = models.JSONField(default=list)  # names of the evaluation group
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(max_length=4, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    evaluated_at = models.DateTimeField()

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-evaluated_at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(result="conditional") | ~models.Q(conditions=""),
                                              name="acceptance_conditions_named")]

    def __str__(self) -> str:
        return str(_("%(org)s项目验收评价") % {"org": self.programme.org.name})


class IndicatorSnapshot(ScopedModel):
    """A project's rule indicators and selection funnel as measured (apps/campaigns/indicators.py), one row per
    project and week (the Beijing Monday): the current week's row is refreshed whenever the project's indicators are
    measured for a dashboard, and the past weeks' rows stay as the trend. The centre's dashboard reads these rows,
    so it shows twelve provinces and the brand project in a fixed number of queries; a row older than the dashboard's
    limit is measured again first."""

    programme = models.ForeignKey("campaigns.Programme", models.CASCADE, related_name="snapshots")
    week = models.DateField()
    computed_at = models.DateTimeField()
    indicators = models.JSONField(default=list)  # Indicator.as_dict() of every rule
    funnel = models.JSONField(default=list)  # [{"key", "label", "rule", "value"}]
    met = models.PositiveSmallIntegerField(default=0)  # rules met, for the trend without reading the JSON
    measured = models.PositiveSmallIntegerField(default=0)  # rules measured

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-week", "programme_id"]
        constraints = [models.UniqueConstraint(fields=["programme", "week"], name="snapshot_once_a_week")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.week}"
