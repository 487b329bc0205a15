"""Cases and rounds in the API (issue 4 item 7), scoped exactly as the pages.

`GET /api/v1/cases/` takes the case list's filters (apps/cases/listing.py: q, year, status, decision,
type, industry, channel, little_giant, county) and pages by cursor, newest first; an association
sees its own cases, drafts included, and the offices above see what was submitted to them.
`GET /api/v1/rounds/` lists the rounds in the caller's scope with their counts by decision.
"""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from apps.api.base import NewestFirst, ScopedReadOnlyViewSet, query_of
from apps.cases.listing import apply_filters, cases_for, filter_form
from apps.cases.models import Case
from apps.cases.permissions import can_see_case_contact
from apps.enterprises.industry import sections
from apps.rounds.models import Round, RoundEntry
from apps.rounds.selectors import with_locked_at


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


class CaseParams(serializers.Serializer):
    """The case list page's filters (apps/cases/listing.py CaseFilterForm), typed for the API."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="搜索标题、企业名称，或统一社会信用代码的前6位以上")
    year = serializers.IntegerField(required=False, min_value=1, max_value=32767,
                                    help_text="活动年度；默认最近一届。没有该年度的活动时结果为空")
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False,
                                     help_text="状态；草稿和已撤回的案例只有推荐单位自己能看到")
    decision = serializers.ChoiceField(choices=RoundEntry.Decision.choices, required=False,
                                       help_text="本级（推荐单位：区县筛查）的结果")
    type = serializers.ChoiceField(choices=Case.Type.choices, required=False, help_text="案例类型")
    industry = serializers.ChoiceField(choices=[(s.code, s.name) for s in sections()], required=False,
                                       help_text="行业门类（GB/T 4754-2017）")
    channel = serializers.ChoiceField(choices=Case.Channel.choices, required=False, help_text="推荐渠道")
    little_giant = serializers.ChoiceField(choices=[("1", "是"), ("0", "否")], required=False,
                                           help_text="1：专精特新“小巨人”企业的案例；0：其他企业的案例")
    county = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                   help_text="本单位之下某个市或区县的组织代码，如330106；不在本单位范围内的代码回答400")


@extend_schema_view(list=extend_schema(parameters=[CaseParams]))
class CaseViewSet(ScopedReadOnlyViewSet):
    """Cases in the caller's scope, filtered like the case list page."""

    queryset = Case.plain.none()  # the model, for the schema; get_queryset scopes every request
    pagination_class = NewestFirst

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_queryset(self):
        viewer = self.acting_org
        qs = cases_for(viewer).select_related("enterprise", "county", "recommender")
        if self.action != "list":
            return qs
        params = query_of(CaseParams, self.request)  # a malformed filter is refused whoever asks
        if viewer is None:
            return qs
        form = filter_form(self.request.query_params, viewer)
        # Well-formed filters that the page's form does not offer this viewer name no case it could list: a year
        # without a campaign, a status the offices above never see (drafts, withdrawn cases).
        if "year" in params and params["year"] not in {year for _pk, year in form.campaigns}:
            return qs.none()
        if "status" in params and params["status"] not in dict(form.fields["status"].choices):
            return qs.none()
        if not form.is_valid():
            raise ValidationError(form.errors)
        return apply_filters(qs, form).qs


DECISIONS = [d.value for d in RoundEntry.Decision]


class RoundSerializer(serializers.ModelSerializer):
    org = OrgRefSerializer()
    year = serializers.IntegerField(source="programme.campaign.year")
    counts = serializers.SerializerMethodField(
        help_text="Cases by decision; null for a round above the caller's org (a parent's round).")
    locked_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                          help_text="When the round's list was last locked (null if never).")

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


class RoundParams(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Round.Kind.choices, required=False, help_text="轮次类型")
    state = serializers.ChoiceField(choices=Round.State.choices, required=False, help_text="状态")
    org = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                help_text="组织本轮的单位的代码，如330106")


@extend_schema_view(list=extend_schema(parameters=[RoundParams]))
class RoundViewSet(ScopedReadOnlyViewSet):
    """Rounds the caller's org runs or sees (its subtree's, and its parents' state and deadline)."""

    queryset = Round.plain.none()  # the model, for the schema; get_queryset scopes every request
    serializer_class = RoundSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        counts = {f"n_{d}": Count("entries", filter=Q(entries__decision=d)) for d in DECISIONS}
        qs = with_locked_at(Round.objects.select_related("org", "programme__campaign").annotate(**counts))
        if self.action != "list":
            return qs
        params = query_of(RoundParams, self.request)
        if "kind" in params:
            qs = qs.filter(kind=params["kind"])
        if "state" in params:
            qs = qs.filter(state=params["state"])
        if params.get("org"):
            qs = qs.filter(org__code=params["org"].strip().upper())
        return qs
