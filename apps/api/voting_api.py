"""Public online voting in the API (issue 6 item 7): tallies, anomaly flags, invalidations and the certificate
of a round's poll, through the same services and predicates as the admin pages (R-108, R-109).

- `voting/polls/{id}/` and its `tally/`, `anomalies/`, `invalidations/` (GET): for the org running the round
  and the offices above it (can_view_poll); `invalidations/` (POST) and `certify/` for those who run the round
  (can_run_poll). An office above watches but does not act: its POST answers the same 404 as a stranger's.
- `voting/invalidations/{id}/revert/`: put an invalidation's votes back, for those who run the round.
- `voting/rounds/{round_id}/poll/`: the poll of a round, to find a poll's id from a round's.

Votes and voters are never listed: a voter is only a keyed hash of a phone, and the tally is what counts.
"""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import MAX_ID, NewestFirst, ScopedAPIMixin, body_of, id_or_404
from apps.api.serializers import ProblemsSerializer
from apps.core.errors import NotFound, ensure
from apps.rounds.models import Round
from apps.voting import anomalies, services
from apps.voting.models import Certificate, Invalidation, Poll, Vote
from apps.voting.permissions import (
    access_invalidation,
    access_poll,
    access_voting_round,
    can_run_poll,
)

MAX_VOTES_PER_REQUEST = 10000


# -- serializers ------------------------------------------------------------------------------------

class PollSummarySerializer(serializers.Serializer):
    valid_votes = serializers.IntegerField(help_text="有效票数")
    invalid_votes = serializers.IntegerField(help_text="已作废的票数")
    voters = serializers.IntegerField(help_text="有有效票的投票人数（按验证过的手机号计）")


class CertificateSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(allow_null=True, help_text="认证人")

    class Meta:
        model = Certificate
        fields = ["digest", "valid_votes", "invalid_votes", "created_at", "created_by"]
        extra_kwargs = {"digest": {"help_text": "投票集合（表头及每票一行）的SHA-256，与投票导出一致，可自行核算"}}


class PollSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id")
    org_code = serializers.CharField(source="round.org.code")
    org_name = serializers.CharField(source="round.org.name")
    state = serializers.SerializerMethodField(
        help_text="draft：未公开；upcoming：未开始；open：投票中；closed：已截止；certified：结果已认证")
    summary = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField(help_text="结果认证；尚未认证时为null")
    can_run = serializers.SerializerMethodField(help_text="调用者能否作废投票、认证结果")

    class Meta:
        model = Poll
        fields = ["id", "round", "org_code", "org_name", "slug", "title", "intro", "opens_at", "closes_at",
                  "published", "votes_per_day", "counts", "refresh_minutes", "formula", "state", "summary",
                  "certificate", "can_run"]

    def get_state(self, obj) -> str:
        return services.poll_state(obj)

    @extend_schema_field(PollSummarySerializer)
    def get_summary(self, obj) -> dict:
        return Vote.plain.filter(poll=obj).aggregate(
            valid_votes=Count("pk", filter=Q(invalidation__isnull=True)),
            invalid_votes=Count("pk", filter=Q(invalidation__isnull=False)),
            voters=Count("voter_id", distinct=True, filter=Q(invalidation__isnull=True)))

    @extend_schema_field(CertificateSerializer(allow_null=True))
    def get_certificate(self, obj) -> dict | None:
        found = Certificate.plain.select_related("created_by").filter(poll=obj).first()
        return CertificateSerializer(found).data if found is not None else None

    def get_can_run(self, obj) -> bool:
        return can_run_poll(self.context["request"].user, obj.round)


class TallyRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text="本轮名单条目ID")
    case = serializers.IntegerField(help_text="案例ID")
    title = serializers.CharField()
    enterprise = serializers.CharField()
    votes = serializers.IntegerField(help_text="有效票数")
    score = serializers.DecimalField(max_digits=8, decimal_places=4, help_text="投票得分（0至100），按formula计算")


class FormulaSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="top：100 × 票数 ÷ 本轮最高票数；total：100 × 票数 ÷ 本轮有效总票数")
    label = serializers.CharField()


class TallySerializer(serializers.Serializer):
    certified = serializers.BooleanField(help_text="true：认证时固定的结果；false：按当前有效票重新计票")
    formula = FormulaSerializer()
    valid_votes = serializers.IntegerField()
    rows = TallyRowSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class FlagSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="按此标记作废：POST invalidations/ {\"flag\": key}")
    kind = serializers.CharField(help_text="burst：案例集中得票；ip：同一地址多人投票；net：同一网段多人投票；"
                                           "codes：同一地址验证码失败多")
    title = serializers.CharField()
    evidence = EvidenceSerializer(many=True)
    votes = serializers.IntegerField(help_text="该标记目前涉及的有效票数")
    entry = serializers.IntegerField(source="entry_id", allow_null=True, help_text="集中得票的名单条目ID（仅burst）")


class CodeSummarySerializer(serializers.Serializer):
    asked = serializers.IntegerField(help_text="获取验证码次数")
    failed_sends = serializers.IntegerField(help_text="短信发送失败次数")
    verified = serializers.IntegerField(help_text="验证成功次数")
    wrong = serializers.IntegerField(help_text="验证码输错次数")


class AnomalyReportSerializer(serializers.Serializer):
    flags = FlagSerializer(many=True)
    codes = CodeSummarySerializer()


class InvalidationSerializer(serializers.ModelSerializer):
    poll = serializers.IntegerField(source="poll_id")
    created_by = serializers.CharField(allow_null=True)
    reverted_by = serializers.CharField(allow_null=True)
    active = serializers.SerializerMethodField(help_text="false：已撤销，票已恢复有效")

    class Meta:
        model = Invalidation
        fields = ["id", "poll", "reason", "flag", "count", "created_by", "created_at", "active", "reverted_by",
                  "reverted_at", "revert_reason"]
        extra_kwargs = {"count": {"help_text": "作废的票数"}}

    def get_active(self, obj) -> bool:
        return obj.reverted_at is None


class InvalidationInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="作废原因（必填，不超过500字）")
    votes = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                  default=list, max_length=MAX_VOTES_PER_REQUEST, help_text="要作废的投票ID；与flag二选一")
    flag = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="异常标记的key（见anomalies/），作废它涉及的全部有效票；与votes二选一")


class RevertInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="恢复原因（必填）")


class CertificateDetailSerializer(CertificateSerializer):
    poll = serializers.IntegerField(source="poll_id")
    tally = TallyRowSerializer(many=True)

    class Meta(CertificateSerializer.Meta):
        fields = ["poll", *CertificateSerializer.Meta.fields, "tally"]


# -- views ------------------------------------------------------------------------------------------

class PollViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """A round's poll. Objects come through access_poll (404 for a poll the caller may not watch);
    `queryset` only types the path parameter for the schema and finds nothing."""

    queryset = Poll.plain.none()
    serializer_class = PollSerializer
    pagination_class = NewestFirst

    def poll(self) -> Poll:
        return access_poll(self.request.user, id_or_404(self.kwargs["pk"]))

    def running_poll(self) -> Poll:
        """The poll, for a change: an office above gets the same 404 as a stranger, before its input is read."""
        poll = self.poll()
        ensure(can_run_poll(self.request.user, poll.round), NotFound)
        return poll

    def retrieve(self, request, pk=None):
        """The poll's settings (its rules as frozen from the rulebook), state, vote counts and certificate."""
        return Response(PollSerializer(self.poll(), context=self.get_serializer_context()).data)

    @extend_schema(responses=TallySerializer)
    @action(detail=True, methods=["get"])
    def tally(self, request, pk=None):
        """Every case's valid votes and vote score, by votes. Once certified, the certified tally."""
        poll = self.poll()
        rows, certificate = services.tally_rows(poll)
        return Response(TallySerializer({
            "certified": certificate is not None,
            "formula": {"key": poll.formula, "label": str(Poll.Formula(poll.formula).label)},
            "valid_votes": sum(row["votes"] for row in rows),
            "rows": rows}).data)

    @extend_schema(responses=AnomalyReportSerializer)
    @action(detail=True, methods=["get"])
    def anomalies(self, request, pk=None):
        """The anomaly report over the valid votes: each flag with its evidence and the votes it names, and
        the poll's verification-code statistics."""
        poll = self.poll()
        flags = [{"key": f.key, "kind": f.kind, "title": f.title, "votes": f.votes, "entry_id": f.entry_id,
                  "evidence": [{"label": label, "value": value} for label, value in f.evidence]}
                 for f in anomalies.report(poll)]
        codes = {name: value or 0 for name, value in anomalies.code_summary(poll).items()}
        return Response(AnomalyReportSerializer({"flags": flags, "codes": codes}).data)

    @extend_schema(methods=["GET"], responses=InvalidationSerializer(many=True),
                   description="The poll's invalidations, newest first, reverted ones included.")
    @extend_schema(methods=["POST"], request=InvalidationInputSerializer,
                   responses={201: InvalidationSerializer, 400: ProblemsSerializer},
                   description="Invalidate the given votes, or every valid vote an anomaly flag names, with a "
                               "reason (reversible, audited). Problems answer 400 and change nothing.")
    @action(detail=True, methods=["get", "post"])
    def invalidations(self, request, pk=None):
        if request.method == "POST":
            return self._invalidate(request)
        poll = self.poll()
        qs = Invalidation.objects.filter(poll=poll).select_related("created_by", "reverted_by")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(InvalidationSerializer(page, many=True).data)

    def _invalidate(self, request):
        poll = self.running_poll()
        data = body_of(InvalidationInputSerializer, request)
        flag, vote_ids = data["flag"].strip(), data["votes"]
        invalidation = services.votes_invalidate(poll=poll, by=request.user, reason=data["reason"],
                                                 vote_ids=vote_ids, flag=flag)
        return Response(InvalidationSerializer(invalidation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: CertificateDetailSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        """Fix the final tally after voting has closed, with the SHA-256 of the vote set. Once; afterwards no
        vote can be invalidated or restored."""
        certificate = services.poll_certify(poll=self.running_poll(), by=request.user)
        return Response(CertificateDetailSerializer(certificate).data, status=status.HTTP_201_CREATED)


class InvalidationViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """One invalidation. `queryset` only types the path parameter for the schema."""

    queryset = Invalidation.plain.none()
    serializer_class = InvalidationSerializer

    @extend_schema(request=RevertInputSerializer, responses={200: InvalidationSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def revert(self, request, pk=None):
        """Put the invalidation's votes back, with a reason (audited). Not after certification."""
        invalidation = access_invalidation(request.user, id_or_404(pk))
        ensure(can_run_poll(request.user, invalidation.poll.round), NotFound)
        reverted = services.invalidation_revert(invalidation=invalidation, by=request.user,
                                                reason=body_of(RevertInputSerializer, request)["reason"])
        return Response(InvalidationSerializer(reverted).data)


class VotingRoundViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """A scored round's poll, found by the round. `queryset` only types the path parameter for the schema."""

    queryset = Round.plain.none()
    serializer_class = PollSerializer
    lookup_url_kwarg = "round_id"

    @extend_schema(responses=PollSerializer)
    @action(detail=True, methods=["get"])
    def poll(self, request, round_id=None):
        """The round's poll; 404 while the round has none."""
        round = access_voting_round(request.user, id_or_404(round_id))
        poll = Poll.objects.select_related("round__org").filter(round=round).first()
        if poll is None:
            raise NotFound()
        return Response(PollSerializer(poll, context=self.get_serializer_context()).data)
