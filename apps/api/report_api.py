"""The projects' reports (R-403) and the dashboards in the API (apps/reports): the monthly progress reports and the
three final reports the acting org reads (a province its own project's, the centre every project's), one report with
the figures it was drafted with, drafting, writing and sending one; the centre's acceptance evaluations; and the
dashboards' data, the centre's national view and one project's. Everything goes through the same services and
predicates as the pages. The centre accepts or returns a report through the approvals endpoints
(`/api/v1/approvals/{id}/approve/`, `…/return/`; a report's `approval` names the request). A report, an evaluation or
a project the caller may not read answers 404.

Amounts are yuan as strings with two decimals and rates per cent with one, as in the ledgers API; scores are decimal
strings too (a row of the performance tree to the hundredth, the total and an entered score to the tenth); counts are
numbers. Evidence files are uploaded on the report's page; the API
lists them with their links."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils import html

from apps.api.base import MAX_ID, NewestFirst, ScopedAPIMixin, body_of, id_or_404, query_of
from apps.api.finance_api import LineFiguresSerializer, TotalsSerializer, per_cent, yuan
from apps.api.serializers import ErrorSerializer, IndicatorSerializer, ProblemsSerializer, ProgrammeSerializer
from apps.approvals.selectors import latest_of
from apps.campaigns.indicators import Status
from apps.campaigns.models import Campaign, Programme
from apps.campaigns.permissions import is_admin_at
from apps.campaigns.selectors import own_programme
from apps.core.errors import NotFound, ensure, visible_or_404
from apps.orgs.models import Org
from apps.orgs.permissions import works_at
from apps.reports import dashboard, final, final_services, monthly_services, performance
from apps.reports import permissions as reports_permissions
from apps.reports.approvals import FINAL_KIND, KIND, final_thread, thread
from apps.reports.funnel import STAGES
from apps.reports.models import AcceptanceEvaluation, FinalEvidence, FinalReport, MonthlyReport
from apps.reports.permissions import access_final, access_report, can_write_report
from apps.reports.selectors import report_programmes

MONTH = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"


def month_field(**kwargs) -> serializers.RegexField:
    return serializers.RegexField(MONTH, max_length=7, **kwargs)


def first_day(month: str) -> dt.date:
    year, number = month.split("-")
    return dt.date(int(year), int(number), 1)


def own_project(user, org: Org | None) -> Programme:
    """The project the acting org drafts reports for (a province's own, the centre's brand project); else 404."""
    programme = own_programme(org)
    ensure(programme is not None and works_at(user, programme.org), NotFound)
    return programme


def decision_of(request) -> dict | None:
    if request is None:
        return None
    return {"approval": request.pk, "state": request.state, "comment": request.comment}


def drafted(data: dict, existed: bool) -> Response:
    """A drafting's answer: 201 for a new report, 200 for one that was there."""
    return Response(data, status=200 if existed else 201)


# -- shared --------------------------------------------------------------------------------------------------------

class ReportDecisionSerializer(serializers.Serializer):
    approval = serializers.IntegerField(help_text="审核事项编号（/api/v1/approvals/{id}/，中心在此审阅或退回）")
    state = serializers.CharField(help_text="审核状态：pending / approved / returned / withdrawn")
    comment = serializers.CharField(help_text="中心审阅意见")


class ReportSummarySerializer(serializers.ModelSerializer):
    """What a report's row in a list shows, monthly or final."""

    org_code = serializers.CharField(source="programme.org.code", help_text="项目单位代码")
    org_name = serializers.CharField(source="programme.org.name", help_text="项目单位名称")
    state_label = serializers.CharField(source="get_state_display")


# -- monthly reports -------------------------------------------------------------------------------------------------

class MonthlyReportSummarySerializer(ReportSummarySerializer):
    month = serializers.SerializerMethodField(help_text="报告月份，如 2026-07")
    late = serializers.SerializerMethodField(help_text="已过报送截止日期仍未报送中心")

    class Meta:
        model = MonthlyReport
        fields = ["id", "programme", "org_code", "org_name", "month", "due_on", "state", "state_label", "late",
                  "submitted_at", "updated_at"]

    def get_month(self, report) -> str:
        return report.month.strftime("%Y-%m")

    def get_late(self, report) -> bool:
        return report.late


