"""The brand project (R-501, R-502, R-504, R-505) in the API (apps/brand), for the brand team (the centre's people)
only: the brand plan's versions, the media contacts with their details, the channel-use log, the deliverables and the
overview reports with their data packs, through the same services and
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
from apps.brand.models import BrandPlan, Channel, ChannelUse, Deliverable, MediaContact, OverviewReport
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


class DeliverableSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    file_url = serializers.SerializerMethodField(help_text="文件下载地址（需登录，仅中心人员）")
    sources = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="素材来源：各省专题视频的id")

    class Meta:
        model = Deliverable
        fields = ["id", "programme", "kind", "kind_label", "slot", "version", "title", "name", "content_type", "size",
                  "sha256", "checks", "passes", "sources", "status", "status_label", "file_url", "created_at"]

    def get_file_url(self, item) -> str:
        return reverse("brand:deliverable_file", args=[item.pk])


class DeliverableInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Deliverable.Kind.choices, required=False,
                                   help_text="main_visual 主视觉 / poster 海报 / brochure 宣传册 / "
                                             "promo_video 宣传片 / short_video 全国短视频；上传新版本时不填")
    title = serializers.CharField(max_length=services.DELIVERABLE_TITLE_MAX, help_text="标题")
    file = serializers.FileField(help_text="JPEG、PNG或PDF（宣传册：PDF；视频：MP4）")
    sources = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False,
                                    help_text="全国短视频：剪辑所用的各省专题视频id（须符合规格）")
    replaces = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False,
                                        help_text="被退回、已撤回或不符合规格的一版的id：上传其新版本")


class OverviewReportSerializer(serializers.ModelSerializer):
    xlsx_url = serializers.SerializerMethodField(help_text="数据包Excel下载地址")
    pdf_url = serializers.SerializerMethodField(help_text="数据包PDF下载地址")

    class Meta:
        model = OverviewReport
        fields = ["id", "programme", "outlet", "title", "published_on", "url", "data", "data_at", "xlsx_url",
                  "pdf_url", "created_at"]

    def get_xlsx_url(self, report) -> str:
        return reverse("brand:report_xlsx", args=[report.pk])

    def get_pdf_url(self, report) -> str:
        return reverse("brand:report_pdf", args=[report.pk])


class ReportInput(serializers.Serializer):
    outlet = serializers.CharField(max_length=services.OUTLET_MAX, help_text="媒体，须在媒体联系人名录中")
    title = serializers.CharField(max_length=services.TITLE_MAX, help_text="标题")
    published_on = serializers.DateField(help_text="发布日期")
    url = serializers.CharField(max_length=services.URL_MAX, help_text="链接（http或https）；同一链接只计一次")


class DeliverableViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The deliverables (R-504), every version; each counts once the centre approved it (`/api/v1/approvals/`)."""

    queryset = Deliverable.plain.none()
    pagination_class = NewestFirst
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: DeliverableSerializer(many=True), 404: ErrorSerializer})
    def list(self, request):
        programme = _brand_programme(self)
        paginator = self.pagination_class()
        rows = Deliverable.objects.filter(programme=programme).prefetch_related("sources")
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(DeliverableSerializer(page, many=True).data)

    @extend_schema(responses={200: DeliverableSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        _brand_programme(self)
        return Response(DeliverableSerializer(permissions.access_deliverable(request.user, id_or_404(pk))).data)

    @extend_schema(request={"multipart/form-data": DeliverableInput},
                   responses={201: DeliverableSerializer, 400: ProblemsSerializer, 404: ErrorSerializer})
    def create(self, request):
        """Upload a deliverable, or a new version of one (`replaces`); it goes to the centre's approval."""
        programme = _brand_programme(self)
        data = body_of(DeliverableInput, request)
        replaces = permissions.access_deliverable(request.user, data["replaces"]) if data.get("replaces") else None
        item = services.deliverable_add(programme=programme, by=request.user, kind=data.get("kind", ""),
                                        title=data["title"], upload=data["file"], sources=data.get("sources", []),
                                        replaces=replaces)
        return Response(DeliverableSerializer(item).data, status=201)


class OverviewReportViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The overview reports (R-505) with their frozen data packs."""

    queryset = OverviewReport.plain.none()
    pagination_class = NewestFirst
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: OverviewReportSerializer(many=True), 404: ErrorSerializer})
    def list(self, request):
        programme = _brand_programme(self)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(OverviewReport.objects.filter(programme=programme), request, view=self)
        return paginator.get_paginated_response(OverviewReportSerializer(page, many=True).data)

    @extend_schema(responses={200: OverviewReportSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        _brand_programme(self)
        return Response(OverviewReportSerializer(permissions.access_report(request.user, id_or_404(pk))).data)

    @extend_schema(request=ReportInput, responses={201: OverviewReportSerializer, 400: ProblemsSerializer,
                                                   404: ErrorSerializer})
    def create(self, request):
        """Record an overview report; its data pack is gathered from the provinces' indicators and frozen."""
        programme = _brand_programme(self)
        report = services.overview_report_add(programme=programme, by=request.user, **body_of(ReportInput, request))
        return Response(OverviewReportSerializer(report).data, status=201)


def register(router) -> None:
    router.register("brand/plans", BrandPlanViewSet, basename="brand-plan")
    router.register("brand/media-contacts", MediaContactViewSet, basename="brand-contact")
    router.register("brand/channel-uses", ChannelUseViewSet, basename="brand-use")
    router.register("brand/deliverables", DeliverableViewSet, basename="brand-deliverable")
    router.register("brand/overview-reports", OverviewReportViewSet, basename="brand-report")
