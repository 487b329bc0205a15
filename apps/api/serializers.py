from rest_framework import serializers

from apps.orgs.models import Org


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

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


class QuotaSerializer(serializers.Serializer):
    org_code = serializers.CharField()
    org_name = serializers.CharField()
    associations = serializers.IntegerField()
    quota = serializers.IntegerField()
    min_list_length = serializers.IntegerField()
