"""Approvals in the API: what waits for the acting org's decision (or what it submitted), one request with its
versions, and approving, returning and withdrawing, through the same services and predicates as the pages
(apps/approvals). A request the caller may not see answers 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import NewestFirst, ScopedAPIMixin, body_of, id_or_404, query_of
from apps.api.serializers import ProblemsSerializer
from apps.approvals import selectors, services
from apps.approvals.models import ApprovalRequest
from apps.approvals.permissions import access_approval, can_decide_approval, can_withdraw_approval
from apps.core.errors import NotFound, ensure


class ApprovalSerializer(serializers.ModelSerializer):
    submitter = serializers.CharField(source="submitter.code", help_text="报送单位代码")
    approver = serializers.CharField(source="approver.code", help_text="审核单位代码")

    class Meta:
        model = ApprovalRequest
        fields = ["id", "kind", "object_id", "version", "title", "submitter", "approver", "state", "submitted_at",
                  "decide_by", "decided_at", "comment", "resubmit_by"]


class ApprovalParams(serializers.Serializer):
    box = serializers.ChoiceField(choices=["waiting", "sent"], required=False, default="waiting",
                                  help_text="waiting 待本单位审核 / sent 本单位报送")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=services.COMMENT_MAX, required=False, allow_blank=True,
                                    default="", help_text="审核意见（退回时必填）")


class ApprovalViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """What waits for the acting org's decision, or what it submitted."""

    queryset = ApprovalRequest.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    @extend_schema(parameters=[ApprovalParams],
                   responses=ApprovalSerializer(many=True))
    def list(self, request):
        org = self.acting_org
        if org is None:
            raise NotFound()
        box = query_of(ApprovalParams, request).get("box", "waiting")
        rows = selectors.submitted_by_org(org) if box == "sent" else selectors.waiting_for(org)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(ApprovalSerializer(page, many=True).data)

    @extend_schema(responses=ApprovalSerializer)
    def retrieve(self, request, pk=None):
        return Response(ApprovalSerializer(access_approval(request.user, id_or_404(pk))).data)

    def _decide(self, request, pk, decide):
        """Run one decision of the approving org on the request, with the comment from the body."""
        approval = access_approval(request.user, id_or_404(pk))
        ensure(can_decide_approval(request.user, approval), NotFound)
        done = decide(request=approval, by=request.user, comment=body_of(CommentSerializer, request)["comment"])
        return Response(ApprovalSerializer(done).data)

    @extend_schema(request=CommentSerializer, responses={200: ApprovalSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the version: what approval unlocks happens at once (a manual quota table goes in force)."""
        return self._decide(request, pk, services.approval_approve)

    @extend_schema(request=CommentSerializer, responses={200: ApprovalSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Return the version with comments; the submitter revises it and submits a new version."""
        return self._decide(request, pk, services.approval_return)

    @extend_schema(request=None, responses={200: ApprovalSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The submitter takes a waiting version back."""
        approval = access_approval(request.user, id_or_404(pk))
        ensure(can_withdraw_approval(request.user, approval), NotFound)
        return Response(ApprovalSerializer(services.approval_withdraw(request=approval, by=request.user)).data)
