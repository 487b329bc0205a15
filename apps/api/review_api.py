"""Expert review in the API (issue 5 item 9): the same services, predicates and scopes as the review pages.

- `review/rounds/{round_id}/` and its `assignments/`, `assign/`, `ranking/`: a scored round's review, for its
  org and the offices above (can_view_review); assigning runs the solver for those who run the round
  (can_run_review), as the page's button does.
- `review/my/assignments/`: the calling expert's own expert-review assignments and score sheets, read and
  saved inside `scope(expert_id=…)` as the expert's pages are. A caller without an expert profile gets 404
  here, like the pages: "no such thing for you" rather than an empty list that hides a wrong account.
  Live-presentation assignments (a judge's) are left out: they are scored on the judge page, for the case
  on stage only, a rule that lives in that view and that an API must not bypass.
- `review/pools/{org_code}/experts/`: an org's pool (can_view_pool); phone numbers only for those who keep it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import OldestFirst, ScopedAPIMixin, body_of, id_or_404, query_of, text_or_404
from apps.api.serializers import ProblemsSerializer
from apps.cases.models import Case
from apps.core.errors import NotFound
from apps.core.scoping import scope
from apps.orgs.models import Org
from apps.review import services
from apps.review.config import review_config
from apps.review.models import Assignment, Expert, PoolMember, ScoreSheet
from apps.review.permissions import (
    access_own_assignment,
    access_pool_org,
    access_review_round,
    can_keep_pool,
    can_run_review,
    can_score,
    expert_of,
)
from apps.review.selectors import pool_of
from apps.rounds.models import Round

# -- serializers ------------------------------------------------------------------------------------

class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ReviewCountsSerializer(serializers.Serializer):
    cases = serializers.IntegerField(help_text="本轮评审的案例数")
    assigned = serializers.IntegerField(help_text="有效的专家评审分配数（不含已回避）")
    submitted = serializers.IntegerField(help_text="已提交评分的分配数")
    declined = serializers.IntegerField(help_text="已回避的分配数")


class ReviewRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    org_code = serializers.CharField(source="org.code")
    org_name = serializers.CharField(source="org.name")
    year = serializers.IntegerField(source="programme.campaign.year")
    deadline = serializers.DateField(allow_null=True)
    config = serializers.SerializerMethodField(help_text="评审设置：评选方式及权重、评分标准、每案专家数、工作量、标准化、去极值、分歧阈值")
    counts = serializers.SerializerMethodField()
    can_run = serializers.SerializerMethodField(help_text="调用者能否在本轮分配专家、修改设置")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_config(self, obj) -> dict:
        return review_config(obj).as_json()

    @extend_schema_field(ReviewCountsSerializer)
    def get_counts(self, obj) -> dict:
        return round_counts(obj)

    def get_can_run(self, obj) -> bool:
        return can_run_review(self.context["request"].user, obj)


def round_counts(round: Round) -> dict:
    State = Assignment.State
    found = Assignment.objects.filter(round=round, method=Assignment.Method.REVIEW).aggregate(
        assigned=Count("pk", filter=~Q(state=State.DECLINED)),
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        declined=Count("pk", filter=Q(state=State.DECLINED)))
    return {"cases": services.review_cases(round).count(), **found}


class RoundAssignmentSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer()
    expert = RefSerializer()

    class Meta:
        model = Assignment
        fields = ["id", "case", "expert", "method", "state", "source", "industry_match", "declined_reason",
                  "created_at", "reminded_at"]


class AssignmentParams(serializers.Serializer):
    method = serializers.ChoiceField(choices=Assignment.Method.choices, required=False, help_text="方式：review或live")
    state = serializers.ChoiceField(choices=Assignment.State.choices, required=False, help_text="状态")


class AssignOutcomeSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="optimal：已分配；infeasible：无法满足，原因见reasons")
    created = serializers.IntegerField(help_text="新建的分配数（已有分配及其评分保持不变）")
    cases = serializers.IntegerField()
    experts = serializers.IntegerField(help_text="专家库中在库的专家数")
    mismatches = serializers.IntegerField(help_text="行业不匹配的分配数")
    reasons = serializers.ListField(child=serializers.CharField())
    solver = serializers.CharField()
    seconds = serializers.FloatField()


class RankExpertSerializer(serializers.Serializer):
    expert_id = serializers.IntegerField()
    name = serializers.CharField()
    raw = serializers.FloatField()
    normalised = serializers.FloatField(allow_null=True)
    used = serializers.BooleanField(help_text="false：去掉的最高分或最低分")


class RankRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    case_id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField()
    mean_raw = serializers.FloatField()
    n = serializers.IntegerField()
    spread = serializers.FloatField()
    flagged = serializers.BooleanField(help_text="专家评分分歧超过本轮阈值")
    experts = RankExpertSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    options = serializers.DictField()
    round_mean = serializers.FloatField()
    round_sd = serializers.FloatField()
    rows = RankRowSerializer(many=True)


class SheetSerializer(serializers.ModelSerializer):
    assignment = serializers.IntegerField(source="assignment_id")
    assignment_state = serializers.CharField(source="assignment.state")

    class Meta:
        model = ScoreSheet
        fields = ["assignment", "assignment_state", "state", "scores", "comments", "comment", "total",
                  "submitted_at", "updated_at"]


class MyRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    org_name = serializers.CharField(source="org.name")
    deadline = serializers.DateField(allow_null=True)


class MyAssignmentSerializer(serializers.ModelSerializer):
    round = MyRoundSerializer()
    case = CaseRefSerializer()
    sheet = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "round", "case", "method", "state", "reminded_at", "sheet"]

    @extend_schema_field(SheetSerializer(allow_null=True))
    def get_sheet(self, obj) -> dict | None:
        sheet = sheet_of(obj)
        return SheetSerializer(sheet).data if sheet is not None else None


def sheet_of(assignment: Assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


class RubricItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    maximum = serializers.FloatField()
    guidance = serializers.CharField()


class CaseForReviewSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "title", "type", "enterprise", "abstract", "sections", "economic_benefits",
                  "social_benefits"]

    def get_sections(self, obj) -> list[dict[str, str]]:
        return [{"key": key, "name": str(label), "text": getattr(obj, key) or ""} for key, label in Case.SECTIONS]


class MyAssignmentDetailSerializer(MyAssignmentSerializer):
    case = CaseForReviewSerializer()
    rubric = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField(help_text="能否保存或提交评分")

    class Meta(MyAssignmentSerializer.Meta):
        fields = [*MyAssignmentSerializer.Meta.fields, "rubric", "editable"]

    @extend_schema_field(RubricItemSerializer(many=True))
    def get_rubric(self, obj) -> list:
        return [{"key": i.key, "name": i.name, "weight": i.weight, "maximum": i.maximum, "guidance": i.guidance}
                for i in review_config(obj.round).rubric]

    def get_editable(self, obj) -> bool:
        sheet = sheet_of(obj)
        submitted = sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED
        return can_score(self.context["request"].user, obj) and not submitted


class SheetInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.JSONField(allow_null=True), required=False, default=dict,
                                   help_text="评分项代码 → 分数（0至该项满分，最多1位小数）；草稿可留空")
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                     help_text="评分项代码 → 意见")
    comment = serializers.CharField(allow_blank=True, required=False, default="", help_text="总体意见")
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text="true：提交（每项必填，提交后不能再修改）；false：保存草稿")


class PoolExpertSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="expert.id", help_text="专家ID（与评审分配中的expert.id一致）")
    name = serializers.CharField(source="expert.name")
    title = serializers.CharField(source="expert.title")
    employer = serializers.CharField(source="expert.employer")
    field = serializers.CharField(source="expert.field")
    industries = serializers.ListField(source="expert.industries", child=serializers.CharField(),
                                       help_text="熟悉行业：国民经济行业分类（GB/T 4754）门类或大类")
    phone = serializers.SerializerMethodField(help_text="手机号码，仅管理本专家库的单位可见")

    class Meta:
        model = PoolMember
        fields = ["id", "name", "title", "employer", "field", "industries", "is_active", "max_load", "phone"]

    def get_phone(self, obj) -> str | None:
        return obj.expert.phone if self.context.get("can_keep") else None


# -- views ------------------------------------------------------------------------------------------

class ReviewRoundViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """A scored round's review. Objects come through access_review_round (404 for a round the caller may
    not watch); `queryset` only types the path parameter for the schema and finds nothing."""

    queryset = Round.plain.none()
    serializer_class = ReviewRoundSerializer
    pagination_class = OldestFirst
    lookup_url_kwarg = "round_id"

    def review_round(self) -> Round:
        return access_review_round(self.request.user, id_or_404(self.kwargs["round_id"]))

    def retrieve(self, request, round_id=None):
        """The round's review settings and how far its review has come."""
        round = self.review_round()
        return Response(ReviewRoundSerializer(round, context=self.get_serializer_context()).data)

    @extend_schema(responses=RoundAssignmentSerializer(many=True), parameters=[AssignmentParams])
    @action(detail=True, methods=["get"])
    def assignments(self, request, round_id=None):
        """Every expert assigned in the round: case, expert, state, how assigned, industry match."""
        round = self.review_round()
        qs = Assignment.objects.filter(round=round).select_related("case", "expert")
        qs = qs.filter(**query_of(AssignmentParams, request))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RoundAssignmentSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: AssignOutcomeSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, round_id=None):
        """Run the assignment solver, as the page's button does. An infeasible round answers 200 with
        status "infeasible" and the reasons: the request was right, the pool or settings are not."""
        outcome = services.review_assign(round=self.review_round(), by=request.user)
        result = outcome.result
        return Response(AssignOutcomeSerializer({
            "status": result.status, "created": outcome.created, "cases": outcome.cases, "experts": outcome.experts,
            "mismatches": getattr(result, "mismatches", 0), "reasons": list(result.reasons),
            "solver": getattr(result, "solver", ""), "seconds": round_seconds(result)}).data)

    @extend_schema(responses=RankingSerializer)
    @action(detail=True, methods=["get"])
    def ranking(self, request, round_id=None):
        """The ranking recomputed from the submitted score sheets, with case titles and expert names."""
        round = self.review_round()
        data = services.ranking_of(round).as_dict()
        titles = dict(Case.plain.filter(pk__in=[r["case_id"] for r in data["rows"]]).values_list("pk", "title"))
        expert_ids = {e["expert_id"] for r in data["rows"] for e in r["experts"]}
        names = dict(Expert.plain.filter(pk__in=expert_ids).values_list("pk", "name"))
        for row in data["rows"]:
            row["title"] = titles.get(row["case_id"], "")
            for expert in row["experts"]:
                expert["name"] = names.get(expert["expert_id"], "")
        return Response(RankingSerializer(data).data)


