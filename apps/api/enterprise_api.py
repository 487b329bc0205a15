"""GET /api/v1/enterprises/ and /api/v1/enterprises/{id}/: the registry, scoped as the pages are.

Register with `router.register("enterprises", EnterpriseViewSet, basename="enterprise")`.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.pagination import CursorPagination

from apps.api.base import ScopedReadOnlyViewSet
from apps.cases import creditcode, industry
from apps.cases.models import Enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    campaign_year = serializers.IntegerField(source="campaign.year", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True, default=None)
    industry_section_name = serializers.SerializerMethodField()
    industry_division_name = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["id", "campaign", "campaign_year", "name", "credit_code", "county", "county_name", "park",
                  "park_name", "industry_section", "industry_section_name", "industry_division",
                  "industry_division_name", "size", "rd_staff", "rd_spend", "is_high_tech", "is_specialised",
                  "little_giant_batch", "created_at", "updated_at"]
        read_only_fields = fields

    def get_industry_section_name(self, obj) -> str:
        found = industry.section(obj.industry_section)
        return found.name if found else ""

    def get_industry_division_name(self, obj) -> str:
        found = industry.division(obj.industry_division)
        return found.name if found else ""


class EnterprisePagination(CursorPagination):
    ordering = "id"


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("credit_code", OpenApiTypes.STR,
                     description="统一社会信用代码；先规范化（全角转半角、转大写、去空格）再精确匹配"),
    OpenApiParameter("county", OpenApiTypes.STR, description="所属区县的组织代码，如330106"),
    OpenApiParameter("campaign", OpenApiTypes.INT, description="活动ID"),
    OpenApiParameter("little_giant_batch", OpenApiTypes.INT, description="小巨人批次（年）"),
]))
class EnterpriseViewSet(ScopedReadOnlyViewSet):
    """The enterprises of the caller's scope: a county's and its associations' own county, an office's subtree."""

    serializer_class = EnterpriseSerializer
    pagination_class = EnterprisePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, outside any scope
            return Enterprise.plain.none()
        if self.acting_org is None:
            return Enterprise.objects.none()
        qs = Enterprise.objects.select_related("campaign", "county", "park")
        params = self.request.query_params
        if "credit_code" in params:
            qs = qs.filter(credit_code=creditcode.normalise(params["credit_code"]))
        if params.get("county"):
            qs = qs.filter(county__code=params["county"].strip().upper())
        if params.get("campaign"):
            qs = qs.filter(campaign_id=int(params["campaign"])) if params["campaign"].isdigit() else qs.none()
        if params.get("little_giant_batch"):
            value = params["little_giant_batch"]
            qs = qs.filter(little_giant_batch=int(value)) if value.isdigit() else qs.none()
        return qs
