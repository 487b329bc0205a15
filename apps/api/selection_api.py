"""Selection in the API (issue 7 item 7): check a list against the round's rules. Same services and permission
predicates as the pages; the org running the round and the offices above may check a list."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import ScopedAPIMixin
from apps.api.review_api import id_or_404
from apps.selection import services
from apps.selection.permissions import access_selection_round


class CaseIdsSerializer(serializers.Serializer):
    case_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=services.MAX_LIST,
                                     help_text="名单中的案例编号")


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
    include = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                    help_text="必须入选的案例编号")
    exclude = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                    help_text="必须排除的案例编号")


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


class SelectionRoundViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """A round's list against its rules."""

    @extend_schema(request=CaseIdsSerializer, responses=CheckResultSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Every rule the list breaks, with its R-id, the numbers and the cases involved."""
        round = access_selection_round(request.user, id_or_404(pk))
        form = CaseIdsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(form.validated_data["case_ids"]))
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
        form = PinsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        found = services.list_propose(round, include=form.validated_data["include"],
                                      exclude=form.validated_data["exclude"])
        return Response(ProposalSerializer({
            "case_ids": list(found.chosen), "count": found.count, "total": found.total, "optimal": found.optimal,
            "status": found.status, "infeasible": found.infeasible, "explanations": found.explanations,
            "rules": list(found.rules), "target": found.target, "reachable": found.reachable}).data)