def round_seconds(result) -> float:
    return round(float(getattr(result, "seconds", 0.0)), 2)


class ExpertScopedMixin(ScopedAPIMixin):
    """Runs the handler in the calling expert's scope instead of an org's: the review models then show
    only this expert's assignments and sheets, whatever org memberships the person also has."""

    def initial(self, request, *args, **kwargs):
        super(ScopedAPIMixin, self).initial(request, *args, **kwargs)  # DRF's auth, permissions; no org scope
        self.acting_org = None
        if not hasattr(self, request.method.lower()):
            self.http_method_not_allowed(request)  # 405 whoever asks, before "not an expert" (404)
        expert = expert_of(request.user)
        if expert is None:
            raise NotFound()
        self._scope = scope(expert_id=expert.pk)
        self._scope.__enter__()


class MyAssignmentViewSet(ExpertScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The calling expert's expert-review assignments (declined ones left out) with their score sheets."""

    pagination_class = OldestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, outside any scope
            return Assignment.plain.none()
        return (Assignment.objects.filter(method=Assignment.Method.REVIEW).exclude(state=Assignment.State.DECLINED)
                .select_related("round__org", "case", "sheet"))

    def get_serializer_class(self):
        return MyAssignmentDetailSerializer if self.action == "retrieve" else MyAssignmentSerializer

    def own_assignment(self, pk) -> Assignment:
        assignment = access_own_assignment(self.request.user, id_or_404(pk))
        if assignment.method != Assignment.Method.REVIEW:
            raise NotFound()
        return assignment

    def retrieve(self, request, pk=None):
        """One assignment: the case to read, the round's rubric, the sheet so far."""
        assignment = self.own_assignment(pk)
        return Response(MyAssignmentDetailSerializer(assignment, context=self.get_serializer_context()).data)

    @extend_schema(request=SheetInputSerializer, responses={200: SheetSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def sheet(self, request, pk=None):
        """Save the score sheet as a draft, or submit it (final). Problems answer 400, one message each."""
        assignment = self.own_assignment(pk)
        data = body_of(SheetInputSerializer, request)
        # The pages post only the rubric's keys; an API client may misspell one, which must not vanish silently.
        known = {item.key for item in review_config(assignment.round).rubric}
        unknown = sorted(set(data["scores"]) - known)
        if unknown:
            raise ValidationError([_("评分表中的“%(key)s”不是本轮的评分项，请删除") % {"key": key} for key in unknown])
        sheet = services.sheet_save(assignment=assignment, by=request.user, scores=data["scores"],
                                    comments=data["comments"], comment=data["comment"], submit=data["submit"])
        return Response(SheetSerializer(sheet).data)


class PoolViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """An org's expert pool. `queryset` only types the path parameter for the schema."""

    queryset = Org.plain.none()
    pagination_class = OldestFirst
    serializer_class = PoolExpertSerializer
    lookup_field = "code"
    lookup_url_kwarg = "org_code"

    @extend_schema(responses=PoolExpertSerializer(many=True))
    @action(detail=True, methods=["get"])
    def experts(self, request, org_code=None):
        """The pool's experts (those who left it too, is_active false), in pages by when they joined."""
        code = text_or_404(org_code).strip().upper()
        org = access_pool_org(request.user, Org.objects.filter(code=code).first() or _missing())
        page = self.paginate_queryset(pool_of(org))
        context = {**self.get_serializer_context(), "can_keep": can_keep_pool(request.user, org)}
        return self.get_paginated_response(PoolExpertSerializer(page, many=True, context=context).data)


def _missing():
    raise NotFound()
