"""Cases and rounds in the API (issue 4 item 7), scoped exactly as the pages.

`GET /api/v1/cases/` takes the case list's filters (apps/cases/listing.py: q, year, status, decision,
type, industry, channel, little_giant, county) and pages by cursor, newest first; an association
sees its own cases, drafts included, and the offices above see what was submitted to them.
`GET /api/v1/rounds/` lists the rounds in the caller's scope with their counts by decision.
"""

from __future__ import annotations

from django.db.models import Count, Q
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from apps.api.base import ScopedReadOnlyViewSet
from apps.cases.listing import apply_filters, cases_for, filter_form
from apps.cases.models import Case
from apps.cases.permissions import can_see_case_contact
from apps.rounds.models import Round, RoundEntry


class NewestFirst(CursorPagination):
    """Keyset pages by id: constant cost however deep, like the page's ?after=<id>."""

    ordering = "-id"
    page_size = 50


class OrgRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    credit_code = serializers.CharField()
    industry_section = serializers.CharField()
    little_giant_batch = serializers.IntegerField(allow_null=True)


class CaseSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefSerializer()
    county = OrgRefSerializer()
    recommender = OrgRefSerializer()
    decision = serializers.SerializerMethodField(
        help_text="The decision of the round at the caller's level (an association: its county's screening).")

    class Meta:
        model = Case
        fields = ["id", "title", "type", "status", "channel", "version", "submitted_at", "decision",
                  "enterprise", "county", "recommender"]

    def get_decision(self, case) -> str | None:
        return getattr(case, "decision", None)


class CaseDetailSerializer(CaseSerializer):
    contact_phone = serializers.SerializerMethodField(
        help_text="Only for the recommending association and its county (the case page's rule); null otherwise.")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "abstract", *(name for name, _label in Case.SECTIONS),
                  "economic_benefits", "social_benefits", "consent_publicity", "consent_truthful",
                  "contact_name", "contact_phone"]

    def get_contact_phone(self, case) -> str | None:
        return case.contact_phone if can_see_case_contact(self.context["request"].user, case) else None


class CaseViewSet(ScopedReadOnlyViewSet):
    """Cases in the caller's scope, filtered like the case list page."""

    queryset = Case.plain.none()  # the model, for the schema; get_queryset scopes every request
    pagination_class = NewestFirst

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_queryset(self):
        viewer = self.acting_org
        qs = cases_for(viewer).select_related("enterprise", "county", "recommender")
        if viewer is None or self.action != "list":
            return qs
        form = filter_form(self.request.query_params, viewer)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return apply_filters(qs, form).qs


DECISIONS = [d.value for d in RoundEntry.Decision]


class RoundSerializer(serializers.ModelSerializer):
    org = OrgRefSerializer()
    year = serializers.IntegerField(source="programme.campaign.year")
    counts = serializers.SerializerMethodField(
        help_text="Cases by decision; null for a round above the caller's org (a parent's round).")

    class Meta:
        model = Round
        fields = ["id", "kind", "org", "year", "state", "deadline", "locked_at", "sent_at", "counts"]

    def get_counts(self, obj) -> dict[str, int] | None:
        viewer = self.context["view"].acting_org
        # An association reads its county's round (state, deadline) but not how the county decided on
        # the other associations' cases.
        if viewer is None or not obj.org.is_under(viewer):
            return None
        counts = {d: getattr(obj, f"n_{d}") for d in DECISIONS}
        counts["total"] = sum(counts.values())
        return counts


class RoundViewSet(ScopedReadOnlyViewSet):
    """Rounds the caller's org runs or sees (its subtree's, and its parents' state and deadline)."""

    queryset = Round.plain.none()  # the model, for the schema; get_queryset scopes every request
    serializer_class = RoundSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        counts = {f"n_{d}": Count("entries", filter=Q(entries__decision=d)) for d in DECISIONS}
        qs = Round.objects.select_related("org", "programme__campaign").annotate(**counts)
        params = self.request.query_params
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params.get("org"):
            qs = qs.filter(org__code=params["org"].strip().upper())
        return qs
