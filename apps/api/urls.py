from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.api import (
    approval_api,
    brand_api,
    case_api,
    enterprise_api,
    event_api,
    exhibit_api,
    finance_api,
    publication_api,
    report_api,
    review_api,
    selection_api,
    token_api,
    views,
    voting_api,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("orgs", views.OrgViewSet, basename="org")
router.register("approvals", approval_api.ApprovalViewSet, basename="approval")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("cases", case_api.CaseViewSet, basename="case")
router.register("rounds", case_api.RoundViewSet, basename="round")
router.register("rounds", selection_api.SelectionRoundViewSet, basename="selection-round")
router.register("selection/objections", selection_api.ObjectionViewSet, basename="selection-objection")
router.register("enterprises", enterprise_api.EnterpriseViewSet, basename="enterprise")
router.register("review/rounds", review_api.ReviewRoundViewSet, basename="review-round")
router.register("review/my/assignments", review_api.MyAssignmentViewSet, basename="review-my-assignment")
router.register("review/pools", review_api.PoolViewSet, basename="review-pool")
router.register("voting/polls", voting_api.PollViewSet, basename="voting-poll")
router.register("voting/invalidations", voting_api.InvalidationViewSet, basename="voting-invalidation")
router.register("voting/rounds", voting_api.VotingRoundViewSet, basename="voting-round")
router.register("events", event_api.EventViewSet, basename="event")
router.register("presenters", event_api.PresenterViewSet, basename="presenter")
router.register("media-reports", event_api.MediaReportViewSet, basename="media-report")
router.register("topic-videos", event_api.TopicVideoViewSet, basename="topic-video")
router.register("stories", event_api.StoryViewSet, basename="story")
router.register("case-collections", event_api.CaseCollectionViewSet, basename="case-collection")
router.register("exhibits", exhibit_api.ExhibitViewSet, basename="exhibit")
brand_api.register(router)  # the brand project (apps/api/brand_api.py)
finance_api.register(router)  # the projects' ledgers (apps/api/finance_api.py)
report_api.register(router)  # the projects' reports and the dashboards (apps/api/report_api.py)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/auth/token/", token_api.TokenView.as_view(), name="api-token"),
    path("v1/auth/tokens/", token_api.MyTokensView.as_view(), name="api-tokens"),
    path("v1/auth/tokens/<str:key>/", token_api.MyTokenView.as_view(), name="api-token-revoke"),
    path("v1/public/topic/", publication_api.TopicExportView.as_view(), name="api-topic-export"),
    path("v1/", include(router.urls)),
    # Last: only paths nothing above matched. Ending in "/" so that CommonMiddleware still adds a missing slash.
    re_path(r"^(?P<rest>.*/)$", views.not_found, name="api-not-found"),
]