class MonthlyReportSerializer(MonthlyReportSummarySerializer):
    data = serializers.JSONField(help_text="生成报告时取自平台的数据（规则指标、遴选漏斗、宣讲活动、宣传、按科目的支出），"
                                           "报送后不再变化")
    approval = serializers.SerializerMethodField(help_text="该报告最新一次报送的中心审阅；未报送为null")
    url = serializers.SerializerMethodField(help_text="报告页面地址")

    class Meta:
        model = MonthlyReport
        fields = [*MonthlyReportSummarySerializer.Meta.fields, "data", "data_at", "progress", "problems", "plans",
                  "approval", "url"]

    @extend_schema_field(ReportDecisionSerializer(allow_null=True))
    def get_approval(self, report):
        return decision_of(latest_of(KIND, thread(report)))

    def get_url(self, report) -> str:
        return reverse("reports:monthly_detail", args=[report.pk])


class MonthlyParams(serializers.Serializer):
    month = month_field(required=False, help_text="只看该月份的报告，如 2026-07")
    state = serializers.ChoiceField(choices=MonthlyReport.State.choices, required=False,
                                    help_text="draft 草稿 / submitted 待中心审阅 / accepted 中心已审阅 / returned 已退回修改")


class MonthlyInput(serializers.Serializer):
    progress = serializers.CharField(max_length=monthly_services.TEXT_MAX, required=False, allow_blank=True,
                                     help_text="本月工作进展（报送前必填）；不传则保留已保存的内容")
    problems = serializers.CharField(max_length=monthly_services.TEXT_MAX, required=False, allow_blank=True,
                                     help_text="存在的问题和建议；不传则保留已保存的内容")
    plans = serializers.CharField(max_length=monthly_services.TEXT_MAX, required=False, allow_blank=True,
                                  help_text="下月工作计划；不传则保留已保存的内容")


class MonthlyDraftInput(serializers.Serializer):
    month = month_field(help_text="报告月份，如 2026-07：在项目实施期内，且已经结束")


class MonthlyReportViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """Monthly progress reports (R-403), newest first."""

    queryset = MonthlyReport.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    def _writable(self, pk) -> MonthlyReport:
        report = access_report(self.request.user, id_or_404(pk))
        ensure(can_write_report(self.request.user, report), NotFound)
        return report

    @extend_schema(parameters=[MonthlyParams], responses=MonthlyReportSummarySerializer(many=True))
    def list(self, request):
        """The reports the acting org reads: a province its own project's, the centre every project's; a city, a
        county or an expert none."""
        params = query_of(MonthlyParams, request)
        rows = (MonthlyReport.objects.filter(programme__in=report_programmes(request.user, self.acting_org))
                .select_related("programme__org"))
        if params.get("month"):
            rows = rows.filter(month=first_day(params["month"]))
        if params.get("state"):
            rows = rows.filter(state=params["state"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(MonthlyReportSummarySerializer(page, many=True).data)

    @extend_schema(responses={200: MonthlyReportSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return Response(MonthlyReportSerializer(access_report(request.user, id_or_404(pk))).data)

    @extend_schema(request=MonthlyInput, responses={200: MonthlyReportSerializer, 400: ProblemsSerializer,
                                                    404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def save(self, request, pk=None):
        """Write the project's account of the month while the report is a draft or returned (the project's own
        people only). A text too long, or a report already sent, is refused with 400 and nothing is written."""
        report = self._writable(pk)
        data = body_of(MonthlyInput, request)
        texts = {name: data.get(name, getattr(report, name)) for name in ("progress", "problems", "plans")}
        saved = monthly_services.monthly_save(report=report, by=request.user, **texts)
        return Response(MonthlyReportSerializer(saved).data)

    @extend_schema(request=None, responses={200: MonthlyReportSerializer, 400: ProblemsSerializer,
                                            404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the centre, which accepts or returns it in its approvals. Without the month's
        progress it is refused with 400 under `progress`, and nothing is sent."""
        report = self._writable(pk)
        return Response(MonthlyReportSerializer(monthly_services.monthly_submit(report=report, by=request.user)).data)

    @extend_schema(request=MonthlyDraftInput, responses={200: MonthlyReportSerializer, 201: MonthlyReportSerializer,
                                                         400: ProblemsSerializer, 404: ErrorSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """Draft the acting org's own project's report of a month from the data (201); the month's existing report
        has its figures drawn again while it is a draft or returned, and one already sent is returned as sent
        (200). A month outside the project's period, or not yet over, is refused with 400."""
        programme = own_project(request.user, self.acting_org)
        month = first_day(body_of(MonthlyDraftInput, request)["month"])
        existed = MonthlyReport.objects.filter(programme=programme, month=month).exists()
        report = monthly_services.monthly_draft(programme=programme, month=month, by=request.user)
        return drafted(MonthlyReportSerializer(report).data, existed)


# -- final reports ---------------------------------------------------------------------------------------------------

class FinalReportSummarySerializer(ReportSummarySerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = FinalReport
        fields = ["id", "programme", "org_code", "org_name", "kind", "kind_label", "state", "state_label",
                  "submitted_at", "updated_at"]


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="章节代码，保存时用作 sections 的键")
    label = serializers.CharField(help_text="章节名称")
    text = serializers.CharField(help_text="已填写的内容；未填写为空")


class EnteredSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码，保存时用作 entered 的键")
    label = serializers.CharField(help_text="指标名称")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="分值")
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                     help_text="填报的得分；未填为null")
    evidence = serializers.CharField(help_text="得分的依据和证明材料说明")


class PerformanceRowSerializer(serializers.Serializer):
    part = serializers.CharField(help_text="一级指标：预算执行率 / 数量指标 / 质量指标 / 时效指标 / 效益指标 / 满意度指标")
    item = serializers.CharField(help_text="指标")
    rule = serializers.CharField(help_text="对应规则编号；填报的指标为空")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="分值")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="得分")
    basis = serializers.CharField(help_text="得分依据")


class PerformanceSerializer(serializers.Serializer):
    rows = PerformanceRowSerializer(many=True, help_text="绩效指标体系的每一行：数据计算的部分按生成时的数据，填报的部分按已保存的得分")
    total = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="总分，1位小数")
    grade = serializers.CharField(help_text="等级：优（≥90）/ 良（80–89）/ 中（60–79）/ 差（<60）")


class EvidenceFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（需登录，权限同报告）")

    class Meta:
        model = FinalEvidence
        fields = ["id", "name", "content_type", "size", "sha256", "url"]

    def get_url(self, evidence) -> str:
        return reverse("reports:final_evidence", args=[evidence.pk])


class FinalReportSerializer(FinalReportSummarySerializer):
    data = serializers.JSONField(help_text="生成报告时取自平台的数据（实施期内的规则指标、遴选漏斗、活动、账目、绩效的数据部分），"
                                           "报送后不再变化")
    sections = serializers.SerializerMethodField(help_text="该类报告须填写的章节，按顺序")
    entered = serializers.SerializerMethodField(help_text="绩效报告填报的效益和满意度得分；其他报告为空")
    performance = serializers.SerializerMethodField(help_text="绩效报告的绩效评分；其他报告为null")
    evidence_files = serializers.SerializerMethodField(help_text="证明材料文件（在报告页面上传）")
    approval = serializers.SerializerMethodField(help_text="该报告最新一次报送的中心审阅；未报送为null")
    docx_url = serializers.SerializerMethodField(help_text="Word版下载地址")
    url = serializers.SerializerMethodField(help_text="报告页面地址")

    class Meta:
        model = FinalReport
        fields = [*FinalReportSummarySerializer.Meta.fields, "data", "data_at", "sections", "entered", "performance",
                  "evidence_files", "approval", "docx_url", "url"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report):
        return SectionSerializer([{"key": key, "label": str(label), "text": report.sections.get(key, "")}
                                  for key, label in final.SECTIONS[report.kind]], many=True).data

    @extend_schema_field(EnteredSerializer(many=True))
    def get_entered(self, report):
        if report.kind != FinalReport.Kind.PERFORMANCE:
            return []
        rows = []
        for key, label, weight in performance.ENTERED:
            given = report.entered.get(key, {})
            rows.append({"key": key, "label": str(label), "weight": weight, "score": given.get("score") or None,
                         "evidence": given.get("evidence", "")})
        return EnteredSerializer(rows, many=True).data

    @extend_schema_field(PerformanceSerializer(allow_null=True))
    def get_performance(self, report):
        if report.kind != FinalReport.Kind.PERFORMANCE:
            return None
        tree = final.performance_of(report)
        return PerformanceSerializer({"rows": tree.rows, "total": tree.total, "grade": tree.grade}).data

    @extend_schema_field(EvidenceFileSerializer(many=True))
    def get_evidence_files(self, report):
        return EvidenceFileSerializer(FinalEvidence.objects.filter(report=report), many=True).data

    @extend_schema_field(ReportDecisionSerializer(allow_null=True))
    def get_approval(self, report):
        return decision_of(latest_of(FINAL_KIND, final_thread(report)))

    def get_docx_url(self, report) -> str:
        return reverse("reports:final_docx", args=[report.pk])

    def get_url(self, report) -> str:
        return reverse("reports:final_detail", args=[report.pk])


class FinalParams(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FinalReport.Kind.choices, required=False,
                                   help_text="execution 项目执行报告 / summary 项目工作总结 / performance 项目绩效报告")
    state = serializers.ChoiceField(choices=FinalReport.State.choices, required=False,
                                    help_text="draft 草稿 / submitted 待中心审阅 / accepted 中心已审阅 / returned 已退回修改")


class NestedInput(serializers.Serializer):
    """An object inside a body. A form sends it as dotted keys (`entered.social.score`), as DRF reads them; a form
    field under the object's own name holds no object and is refused, as a string in its place in JSON is."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return dictionary.get(self.field_name)
        return super().get_value(dictionary)


class ScoreInput(NestedInput):
    score = serializers.CharField(max_length=10, required=False, allow_blank=True,
                                  help_text="得分，0至该项分值，最多1位小数，如 \"12.5\"；空为未填；不传则保留已保存的得分")
    evidence = serializers.CharField(max_length=final_services.EVIDENCE_MAX, required=False, allow_blank=True,
                                     help_text="得分的依据和证明材料说明，填了得分时必填；不传则保留已保存的内容")


class EnteredInput(NestedInput):
    """The entered parts of the performance tree, one per key of apps/reports/performance.py ENTERED."""

    def get_fields(self):
        return {key: ScoreInput(required=False, help_text=f"{label}（{performance.points(weight)}分）")
                for key, label, weight in performance.ENTERED}


class SectionsInput(NestedInput):
    """A report's sections by code, one field per section of apps/reports/final.py SECTIONS (a kind reads its own)."""

    def get_fields(self):
        return {key: serializers.CharField(max_length=final_services.TEXT_MAX, required=False, allow_blank=True,
                                           help_text=f"{FinalReport.Kind(kind).label}：{label}")
                for kind, sections in final.SECTIONS.items() for key, label in sections}


class FinalSaveInput(serializers.Serializer):
    sections = SectionsInput(required=False,
                             help_text="各章节的内容，以章节代码为键（该类报告的章节见报告的 sections，其他类报告的章节忽略）；"
                                       "未传的章节保留已保存的内容。某章节的问题在该章节代码下")
    entered = EnteredInput(required=False,
                           help_text="绩效报告填报的得分和依据（其他报告忽略）；未传的指标保留已保存的内容。"
                                     "得分的问题在 <代码>_score 下，依据的问题在 <代码>_evidence 下")


class FinalDraftInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FinalReport.Kind.choices,
                                   help_text="execution 项目执行报告 / summary 项目工作总结 / performance 项目绩效报告")


def merged_entered(report: FinalReport, given: dict) -> dict:
    """The entered parts as saved, with what the request gives laid over them, key by key."""
    return {key: {**report.entered.get(key, {}), **given.get(key, {})} for key, _label, _weight in performance.ENTERED}


class FinalReportViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The final reports (R-403): the execution report, the work summary and the performance report, newest first."""

    queryset = FinalReport.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    def _writable(self, pk) -> FinalReport:
        report = access_final(self.request.user, id_or_404(pk))
        ensure(can_write_report(self.request.user, report), NotFound)
        return report

    @extend_schema(parameters=[FinalParams], responses=FinalReportSummarySerializer(many=True))
    def list(self, request):
        """The final reports the acting org reads: a province its own project's, the centre every project's."""
        params = query_of(FinalParams, request)
        rows = (FinalReport.objects.filter(programme__in=report_programmes(request.user, self.acting_org))
                .select_related("programme__org"))
        if params.get("kind"):
            rows = rows.filter(kind=params["kind"])
        if params.get("state"):
            rows = rows.filter(state=params["state"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(FinalReportSummarySerializer(page, many=True).data)

    @extend_schema(responses={200: FinalReportSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        """The report: the data it was drafted with, its sections, and for the performance report the entered
        scores, the score on the indicator tree with its grade and the evidence files."""
        return Response(FinalReportSerializer(access_final(request.user, id_or_404(pk))).data)

    @extend_schema(request=FinalSaveInput, responses={200: FinalReportSerializer, 400: ProblemsSerializer,
                                                      404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def save(self, request, pk=None):
        """Write the report's sections, and for the performance report the entered scores with their evidence,
        while it is a draft or returned (the project's own people only). A score beyond its weight, a score without
        its evidence, a text too long or a report already sent is refused with 400, and nothing
        is written."""
        report = self._writable(pk)
        data = body_of(FinalSaveInput, request)
        sections = {**report.sections, **data.get("sections", {})}
        saved = final_services.final_save(report=report, by=request.user, sections=sections,
                                          entered=merged_entered(report, data.get("entered", {})))
        return Response(FinalReportSerializer(saved).data)

    @extend_schema(request=None, responses={200: FinalReportSerializer, 400: ProblemsSerializer,
                                            404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the centre, which accepts or returns it in its approvals. Every section must be
        written, and for the performance report every entered score; what is missing is refused with 400 under
        its section's code or `<code>_score`, and nothing is sent."""
        report = self._writable(pk)
        return Response(FinalReportSerializer(final_services.final_submit(report=report, by=request.user)).data)

    @extend_schema(request=FinalDraftInput, responses={200: FinalReportSerializer, 201: FinalReportSerializer,
                                                       400: ProblemsSerializer, 404: ErrorSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """Draft the acting org's own project's report of a kind from the data over the whole period (201); an
        existing one has its figures drawn again while it is a draft or returned (200), and one already sent is
        refused with 400."""
        programme = own_project(request.user, self.acting_org)
        kind = body_of(FinalDraftInput, request)["kind"]
        existed = FinalReport.objects.filter(programme=programme, kind=kind).exists()
        report = final_services.final_draft(programme=programme, kind=kind, by=request.user)
        return drafted(FinalReportSerializer(report).data, existed)


# -- acceptance evaluations ------------------------------------------------------------------------------------------

class AcceptanceEvaluationSerializer(serializers.ModelSerializer):
    org_code = serializers.CharField(source="programme.org.code", help_text="项目单位代码")
    org_name = serializers.CharField(source="programme.org.name", help_text="项目单位名称")
    result_label = serializers.CharField(source="get_result_display")
    reviewers = serializers.ListField(child=serializers.CharField(), help_text="验收专家组成员")
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                     help_text="记录时绩效报告的总分；没有绩效报告为null")
    url = serializers.SerializerMethodField(help_text="验收评价页面地址")

    class Meta:
        model = AcceptanceEvaluation
        fields = ["id", "programme", "org_code", "org_name", "result", "result_label", "comments", "conditions",
                  "reviewers", "score", "grade", "evaluated_at", "url"]
        extra_kwargs = {"grade": {"help_text": "记录时绩效报告的等级；没有绩效报告为空"}}

    def get_url(self, evaluation) -> str:
        return reverse("reports:acceptance", args=[evaluation.programme_id])


class AcceptanceInput(serializers.Serializer):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="项目id")
    result = serializers.ChoiceField(choices=AcceptanceEvaluation.Result.choices,
                                     help_text="passed 通过验收 / conditional 有条件通过验收 / failed 未通过验收")
    comments = serializers.CharField(max_length=final_services.TEXT_MAX, allow_blank=True, help_text="验收意见（必填）")
    conditions = serializers.CharField(max_length=final_services.TEXT_MAX, required=False, allow_blank=True,
                                       default="", help_text="整改要求和期限：有条件通过验收时必填，其他结论忽略")
    reviewers = serializers.ListField(child=serializers.CharField(max_length=50, allow_blank=True),
                                      max_length=final_services.REVIEWERS_MAX,
                                      help_text="验收专家组成员姓名，1至20人，每人不超过50字")


class AcceptanceEvaluationViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The centre's acceptance evaluations of the projects (R-403), newest first: recorded once, then locked."""

    queryset = AcceptanceEvaluation.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    @extend_schema(responses=AcceptanceEvaluationSerializer(many=True))
    def list(self, request):
        """The evaluations of the projects the acting org reads: a province its own project's, the centre every
        project's."""
        rows = (AcceptanceEvaluation.objects.filter(programme__in=report_programmes(request.user, self.acting_org))
                .select_related("programme__org"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(AcceptanceEvaluationSerializer(page, many=True).data)

    @extend_schema(responses={200: AcceptanceEvaluationSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return Response(AcceptanceEvaluationSerializer(
            reports_permissions.access_evaluation(request.user, id_or_404(pk))).data)

    @extend_schema(request=AcceptanceInput, responses={201: AcceptanceEvaluationSerializer, 400: ProblemsSerializer,
                                                       404: ErrorSerializer})
    def create(self, request):
        """Record a project's acceptance evaluation with the performance score at this moment (the centre's admins
        only; anyone else, or a project the centre does not evaluate, 404). It is recorded once and locked: a second
        one for the same project is refused with 400; missing comments, conditions or reviewers are refused at
        their fields."""
        org = self.acting_org
        ensure(org is not None and org.kind == Org.Kind.CENTER and is_admin_at(request.user, org), NotFound)
        data = body_of(AcceptanceInput, request)
        programme = Programme.objects.select_related("org", "campaign").filter(pk=data["programme"]).first()
        programme = visible_or_404(programme, lambda p: final_services.can_evaluate(request.user, p))
        evaluation = final_services.acceptance_record(
            programme=programme, by=request.user, result=data["result"], comments=data["comments"],
            conditions=data["conditions"], reviewers=data["reviewers"])
        return Response(AcceptanceEvaluationSerializer(evaluation).data, status=201)


# -- dashboards ------------------------------------------------------------------------------------------------------

class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则编号")
    title = serializers.CharField(help_text="规则名称")


class CellSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    value_text = serializers.CharField(help_text="完成情况")
    url = serializers.CharField(help_text="第一项佐证的地址；没有为空")


@extend_schema_field(CellSerializer)
class CellOrNone(serializers.Field):
    """A heat map's cell, or null where the rule does not apply to the project."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, cell):
        return CellSerializer(cell).data


class DashboardRowSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk", help_text="项目id（/api/v1/dashboard/{id}/）")
    org_code = serializers.CharField(source="programme.org.code", help_text="项目单位代码")
    name = serializers.CharField(help_text="省份，或品牌建设项目")
    cells = serializers.ListField(child=CellOrNone(),
                                  help_text="每条规则一格，顺序同 rules；该规则不适用于本项目为null")
    met = serializers.IntegerField(help_text="已达成的规则数")
    of = serializers.IntegerField(help_text="适用的规则数")
    budget = yuan(source="programme.budget", help_text="项目经费（元）")
    spent = yuan(source="execution.spent", help_text="已支出（元）")
    rate = per_cent(source="execution.rate", help_text="执行率（%），1位小数；项目经费为0时为null")
    computed_at = serializers.DateTimeField(help_text="指标的计算时间")


class StageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField(help_text="该环节数字所取的规则指标")
    value = serializers.IntegerField(help_text="各省之和")


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="该周的周一（北京时间）")
    met = serializers.IntegerField(help_text="各项目已达成的规则数之和")
    measured = serializers.IntegerField(help_text="各项目计算的规则数之和")
    spent = yuan(help_text="当周支出（元）")


@extend_schema_serializer(many=False)
class NationalDashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="campaign.year", help_text="活动年度（最新一届）")
    rules = RuleSerializer(many=True, help_text="热力图的列：规则，按编号")
    rows = DashboardRowSerializer(many=True, help_text="热力图的行：品牌建设项目在前，其后各省按代码")
    funnel = StageSerializer(many=True, help_text="全国遴选漏斗：各省之和")
    weeks = WeekSerializer(many=True, help_text="近12周的趋势，从早到晚")
    budget = yuan(help_text="各项目经费合计（元）")
    spent = yuan(help_text="各项目已支出合计（元）")
    rate = per_cent(help_text="全国执行率（%），1位小数")


class StatusCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField(help_text="已达成")
    at_risk = serializers.IntegerField(help_text="有风险")
    failed = serializers.IntegerField(help_text="未达成")
    not_due = serializers.IntegerField(help_text="未到期")


class ProjectDashboardSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    counts = StatusCountsSerializer(help_text="各状态的规则数")
    indicators = IndicatorSerializer(many=True, help_text="每条规则的目标、完成情况、状态、截止日期和佐证，现在计算")
    totals = TotalsSerializer()
    lines = LineFiguresSerializer(many=True, help_text="各科目的预算、支出、余额和执行率")


def national_data(view: dashboard.NationalView) -> dict:
    return {
        "campaign": view.campaign, "rules": [{"rule": rule, "title": title} for rule, title in view.rules],
        "rows": view.rows, "budget": view.budget, "spent": view.spent, "rate": view.rate,
        "funnel": [{"key": key, "label": label, "rule": rule, "value": value}
                   for (key, _stage, rule, _figure), (label, value) in zip(STAGES, view.funnel)],
        "weeks": [{"week": week, "met": met, "measured": measured, "spent": spent}
                  for week, met, measured, spent in view.weeks],
    }


class DashboardViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The dashboards' data: the centre's national view, and one project's by its programme id."""

    queryset = Programme.plain.none()  # the model, for the schema's path parameter
    lookup_field = "pk"
    lookup_url_kwarg = "programme_id"
    pagination_class = None

    @extend_schema(responses={200: NationalDashboardSerializer, 404: ErrorSerializer})
    def list(self, request):
        """The centre's national view of the newest campaign (the centre's own people only; a province reads its
        own project's by id): every project × every rule with its status, the national selection funnel, the
        weekly trend and spending by project. It reads the projects' indicators of this week, measured again when
        older than ten minutes."""
        ensure(reports_permissions.sees_national(request.user, self.acting_org), NotFound)
        campaign = Campaign.plain.order_by("-year").first()
        ensure(campaign is not None, NotFound)
        return Response(NationalDashboardSerializer(national_data(dashboard.national_view(campaign))).data)

    @extend_schema(responses={200: ProjectDashboardSerializer, 404: ErrorSerializer})
    def retrieve(self, request, programme_id=None):
        """One project's rules measured now, and its spending against the budget (the project's own people and the
        offices above it)."""
        programme = reports_permissions.access_programme(request.user, id_or_404(programme_id))
        view = dashboard.project_view(programme)
        return Response(ProjectDashboardSerializer({
            "programme": programme, "counts": view.counts, "indicators": [i.as_dict() for i in view.indicators],
            "totals": view.execution, "lines": view.execution.lines}).data)


def register(router) -> None:
    router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")
    router.register("final-reports", FinalReportViewSet, basename="final-report")
    router.register("acceptance-evaluations", AcceptanceEvaluationViewSet, basename="acceptance-evaluation")
    router.register("dashboard", DashboardViewSet, basename="dashboard")
