"""A project's ledger (R-401, R-402) in the API (apps/finance): the ledgers the acting org reads (a province its own
project's, the centre every project of the newest campaign), one ledger's figures by line and by month as the page
shows them (apps/finance/figures.py), its entries with their vouchers, the budget's versions, and entering an
expense, reversing one, clearing a watched one and submitting a budget or an adjustment, through the same services
and predicates as the pages. The centre approves a budget through the approvals endpoints
(`/api/v1/approvals/{id}/approve/`, `…/return/`). A ledger, entry or budget the caller may not read answers 404.

Amounts are yuan as strings with two decimals (Decimal end to end, never a float); rates are per cent with one."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.api.base import MAX_ID, NewestFirst, ScopedAPIMixin, body_of, id_or_404, query_of
from apps.api.serializers import ErrorSerializer, ProblemsSerializer, ProgrammeSerializer
from apps.approvals.models import ApprovalRequest
from apps.campaigns.models import Programme
from apps.core.errors import NotFound, ensure
from apps.finance import figures, permissions, services
from apps.finance.approvals import KIND
from apps.finance.lines import LINES
from apps.finance.models import Budget, BudgetLine, Expense, Voucher
from apps.finance.selectors import ledgers_of


def yuan(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def per_cent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, **kwargs)


def approvals_of(budgets) -> dict[int, ApprovalRequest]:
    """Each version's approval request (one query for a page of versions)."""
    rows = ApprovalRequest.plain.filter(kind=KIND, object_id__in=[b.pk for b in budgets]).order_by("version")
    return {request.object_id: request for request in rows}


# -- figures -------------------------------------------------------------------------------------------------------

class TotalsSerializer(serializers.Serializer):
    programme_budget = yuan(help_text="项目经费（元）")
    planned = yuan(help_text="执行中预算的合计（元）")
    spent = yuan(help_text="已支出合计（元），冲销已抵减")
    balance = yuan(help_text="预算余额（元）")
    rate = per_cent(help_text="执行率：已支出占项目经费的百分比，1位小数；项目经费为0时为null")


class LineFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="支出科目代码（政府支出经济分类）")
    label = serializers.CharField(help_text="支出科目名称")
    planned = yuan(help_text="预算（元）")
    spent = yuan(help_text="已支出（元）")
    balance = yuan(help_text="余额（元）")
    rate = per_cent(help_text="执行率：已支出占该科目预算的百分比，1位小数；预算为0时为null")


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="月份，如 2026-07")
    lines = serializers.DictField(child=yuan(), help_text="当月各科目支出：科目代码 → 金额（元）")
    total = yuan(help_text="当月支出合计（元）")


class BudgetLineSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_code_display", help_text="支出科目名称")
    planned = yuan(source="amount", help_text="预算金额（元）")

    class Meta:
        model = BudgetLine
        fields = ["code", "label", "planned"]


class BudgetInForceSerializer(serializers.ModelSerializer):
    lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "number", "lines"]


class LedgerSummarySerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    budget_number = serializers.IntegerField(allow_null=True, help_text="执行中预算的版本号（1为预算，其后为调整）；未批复为null")
    totals = TotalsSerializer()


class LedgerSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    budget = BudgetInForceSerializer(allow_null=True, help_text="执行中的预算；未经中心批复为null")
    pending_budget = serializers.IntegerField(allow_null=True, help_text="待中心审核的预算版本id；没有为null")
    lines = LineFiguresSerializer(many=True, help_text="各科目的预算、支出、余额和执行率")
    totals = TotalsSerializer()
    months = MonthSerializer(many=True, help_text="按月支出，月份从早到晚")


def summary_of(programme: Programme, execution: figures.Execution) -> dict:
    return {"programme": programme, "totals": execution,
            "budget_number": execution.budget.number if execution.budget else None}


# -- entries -------------------------------------------------------------------------------------------------------

class VoucherSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（需登录，权限同账目）")

    class Meta:
        model = Voucher
        fields = ["id", "name", "content_type", "size", "sha256", "url"]

    def get_url(self, voucher) -> str:
        return reverse("finance:voucher", args=[voucher.pk])


class ExpenseSerializer(serializers.ModelSerializer):
    line_label = serializers.CharField(source="get_line_display", help_text="支出科目名称")
    amount = yuan(help_text="金额（元）；冲销分录为负数")
    risk_open = serializers.BooleanField(read_only=True, help_text="在中心的转包分包关注清单上，尚待核实")
    reversed_by = serializers.SerializerMethodField(help_text="冲销本笔的分录id；未冲销为null")
    vouchers = VoucherSerializer(many=True, read_only=True)

    class Meta:
        model = Expense
        fields = ["id", "programme", "number", "spent_on", "payee", "line", "line_label", "amount", "purpose",
                  "person_days", "justification", "at_risk", "risk_open", "cleared_at", "cleared_note", "reverses",
                  "reversed_by", "reason", "created_at", "vouchers"]
        extra_kwargs = {"at_risk": {"help_text": "委托业务费支付同一受托方累计超过规定金额，列入中心关注清单（R-402）"},
                        "reverses": {"help_text": "冲销分录所冲销的分录id；普通分录为null"},
                        "reason": {"help_text": "冲销理由（冲销分录）"}}

    def get_reversed_by(self, expense) -> int | None:
        try:
            return expense.reversal.pk
        except Expense.DoesNotExist:
            return None


class ExpenseParams(serializers.Serializer):
    line = serializers.ChoiceField(choices=LINES, required=False, help_text="只看该支出科目")
    at_risk = serializers.BooleanField(required=False, help_text="true：只看列入关注清单的分录；false：只看其余分录")


class ExpenseInput(serializers.Serializer):
    spent_on = serializers.DateField(help_text="支出日期，在项目实施期内且不晚于今天")
    payee = serializers.CharField(max_length=services.PAYEE_MAX, help_text="收款方")
    line = serializers.ChoiceField(choices=LINES, help_text="支出科目，须在执行中的预算内")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=services.CENT,
                                      max_value=services.AMOUNT_MAX,
                                      help_text="金额（元），精确到分，如 \"1280.50\"；不能超过该科目的余额")
    purpose = serializers.CharField(max_length=services.PURPOSE_MAX, help_text="用途")
    person_days = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=Decimal("0.1"),
                                           max_value=services.PERSON_DAYS_MAX, required=False, allow_null=True,
                                           help_text="人天数（人数×天数，半天记0.5）：咨询费和会议费必填")
    justification = serializers.CharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="",
                                          help_text="委托说明：委托业务费支付同一受托方累计超过规定金额时必填")
    vouchers = serializers.ListField(child=serializers.FileField(), min_length=services.VOUCHERS_MIN,
                                     max_length=services.VOUCHERS_MAX,
                                     help_text="支出凭证（发票、收据等），PDF、JPEG或PNG，1至10个")


class ReverseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=services.TEXT_MAX, allow_blank=True, help_text="冲销理由（必填）")


class ClearInput(serializers.Serializer):
    note = serializers.CharField(max_length=services.TEXT_MAX, allow_blank=True,
                                 help_text="核实情况（必填）：为什么不属于转包、分包")


# -- budgets -------------------------------------------------------------------------------------------------------

class BudgetDecisionSerializer(serializers.Serializer):
    approval = serializers.IntegerField(help_text="审核事项编号（/api/v1/approvals/{id}/）")
    state = serializers.CharField(help_text="审核状态：pending / approved / returned / withdrawn")
    comment = serializers.CharField(help_text="中心审核意见")


class BudgetSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True, help_text="项目预算，或预算调整（第n版）")
    status_label = serializers.CharField(source="get_status_display")
    lines = BudgetLineSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField(help_text="各科目合计（元）")
    approval = serializers.SerializerMethodField(help_text="该版本的中心审核；null：没有")

    class Meta:
        model = Budget
        fields = ["id", "programme", "number", "kind_label", "status", "status_label", "reason", "submitted_at",
                  "lines", "total", "approval"]

    @extend_schema_field(yuan())
    def get_total(self, budget):
        return yuan().to_representation(sum((line.amount for line in budget.lines.all()), figures.ZERO))

    @extend_schema_field(BudgetDecisionSerializer(allow_null=True))
    def get_approval(self, budget):
        request = self.context.get("approvals", {}).get(budget.pk)
        if request is None:
            return None
        return {"approval": request.pk, "state": request.state, "comment": request.comment}


class BudgetParams(serializers.Serializer):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                         help_text="项目id（即账目的programme_id）；不填为本单位可查看的全部项目")


class BudgetInput(serializers.Serializer):
    amounts = serializers.DictField(child=serializers.CharField(max_length=20, allow_blank=True),
                                    help_text="各科目预算：科目代码 → 金额（元，字符串，最多两位小数），合计须等于项目经费；"
                                              "未列出或留空的科目为0。某科目的问题在 line_<科目代码> 下")
    reason = serializers.CharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="",
                                   help_text="调整理由：预算已批复后再报送（预算调整）时必填")


def budgets_data(budgets) -> list:
    return BudgetSerializer(budgets, many=True, context={"approvals": approvals_of(budgets)}).data


# -- views ---------------------------------------------------------------------------------------------------------

class LedgerViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """Ledgers by project; the path id is the programme's."""

    queryset = Programme.plain.none()  # the model, for the schema's path parameter
    lookup_field = "pk"
    lookup_url_kwarg = "programme_id"
    pagination_class = None

    def _programme(self, programme_id) -> Programme:
        return permissions.access_programme(self.request.user, id_or_404(programme_id))

    @extend_schema(responses=LedgerSummarySerializer(many=True))
    def list(self, request):
        """The ledgers the acting org reads, with their totals: a province its own, the centre every project of the
        newest campaign; a city, a county or an expert none."""
        programmes = ledgers_of(request.user, self.acting_org)
        runs = figures.executions(programmes)
        return Response(LedgerSummarySerializer([summary_of(p, runs[p.pk]) for p in programmes], many=True).data)

    @extend_schema(responses={200: LedgerSerializer, 404: ErrorSerializer})
    def retrieve(self, request, programme_id=None):
        """The ledger's figures as its page shows them: the budget in force, each line's planned, spent, balance
        and rate, the totals, and spending by month."""
        programme = self._programme(programme_id)
        execution = figures.execution(programme)
        budget = execution.budget
        if budget is not None:
            budget = Budget.plain.prefetch_related("lines").get(pk=budget.pk)
        pending = Budget.plain.filter(programme=programme, status=Budget.Status.PENDING).values_list("pk", flat=True)
        return Response(LedgerSerializer({
            **summary_of(programme, execution), "budget": budget, "pending_budget": pending.first(),
            "lines": execution.lines,
            "months": [{"month": month, "lines": lines, "total": total} for month, lines, total in execution.months],
        }).data)

    @extend_schema(methods=["GET"], parameters=[ExpenseParams], responses=ExpenseSerializer(many=True),
                   description="The ledger's entries, the latest entered first; reversals are entries too.")
    @extend_schema(methods=["POST"], request={"multipart/form-data": ExpenseInput},
                   responses={201: ExpenseSerializer, 400: ProblemsSerializer, 404: ErrorSerializer},
                   description="Enter an expense with its vouchers against the budget in force (the project's own "
                               "people only). Over a line's balance, outside the rulebook's per-person-day "
                               "standards or without a needed justification it is refused with 400 at its field, "
                               "and nothing is written.")
    @action(detail=True, methods=["get", "post"], pagination_class=NewestFirst,
            parser_classes=[MultiPartParser, FormParser])
    def expenses(self, request, programme_id=None):
        programme = self._programme(programme_id)
        if request.method == "POST":
            ensure(permissions.can_keep_ledger(request.user, programme), NotFound)
            data = body_of(ExpenseInput, request)
            expense = services.expense_add(programme=programme, by=request.user, **data)
            return Response(ExpenseSerializer(expense).data, status=201)
        params = query_of(ExpenseParams, request)
        rows = Expense.objects.filter(programme=programme).select_related("reversal").prefetch_related("vouchers")
        if params.get("line"):
            rows = rows.filter(line=params["line"])
        if params.get("at_risk") is not None:
            rows = rows.filter(at_risk=params["at_risk"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(ExpenseSerializer(page, many=True).data)

    @extend_schema(request=BudgetInput, responses={201: BudgetSerializer, 400: ProblemsSerializer,
                                                   404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def budget(self, request, programme_id=None):
        """Submit the budget by line, or an adjustment of the one in force with its reason, to the centre's
        approval (the project's own people only; one version waits at a time)."""
        programme = self._programme(programme_id)
        ensure(permissions.can_keep_ledger(request.user, programme), NotFound)
        data = body_of(BudgetInput, request)
        budget = services.budget_submit(programme=programme, by=request.user, amounts=data["amounts"],
                                        reason=data["reason"])
        return Response(budgets_data([budget])[0], status=201)


class ExpenseViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """One entry of a ledger, its reversal and the centre's check (R-402)."""

    queryset = Expense.plain.none()  # the model, for the schema's path parameter

    def _expense(self, pk) -> Expense:
        return permissions.access_expense(self.request.user, id_or_404(pk))

    @extend_schema(responses={200: ExpenseSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return Response(ExpenseSerializer(self._expense(pk)).data)

    @extend_schema(request=ReverseInput, responses={201: ExpenseSerializer, 400: ProblemsSerializer,
                                                    404: ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="reverse", url_name="reverse")
    def reverse_entry(self, request, pk=None):
        """Reverse a wrong entry with a reason: a counter-entry (negative, the same line and payee) is written and
        returned; entries are never deleted or changed (the project's own people only)."""
        expense = self._expense(pk)
        ensure(permissions.can_keep_ledger(request.user, expense.programme), NotFound)
        counter = services.expense_reverse(expense=expense, by=request.user,
                                           reason=body_of(ReverseInput, request)["reason"])
        return Response(ExpenseSerializer(counter).data, status=201)

    @extend_schema(request=ClearInput, responses={200: ExpenseSerializer, 400: ProblemsSerializer,
                                                  404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def clear(self, request, pk=None):
        """The centre has checked a watched 委托业务费 entry and records why it is not subcontracting; the entry
        leaves the watch list (the centre's admins only)."""
        expense = self._expense(pk)
        ensure(permissions.can_clear_risk(request.user, expense.programme), NotFound)
        cleared = services.risk_clear(expense=expense, by=request.user, note=body_of(ClearInput, request)["note"])
        return Response(ExpenseSerializer(cleared).data)


class BudgetViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The versions of projects' budgets, newest first: the budget and each adjustment, whatever became of them."""

    queryset = Budget.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    @extend_schema(parameters=[BudgetParams], responses=BudgetSerializer(many=True))
    def list(self, request):
        """Every version of one project's budget (`programme`), or of every ledger the acting org reads."""
        programme_id = query_of(BudgetParams, request).get("programme")
        if programme_id is not None:
            programmes = [permissions.access_programme(request.user, programme_id)]
        else:
            programmes = ledgers_of(request.user, self.acting_org)
        rows = Budget.objects.filter(programme__in=programmes).prefetch_related("lines")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(budgets_data(page))

    @extend_schema(responses={200: BudgetSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        budget = permissions.access_budget(request.user, id_or_404(pk))
        return Response(budgets_data([budget])[0])


def register(router) -> None:
    router.register("ledgers", LedgerViewSet, basename="ledger")
    router.register("expenses", ExpenseViewSet, basename="expense")
    router.register("budgets", BudgetViewSet, basename="budget")
