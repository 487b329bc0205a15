from django.urls import include, path

from apps.core.views import captcha_image, healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("captcha/<str:key>.png", captcha_image, name="captcha"),
    path("v/", include("apps.voting.urls_public")),  # the public vote first: the busiest pages resolve soonest
    path("gs/", include("apps.selection.urls_public")),  # 公示 of locked lists, public
    path("topic/", include("apps.publication.urls_public")),  # the topic page (活动专栏), public
    path("", include("apps.orgs.urls")),
    path("campaigns/", include("apps.campaigns.urls")),
    path("campaigns/", include("apps.notices.urls")),  # the notice pages keep the paths they were born with
    path("cases/", include("apps.cases.urls")),
    path("cases/", include("apps.enterprises.urls")),  # the registry's pages keep the paths they were born with
    path("rounds/", include("apps.rounds.urls")),
    path("review/", include("apps.review.urls")),
    path("voting/", include("apps.voting.urls")),
    path("selection/", include("apps.selection.urls")),
    path("events/", include("apps.events.urls")),
    path("publicity/", include("apps.publicity.urls")),
    path("exhibits/", include("apps.exhibits.urls")),
    path("brand/", include("apps.brand.urls")),
    path("publication/", include("apps.publication.urls")),
    path("book/", include("apps.book.urls")),
    path("finance/", include("apps.finance.urls")),
    path("audit/", include("apps.orgs.urls_audit")),
    path("approvals/", include("apps.approvals.urls")),
    path("reports/", include("apps.reports.urls")),
    path("api/", include("apps.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files are never served by URL: each goes through a permission-checked view.
