"""Presentation events, teams and media reports in the API (apps/events, apps/publicity): the events the acting org reads (its own and those of
the orgs below), one event with its plan's state, and submitting its plan or marking it held through the same
services and predicates as the pages. An event the caller may not see answers 404."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.base import NewestFirst, ScopedAPIMixin, ScopedReadOnlyViewSet, id_or_404
from apps.api.serializers import ErrorSerializer, ProblemsSerializer
from apps.core.errors import NotFound, ensure
from apps.events import permissions, selectors, services
from apps.events.models import Event, Presenter
from apps.publicity import services as publicity_services
from apps.publicity.models import CaseCollection, MediaReport, Story, TopicVideo


class PresenterSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="宣讲团所属单位代码")
    case_title = serializers.CharField(source="case.title")

    class Meta:
        model = Presenter
        fields = ["id", "org", "case", "case_title", "name", "title", "organisation", "bio", "active",
                  "replaced_by", "replace_reason"]


class EventSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="主办单位代码")
    plan_state = serializers.SerializerMethodField(help_text="方案审核状态（文字）")
    plan_approved = serializers.SerializerMethodField(help_text="现行方案已经中心审核通过")
    presenters = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "programme", "org", "title", "mode", "venue", "in_tech_park", "park_name", "starts_at",
                  "ends_at", "schedule", "agenda", "guests", "media", "presenters", "state", "plan_state",
                  "plan_approved", "held_at", "attendance_onsite", "attendance_online", "stream_views",
                  "stream_platforms", "coverage"]

    def get_plan_state(self, event) -> str:
        return selectors.plan_state(event).label

    def get_plan_approved(self, event) -> bool:
        return selectors.plan_state(event).approved


class EventViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """Events of the acting org and the orgs below it, newest first."""

    queryset = Event.plain.none()
    pagination_class = NewestFirst

    @extend_schema(responses=EventSerializer(many=True))
    def list(self, request):
        if self.acting_org is None:
            raise NotFound()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.events_for(self.acting_org).order_by("-id"), request, view=self)
        return paginator.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(responses=EventSerializer)
    def retrieve(self, request, pk=None):
        return Response(EventSerializer(permissions.access_event(request.user, id_or_404(pk))).data)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the plan as it stands to the centre (R-203); 400 with what is missing."""
        event = permissions.access_event(request.user, id_or_404(pk))
        ensure(permissions.can_edit_event(request.user, event), NotFound)
        services.event_plan_submit(event=event, by=request.user)
        return Response(EventSerializer(event).data)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Mark the event held: 400 until the centre approved the plan as it stands (R-203)."""
        event = permissions.access_event(request.user, id_or_404(pk))
        ensure(permissions.can_edit_event(request.user, event), NotFound)
        event = services.event_mark_held(event=event, by=request.user)
        return Response(EventSerializer(event).data)


class PresenterViewSet(ScopedAPIMixin, viewsets.ViewSet):
    """The acting org's presentation team (R-201), replaced presenters included; empty for an org without one."""

    queryset = Presenter.plain.none()

    @extend_schema(responses=PresenterSerializer(many=True))
    def list(self, request):
        org = self.acting_org
        programme = selectors.programme_of(org) if permissions.can_view_team(request.user, org) else None
        # An org without a team (the centre, a county) reads an empty list.
        rows = selectors.team_of(org, programme, active=False).order_by("id") if programme else []
        return Response(PresenterSerializer(rows, many=True).data)


class MediaReportSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="登记单位代码")

    class Meta:
        model = MediaReport
        fields = ["id", "programme", "org", "event", "outlet", "level", "kind", "published_on", "title", "url",
                  "evidence_name", "created_at"]


class MediaReportViewSet(ScopedReadOnlyViewSet):
    """Media reports (R-303) of the acting org and the orgs below it, newest first."""

    queryset = MediaReport.plain.none()
    serializer_class = MediaReportSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return MediaReport.objects.select_related("org")


class TopicVideoSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="上传单位代码")

    class Meta:
        model = TopicVideo
        fields = ["id", "programme", "org", "case", "title", "name", "size", "sha256", "checks", "passes",
                  "created_at"]


class TopicVideoViewSet(ScopedReadOnlyViewSet):
    """Topic videos (R-304) of the acting org and the orgs below it, each with its check against the spec."""

    queryset = TopicVideo.plain.none()
    serializer_class = TopicVideoSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return TopicVideo.objects.select_related("org")


class StorySerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="撰写单位代码")

    class Meta:
        model = Story
        fields = ["id", "programme", "org", "case", "form", "title", "body", "state", "version", "updated_at"]


class StoryViewSet(ScopedReadOnlyViewSet):
    """Written stories (R-305) of the acting org and the orgs below it; the body is the sanitised safe subset."""

    queryset = Story.plain.none()
    serializer_class = StorySerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return Story.objects.select_related("org")


class CaseCollectionSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", help_text="省级科协代码")
    percent = serializers.IntegerField(read_only=True, help_text="进度（0–100）")
    docx_url = serializers.SerializerMethodField(help_text="Word版下载地址")
    pdf_url = serializers.SerializerMethodField(help_text="PDF版下载地址")

    class Meta:
        model = CaseCollection
        fields = ["id", "programme", "org", "number", "state", "stage", "done", "total", "percent", "contents",
                  "docx_url", "docx_sha256", "pdf_url", "pdf_sha256", "pdf_pages", "problem", "requested_at",
                  "started_at", "finished_at"]

    def _url(self, build, kind) -> str | None:
        return reverse("publicity:collection_file", args=[build.pk, kind]) if getattr(build, kind) else None

    def get_docx_url(self, build) -> str | None:
        return self._url(build, "docx")

    def get_pdf_url(self, build) -> str | None:
        return self._url(build, "pdf")


class CaseCollectionViewSet(ScopedReadOnlyViewSet):
    """Builds of the case collection (R-306) the acting org may read, newest first, with their progress; `POST` asks
    for a new build from the province's reviewed stories (the province's own people; 400 with the reason when one
    is running or no story is reviewed)."""

    queryset = CaseCollection.plain.none()
    serializer_class = CaseCollectionSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return CaseCollection.objects.select_related("org")

    @extend_schema(request=None, responses={201: CaseCollectionSerializer, 400: ProblemsSerializer,
                                            404: ErrorSerializer})
    def create(self, request):
        org = self.acting_org
        programme = selectors.programme_of(org) if org is not None else None
        ensure(programme is not None and programme.org_id == org.pk, NotFound)
        build = publicity_services.case_collection_request(programme=programme, by=request.user)
        return Response(CaseCollectionSerializer(build).data, status=201)
