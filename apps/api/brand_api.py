"""The brand project (R-501, R-502) in the API (apps/brand), for the brand team (the centre's people) only: the
brand plan's versions, the media contacts with their details, and the channel-use log, through the same services and
predicates as the pages. Anyone else, a province included, gets 404 on every endpoint, the lists too. The plan is
decided through the approvals endpoints (`/api/v1/approvals/{id}/approve/`, `…/return/`)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.api.base import NewestFirst, ScopedAPIMixin, body_of, id_or_404
from apps.api.serializers import ErrorSerializer, ProblemsSerializer
from apps.brand import permissions, services
from apps.brand.models import BrandPlan, Channel, ChannelUse, MediaContact
from apps.core.errors import NotFound, ensure


def _brand_programme(view):
    """The newest brand programme, for a person acting for the centre and working there; else 404."""
    ensure(permissions.acts_for_brand(view.request.user, view.acting_org), NotFound)
    programme = permissions.brand_programme_of(view.acting_org)
    ensure(programme is not None, NotFound)
    return programme


class BrandPlanSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = BrandPlan
        fields = ["id", "programme", "number", "phases", "status", "status_label", "created_at"]


class MediaContactSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = MediaContact
        fields = ["id", "programme", "outlet", "level", "level_label", "person", "phone", "email", "last_contact_on",
                  "created_at", "updated_at"]


class ChannelUseSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display")
    evidence_url = serializers.SerializerMethodField(help_text="佐证下载地址（需登录，仅中心人员）")

    class Meta:
        model = ChannelUse
        fields = ["id", "programme", "outlet", "level", "channel", "channel_label", "used_on", "title", "url",
                  "evidence_name", "evidence_url", "created_at"]

    def get_evidence_url(self, use) -> str:
        return reverse("brand:use_evidence", args=[use.pk])


class ContactInput(serializers.Serializer):
    outlet = serializers.CharField(max_length=services.OUTLET_MAX, help_text="媒体名称")
    level = serializers.ChoiceField(choices=MediaContact.Level.choices,
                                    help_text="national 权威主流媒体 / provincial 省级媒体 / industry 行业媒体 / "
                                              "other 其他媒体")
    person = serializers.CharField(max_length=services.PERSON_MAX, help_text="联系人")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                  help_text="手机号或带区号的固定电话；电话和电子邮箱至少填一项")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, help_text="电子邮箱")
    last_contact_on = serializers.DateField(help_text="最近联系日期")


class UseInput(serializers.Serializer):
    outlet = serializers.CharField(max_length=services.OUTLET_MAX, help_text="媒体，须在媒体联系人名录中")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="渠道")
    used_on = serializers.DateField(help_text="发布日期，本年度之内")
    title = serializers.CharField(max_length=services.TITLE_MAX, help_text="发布内容的标题")
    url = serializers.CharField(max_length=services.URL_MAX, help_text="链接（http或https）；同一链接只计一次")
    evidence = serializers.FileField(help_text="发布页面截图（PNG、JPEG）或PDF")


class BrandPlanViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The versions of the newest brand plan, newest first (R-501)."""

    queryset = BrandPlan.plain.none()
    pagination_class = NewestFirst

    @extend_schema(responses={200: BrandPlanSerializer(many=True), 404: ErrorSerializer})
    def list(self, request):
        programme = _brand_programme(self)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(BrandPlan.objects.filter(programme=programme), request, view=self)
        return paginator.get_paginated_response(BrandPlanSerializer(page, many=True).data)

    @extend_schema(responses={200: BrandPlanSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        programme = _brand_programme(self)
        plan = BrandPlan.objects.filter(programme=programme, pk=id_or_404(pk)).first()
        ensure(plan is not None, NotFound)
        return Response(BrandPlanSerializer(plan).data)


class MediaContactViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The registry of media contacts (R-502), with their details: the brand team's alone."""

    queryset = MediaContact.plain.none()
    pagination_class = NewestFirst
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: MediaContactSerializer(many=True), 404: ErrorSerializer})
    def list(self, request):
        programme = _brand_programme(self)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(MediaContact.objects.filter(programme=programme), request, view=self)
        return paginator.get_paginated_response(MediaContactSerializer(page, many=True).data)

    @extend_schema(responses={200: MediaContactSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        _brand_programme(self)
        return Response(MediaContactSerializer(permissions.access_contact(request.user, id_or_404(pk))).data)

    @extend_schema(request=ContactInput, responses={201: MediaContactSerializer, 400: ProblemsSerializer,
                                                    404: ErrorSerializer})
    def create(self, request):
        """Record a media contact; the same outlet and person are recorded once."""
        programme = _brand_programme(self)
        data = body_of(ContactInput, request)
        contact = services.media_contact_add(programme=programme, by=request.user, **data)
        return Response(MediaContactSerializer(contact).data, status=201)


class ChannelUseViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The log of channel uses (R-502), newest first; each link counts once."""

    queryset = ChannelUse.plain.none()
    pagination_class = NewestFirst
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: ChannelUseSerializer(many=True), 404: ErrorSerializer})
    def list(self, request):
        programme = _brand_programme(self)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(ChannelUse.objects.filter(programme=programme), request, view=self)
        return paginator.get_paginated_response(ChannelUseSerializer(page, many=True).data)

    @extend_schema(responses={200: ChannelUseSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        _brand_programme(self)
        return Response(ChannelUseSerializer(permissions.access_use(request.user, id_or_404(pk))).data)

    @extend_schema(request={"multipart/form-data": UseInput},
                   responses={201: ChannelUseSerializer, 400: ProblemsSerializer, 404: ErrorSerializer})
    def create(self, request):
        """Log a channel use with its evidence; a link already logged is refused at `url`."""
        programme = _brand_programme(self)
        data = body_of(UseInput, request)
        use = services.channel_use_add(programme=programme, by=request.user, **data)
        return Response(ChannelUseSerializer(use).data, status=201)


def register(router) -> None:
    router.register("brand/plans", BrandPlanViewSet, basename="brand-plan")
    router.register("brand/media-contacts", MediaContactViewSet, basename="brand-contact")
    router.register("brand/channel-uses", ChannelUseViewSet, basename="brand-use")
