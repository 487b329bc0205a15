"""GET /api/v1/enterprises/ and /api/v1/enterprises/{id}/: the registry, scoped as the pages are."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from apps.api.base import MAX_ID, OldestFirst, ScopedReadOnlyViewSet, query_of
from apps.core import creditcode
from apps.enterprises import industry
from apps.enterprises.models import Enterprise
from apps.enterprises.services import FIRST_LITTLE_GIANT_BATCH


class EnterpriseSerializer(serializers.ModelSerializer):
    campaign_year = serializers.IntegerField(source="campaign.year", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                        help_text="所在园区科协的组织代码；不在园区内时为null")
    park_name = serializers.CharField(source="park.name", read_only=True, default=None, allow_null=True)
    # Declared here: read_only_fields would drop the model field's blank=True, and the schema with it.
    size = serializers.ChoiceField(choices=Enterprise.Size.choices, allow_blank=True, read_only=True,
                                   help_text="企业规模；未填写时为空字符串")
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


# The registry's own bound (Enterprise's enterprise_little_giant_batch_year constraint).
LAST_LITTLE_GIANT_BATCH = 2100


class EnterpriseParams(serializers.Serializer):
    """The list's filters; each narrows the list, none reaches outside the caller's scope."""

    credit_code = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                        help_text="统一社会信用代码；先规范化（全角转半角、转大写、去空格）再精确匹配")
    county = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                   help_text="所属区县的组织代码，如330106")
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="活动ID")
    little_giant_batch = serializers.IntegerField(required=False, min_value=FIRST_LITTLE_GIANT_BATCH,
                                                  max_value=LAST_LITTLE_GIANT_BATCH, help_text="小巨人批次（年）")


@extend_schema_view(list=extend_schema(parameters=[EnterpriseParams]))
class EnterpriseViewSet(ScopedReadOnlyViewSet):
    """The enterprises of the caller's scope: a county's and its associations' own county, an office's subtree."""

    serializer_class = EnterpriseSerializer
    pagination_class = OldestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, outside any scope
            return Enterprise.plain.none()
        # A malformed filter is refused whoever asks, before anything is read.
        params = query_of(EnterpriseParams, self.request) if self.action == "list" else {}
        if self.acting_org is None:
            return Enterprise.objects.none()
        qs = Enterprise.objects.select_related("campaign", "county", "park")
        if "credit_code" in params:
            qs = qs.filter(credit_code=creditcode.normalise(params["credit_code"]))
        if params.get("county"):
            qs = qs.filter(county__code=params["county"].strip().upper())
        if "campaign" in params:
            qs = qs.filter(campaign_id=params["campaign"])
        if "little_giant_batch" in params:
            qs = qs.filter(little_giant_batch=params["little_giant_batch"])
        return qs
