from rest_framework import serializers

from apps.campaigns.indicators import Status
from apps.orgs.models import Org


class ErrorSerializer(serializers.Serializer):
    """An error with one reason: not signed in, not allowed, not found, method not allowed."""

    detail = serializers.CharField(help_text="原因")


class ProblemsSerializer(serializers.Serializer):
    """A refused request: `detail` lists the problems that concern the whole request; a field's problems are under
    the field's name, e.g. {"case_ids": ["该字段是必填项。"]}."""

    detail = serializers.ListField(child=serializers.CharField(), required=False, help_text="每条一个问题及修改办法")


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="上级组织的代码；中心为null")

    class Meta:
        model = Org
        fields = ["code", "name", "kind", "region_code", "parent", "depth"]


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(source="campaign.year")
    kind = serializers.CharField()
    org_code = serializers.CharField(source="org.code")
    org_name = serializers.CharField(source="org.name")
    implementing_unit = serializers.CharField()
    project_lead = serializers.CharField()
    budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    period_start = serializers.DateField()
    period_end = serializers.DateField()


class IndicatorEvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    """One rule's indicator (apps/campaigns/indicators.py). Counts are integers; a share or amount is a decimal
    string; a rule without a number has null."""

    rule = serializers.CharField()
    title = serializers.CharField()
    target = serializers.JSONField(allow_null=True)
    value = serializers.JSONField(allow_null=True)
    target_text = serializers.CharField()
    value_text = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    evidence = IndicatorEvidenceSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class QuotaSerializer(serializers.Serializer):
    org_code = serializers.CharField()
    org_name = serializers.CharField()
    associations = serializers.IntegerField()
    quota = serializers.IntegerField()
    min_list_length = serializers.IntegerField()
