"""Selection in the API (issue 7 item 7): check a list against the round's rules, ask for the best one, lock it
(公示 starts), read and answer objections, unlock, send it up and read the locked result. Same services and
permission predicates as the pages: the org running the round and the offices above may check a list and read
what was locked; only the org running the round locks, answers, unlocks and sends (others: 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import MAX_ID, ScopedAPIMixin, body_of, id_or_404
from apps.api.serializers import ProblemsSerializer
from apps.core.errors import NotFound, ensure
from apps.rounds.models import Round
from apps.selection import services
from apps.selection.models import LockedList, Objection
from apps.selection.permissions import access_objection, access_selection_round, can_run_selection
from apps.selection.selectors import latest_locked


def case_id() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CaseIdsSerializer(serializers.Serializer):
    case_ids = serializers.ListField(child=case_id(), max_length=services.MAX_LIST, help_text="名单中的案例编号")


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则编号，如 R-109")
    kind = serializers.CharField(help_text="count / share / per_group / quota / eligibility / unknown")
    message = serializers.CharField()
    needed = serializers.FloatField(allow_null=True)
    have = serializers.FloatField(allow_null=True)
    cases = serializers.ListField(child=serializers.IntegerField())


class CheckResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    count = serializers.IntegerField()
    violations = ViolationSerializer(many=True)


class PinsSerializer(serializers.Serializer):
    include = serializers.ListField(child=case_id(), required=False, default=list, help_text="必须入选的案例编号")
    exclude = serializers.ListField(child=case_id(), required=False, default=list, help_text="必须排除的案例编号")


class ProposalSerializer(serializers.Serializer):
    case_ids = serializers.ListField(child=serializers.IntegerField(), help_text="建议名单（按得分排序）")
    count = serializers.IntegerField()
    total = serializers.FloatField(help_text="名单综合得分合计")
    optimal = serializers.BooleanField(help_text="是否已证明为最优")
    status = serializers.CharField()
    infeasible = serializers.BooleanField(help_text="没有满足全部规则的名单")
    explanations = serializers.ListField(child=serializers.CharField(), help_text="原因说明（含规则编号和数字）")
    rules = serializers.ListField(child=serializers.CharField())
    target = serializers.IntegerField(allow_null=True)
    reachable = serializers.IntegerField(allow_null=True)


class ReasonSerializer(serializers.Serializer):
    # Not trimmed here (the service trims): the length the schema states is the length of what was sent.
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000,
                                   trim_whitespace=False, help_text="锁定：名单不符合规则且工作细则允许特批时必填；解锁：必填")


class RoundStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(help_text="draft / open / closed / locked / sent")


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "case", "name", "contact", "reason", "created_at", "outcome", "answer", "answered_at"]


class LockedListSerializer(serializers.ModelSerializer):
    public_path = serializers.SerializerMethodField(help_text="公示页地址")
    state = serializers.SerializerMethodField(help_text="upcoming / open / over / withdrawn")
    blockers = serializers.SerializerMethodField(help_text="尚不能上报的原因")

    class Meta:
        model = LockedList
        fields = ["id", "round", "number", "case_ids", "violations", "override_reason", "starts_on", "ends_on",
                  "sha256", "locked_at", "withdrawn_at", "withdraw_reason", "public_path", "state", "blockers"]

    def get_public_path(self, obj) -> str:
        from django.urls import reverse

        return reverse("gs:list", args=[obj.slug])

    def get_state(self, obj) -> str:
        return services.publicity_state(obj)

    def get_blockers(self, obj) -> list[str]:
        return services.send_blockers(obj.round, obj) if obj.is_live else []


class ResultSerializer(serializers.Serializer):
    sha256 = serializers.CharField(help_text="document 规范JSON（键排序、无空格、UTF-8）的SHA-256")
    document = serializers.JSONField(help_text="计分公式、规则、各案例得分构成（不含个人信息）、排名、名单")


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD],
                                      help_text="dismissed 异议不成立 / upheld 异议成立")
    answer = serializers.CharField(max_length=2000, help_text="答复意见")


class SelectionRoundViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """A round's list against its rules."""

    queryset = Round.plain.none()  # the model, for the schema's path parameter
    @extend_schema(request=CaseIdsSerializer, responses=CheckResultSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Every rule the list breaks, with its R-id, the numbers and the cases involved."""
        round = access_selection_round(request.user, id_or_404(pk))
        ids = list(dict.fromkeys(body_of(CaseIdsSerializer, request)["case_ids"]))
        violations = services.list_check(round, ids)
        return Response(CheckResultSerializer({
            "valid": not violations, "count": len(ids),
            "violations": [{"rule": v.rule, "kind": v.kind, "message": v.message, "needed": v.needed,
                            "have": v.have, "cases": list(v.cases)} for v in violations]}).data)

    @extend_schema(request=PinsSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """The best-scoring list the round's rules allow (HiGHS, exact), with its total and whether it is proved
        optimal; or, when none exists, why, in sentences with the R-ids and numbers."""
        round = access_selection_round(request.user, id_or_404(pk))
        pins = body_of(PinsSerializer, request)
        found = services.list_propose(round, include=pins["include"], exclude=pins["exclude"])
        return Response(ProposalSerializer({
            "case_ids": list(found.chosen), "count": found.count, "total": found.total, "optimal": found.optimal,
            "status": found.status, "infeasible": found.infeasible, "explanations": found.explanations,
            "rules": list(found.rules), "target": found.target, "reachable": found.reachable}).data)

    def _running(self, request, pk):
        round = access_selection_round(request.user, id_or_404(pk))
        ensure(can_run_selection(request.user, round), NotFound)
        return round

    @extend_schema(request=ReasonSerializer, responses={201: LockedListSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        """Lock the round's list and start its 公示. A list that breaks a rule is refused unless the rulebook
        allows an override and a reason is given. Two lockers at once: one lock, the other gets 400."""
        round = self._running(request, pk)
        locked = services.list_lock(round=round, by=request.user, reason=body_of(ReasonSerializer, request)["reason"])
        return Response(LockedListSerializer(locked).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={200: RoundStateSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """Unlock a locked list that was not sent, with a reason; its 公示 is withdrawn."""
        round = self._running(request, pk)
        services.list_unlock(round=round, by=request.user, reason=body_of(ReasonSerializer, request)["reason"])
        return Response(RoundStateSerializer(round).data)

    @extend_schema(request=None, responses={200: LockedListSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send the locked list up once its 公示 is over and every objection is answered, none upheld."""
        round = self._running(request, pk)
        locked = services.list_send(round=round, by=request.user)
        return Response(LockedListSerializer(locked).data)

    @extend_schema(responses={200: LockedListSerializer})
    @action(detail=True, methods=["get"])
    def locked(self, request, pk=None):
        """The round's latest locked list (live or withdrawn), with its 公示 state and what blocks sending."""
        return Response(LockedListSerializer(self._latest(request, pk)).data)

    @extend_schema(responses={200: ResultSerializer})
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """The latest locked list's result document (formula, inputs without personal data, ranking, list) and
        its SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8)."""
        found = self._latest(request, pk)
        return Response({"sha256": found.sha256, "document": found.result})

    def _latest(self, request, pk) -> LockedList:
        found = latest_locked(access_selection_round(request.user, id_or_404(pk)))
        if found is None:
            raise NotFound()
        return found

    @extend_schema(responses={200: ObjectionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def objections(self, request, pk=None):
        """Objections to the round's latest locked list, oldest first, with their answers. The objector's contact
        is given to the round's own org only (it answers them); offices above read the rest."""
        round = access_selection_round(request.user, id_or_404(pk))
        found = latest_locked(round)
        rows = Objection.plain.filter(locked_list=found).order_by("created_at", "pk") if found else []
        data = ObjectionSerializer(rows, many=True).data
        if not can_run_selection(request.user, round):
            for row in data:
                row["contact"] = ""
        return Response(data)


class ObjectionViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """One objection to a list in 公示. `queryset` only types the path parameter for the schema."""

    queryset = Objection.plain.none()
    serializer_class = ObjectionSerializer

    @extend_schema(request=AnswerSerializer, responses={200: ObjectionSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the objection (dismissed / upheld) with a text; may be corrected until the list is sent."""
        objection = access_objection(request.user, id_or_404(pk))
        ensure(can_run_selection(request.user, objection.locked_list.round), NotFound)
        services.objection_answer(objection=objection, by=request.user, **body_of(AnswerSerializer, request))
        return Response(ObjectionSerializer(objection).data)
