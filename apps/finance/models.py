"""A project's own ledger (R-401: 专账管理、独立核算、专款专用) and the watch on subcontracting (R-402).

`Budget` is one version of a project's budget by spending line (`BudgetLine`, apps/finance/lines.py), the lines
summing to the programme's budget. The province submits it and the centre approves it through the approvals
mechanism; an adjustment (money moved between lines) is a later version with its reason, approved the same way. The
approved version is in force and sets each line's limit.

`Expense` is one entry of the ledger: a date, a payee, a line, an amount in yuan with fen (Decimal), a purpose and
its vouchers. Entries are never deleted or changed: a wrong one is reversed by a counter-entry (negative, the same
line and payee) with a reason. An entry under 委托业务费 that takes one outside party above the rulebook's threshold
carries a written justification and goes on the centre's subcontracting-risk list until the centre clears it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.core.scoping import ScopedModel
from apps.finance.lines import LINES


class Budget(ScopedModel):
    APPROVAL_KIND = "budget"

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        IN_FORCE = "in_force", _("执行中")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        RETIRED = "retired", _("已被调整替代")

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="budgets")
    number = models.PositiveSmallIntegerField()  # 1: the budget; 2, 3 …: adjustments
    reason = models.TextField(_("调整理由"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["programme_id", "-number"]  # by id: no join to the programme's own ordering
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="budget_number_once"),
            models.UniqueConstraint(fields=["programme"], condition=Q(status="pending"), name="budget_one_pending"),
            models.UniqueConstraint(fields=["programme"], condition=Q(status="in_force"),
                                    name="budget_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.org.name} · {self.kind_label}"

    @property
    def is_adjustment(self) -> bool:
        return self.number > 1

    @property
    def kind_label(self) -> str:
        return str(_("预算调整（第%(n)d版）") % {"n": self.number}) if self.is_adjustment else str(_("项目预算"))


class BudgetLine(ScopedModel):
    budget = models.ForeignKey(Budget, models.CASCADE, related_name="lines")
    code = models.CharField(_("支出科目"), max_length=5, choices=LINES)
    amount = models.DecimalField(_("预算金额（元）"), max_digits=12, decimal_places=2)

    scope_path = "budget__programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["budget_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="budgetline_code_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


class Expense(ScopedModel):
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="expenses")
    number = models.PositiveIntegerField(_("凭证号"))  # 1, 2 … per project, in the order entered
    spent_on = models.DateField(_("支出日期"))
    payee = models.CharField(_("收款方"), max_length=100)
    line = models.CharField(_("支出科目"), max_length=5, choices=LINES)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)  # < 0 only for a reversal
    purpose = models.CharField(_("用途"), max_length=200)
    person_days = models.DecimalField(_("人天数"), max_digits=7, decimal_places=1, null=True, blank=True)
    justification = models.TextField(_("委托说明"), blank=True)  # why a commissioned party is not a subcontract
    at_risk = models.BooleanField(default=False)  # on the centre's subcontracting-risk list
    cleared_at = models.DateTimeField(null=True, blank=True)  # the centre checked it is not subcontracting
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    cleared_note = models.TextField(blank=True)
    reverses = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="reversal")
    reason = models.TextField(_("冲销理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-spent_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="expense_number_once"),
            # An entry spends; only a reversal (of exactly one entry, once) is negative.
            models.CheckConstraint(condition=Q(reverses__isnull=True, amount__gt=0)
                                   | Q(reverses__isnull=False, amount__lt=0), name="expense_sign"),
        ]
        indexes = [models.Index(fields=["programme", "line"], name="expense_programme_line"),
                   models.Index(fields=["programme", "spent_on"], name="expense_programme_date")]

    def __str__(self) -> str:
        return f"#{self.number} {self.payee} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def risk_open(self) -> bool:
        return self.at_risk and self.cleared_at is None


class Voucher(ScopedModel):
    """A voucher of an expense (an invoice, a receipt, a signed list): a checked upload, kept with its SHA-256."""

    expense = models.ForeignKey(Expense, models.CASCADE, related_name="vouchers")
    file = models.FileField(upload_to="finance/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    scope_path = "expense__programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["expense_id", "id"]

    def __str__(self) -> str:
        return self.name
