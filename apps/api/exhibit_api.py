"""Exhibits (R-307) in the API (apps/exhibits): the exhibits the acting org reads (its own and those of the orgs
below it), one exhibit with its photos as download links and the centre's decision, and proposing, shortlisting
and declining through the same services and predicates as the pages. The centre decides through the approvals
endpoints (`/api/v1/approvals/{id}/approve/`, `…/return/`). An exhibit the caller may not see answers 404."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.api.base import NewestFirst, ScopedAPIMixin, body_of, id_or_404, query_of
from apps.api.serializers import ErrorSerializer, ProblemsSerializer
from apps.approvals.selectors import latest_of
from apps.core.errors import NotFound, ensure
from apps.exhibits import permissions, services
from apps.exhibits.approvals import KIND, thread
from apps.exhibits.models import Exhibit, ExhibitPhoto


class ExhibitPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（需登录，权限同展品）")

    class Meta:
        model = ExhibitPhoto
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, photo) -> str:
        return reverse("exhibits:exhibit_photo", args=[photo.exhibit_id, photo.pk])


class ExhibitDecisionSerializer(serializers.Serializer):
    approval = serializers.IntegerField(help_text="审核事项编号")
    state = serializers.CharField(help_text="审核状态：pending / approved / returned / withdrawn")
    comment = serializers.CharField(help_text="中心审核意见")


class ExhibitSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="申报单位代码")
    enterprise_name = serializers.CharField(source="enterprise.name")
    little_giant_batch = serializers.IntegerField(source="enterprise.little_giant_batch", allow_null=True,
                                                  help_text="专精特新“小巨人”批次（年）")
    state_label = serializers.CharField(source="get_state_display")
    declined_by = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                               help_text="未推荐或未确定的单位代码（省级科协或中心）")
    photos = ExhibitPhotoSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField(help_text="报送中心的最新一版审核；未报送为null")

    class Meta:
        model = Exhibit
        fields = ["id", "programme", "org", "enterprise", "enterprise_name", "little_giant_batch", "name",
                  "innovation", "representative", "interaction", "length_cm", "width_cm", "height_cm", "weight_kg",
                  "power", "state", "state_label", "decline_reason", "declined_by", "proposed_at", "shortlisted_at",
                  "decided_at", "photos", "decision"]

    @extend_schema_field(ExhibitDecisionSerializer(allow_null=True))
    def get_decision(self, exhibit):
        request = latest_of(KIND, thread(exhibit))
        if request is None:
            return None
        return {"approval": request.pk, "state": request.state, "comment": request.comment}


class ExhibitParams(serializers.Serializer):
    state = serializers.ChoiceField(choices=Exhibit.State.choices, required=False,
                                    help_text="proposed 已申报 / shortlisted 省级已推荐 / accepted 中心确定参展 / declined 未入选")


class ProposeSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, help_text="本区县登记的专精特新“小巨人”企业编号")
    name = serializers.CharField(max_length=services.NAME_MAX, help_text="展品名称")
    innovation = serializers.CharField(max_length=services.TEXT_MAX, help_text="创新点")
    representative = serializers.CharField(max_length=services.TEXT_MAX, help_text="代表性说明")
    interaction = serializers.CharField(max_length=services.TEXT_MAX, help_text="互动方式")
    length_cm = serializers.IntegerField(min_value=1, max_value=services.SIDE_MAX_CM, help_text="长（厘米）")
    width_cm = serializers.IntegerField(min_value=1, max_value=services.SIDE_MAX_CM, help_text="宽（厘米）")
    height_cm = serializers.IntegerField(min_value=1, max_value=services.SIDE_MAX_CM, help_text="高（厘米）")
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=services.WEIGHT_MIN_KG,
                                         max_value=services.WEIGHT_MAX_KG, help_text="重量（千克），1位小数")
    power = serializers.CharField(max_length=services.POWER_MAX, help_text="电力需求，如“220V，约500W”或“无需用电”")
    photos = serializers.ListField(child=serializers.FileField(), min_length=services.PHOTOS_MIN,
                                   max_length=services.PHOTOS_MAX, help_text="展品照片，JPEG或PNG，1至5张")


class DeclineReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX, help_text="未推荐原因，申报单位可见")


class ExhibitViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """Exhibits of the acting org and the orgs below it, newest first."""

    queryset = Exhibit.plain.none()  # the model, for the schema's path parameter
    pagination_class = NewestFirst

    @extend_schema(parameters=[ExhibitParams], responses=ExhibitSerializer(many=True))
    def list(self, request):
        if self.acting_org is None:
            raise NotFound()
        state = query_of(ExhibitParams, request).get("state")
        rows = Exhibit.objects.select_related("org", "enterprise", "declined_by").prefetch_related("photos")
        if state:
            rows = rows.filter(state=state)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(ExhibitSerializer(page, many=True).data)

    @extend_schema(responses=ExhibitSerializer)
    def retrieve(self, request, pk=None):
        return Response(ExhibitSerializer(permissions.access_exhibit(request.user, id_or_404(pk))).data)

    @extend_schema(request={"multipart/form-data": ProposeSerializer},
                   responses={201: ExhibitSerializer, 400: ProblemsSerializer, 404: ErrorSerializer})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def propose(self, request):
        """Propose an exhibit of a little-giant enterprise for the acting county or association (R-307); 404 for an
        org that registers no enterprises (a province, a city, the centre)."""
        ensure(permissions.can_propose(request.user, self.acting_org), NotFound)
        data = body_of(ProposeSerializer, request)
        exhibit = services.exhibit_propose(
            org=self.acting_org, by=request.user, enterprise_id=data["enterprise"], name=data["name"],
            innovation=data["innovation"], representative=data["representative"], interaction=data["interaction"],
            length_cm=data["length_cm"], width_cm=data["width_cm"], height_cm=data["height_cm"],
            weight_kg=data["weight_kg"], power=data["power"], photos=data["photos"])
        return Response(ExhibitSerializer(exhibit).data, status=201)

    @extend_schema(request=None, responses={200: ExhibitSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        """The province recommends the exhibit and sends it to the centre, which decides in its approvals."""
        exhibit = permissions.access_exhibit(request.user, id_or_404(pk))
        ensure(permissions.can_decide_exhibit(request.user, exhibit), NotFound)
        return Response(ExhibitSerializer(services.exhibit_shortlist(exhibit=exhibit, by=request.user)).data)

    @extend_schema(request=DeclineReasonSerializer, responses={200: ExhibitSerializer, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The province does not recommend the exhibit; the reason is shown to the proposing org."""
        exhibit = permissions.access_exhibit(request.user, id_or_404(pk))
        ensure(permissions.can_decide_exhibit(request.user, exhibit), NotFound)
        reason = body_of(DeclineReasonSerializer, request)["reason"]
        return Response(ExhibitSerializer(services.exhibit_decline(exhibit=exhibit, by=request.user,
                                                                   reason=reason)).data)
