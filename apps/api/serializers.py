from rest_framework import serializers

from apps.orgs.models import Org


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Org
        fields = ["code", "name", "kind", "region_code", "parent", "depth"]
