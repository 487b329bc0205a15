from django.urls import path

from apps.review import views, views_meetings

app_name = "review"
urlpatterns = [
    path("pool/<str:code>/", views.pool, name="pool"),
    path("pool/<str:code>/invite/", views.pool_invite, name="pool_invite"),
    path("pool/<str:code>/add/", views.pool_add, name="pool_add"),
    path("pool/members/<int:pk>/", views.pool_member, name="pool_member"),
    path("pool/invites/<int:pk>/revoke/", views.pool_invite_revoke, name="pool_invite_revoke"),
    path("join/<str:token>/", views.join, name="join"),
    path("rounds/<int:pk>/", views.round_review, name="round"),
    path("rounds/<int:pk>/settings/", views.round_settings, name="round_settings"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round_assign"),
    path("rounds/<int:pk>/assignments/add/", views.round_assignment_add, name="round_assignment_add"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/ranking/", views.round_ranking, name="ranking"),
    path("rounds/<int:pk>/ranking/resolve/", views.round_resolve, name="ranking_resolve"),
    path("rounds/<int:pk>/ranking/snapshot/", views.round_snapshot, name="ranking_snapshot"),
    path("rounds/<int:pk>/scores.xlsx", views.round_scores, name="round_scores"),
    path("rounds/<int:pk>/experts/<int:expert_pk>/sheet.pdf", views.expert_sheet, name="expert_sheet"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("me/", views.my, name="my"),
    path("me/profile/", views.my_profile, name="my_profile"),
    path("me/<int:pk>/", views.score, name="score"),
    path("me/<int:pk>/decline/", views.decline, name="decline"),
    path("me/<int:pk>/files/<int:file_pk>/", views.score_file, name="score_file"),
    path("me/<int:pk>/files/<int:file_pk>/thumb/", views.score_file, {"thumb": True}, name="score_thumb"),
    path("rounds/<int:pk>/meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/status/", views_meetings.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/cases/", views_meetings.meeting_cases, name="meeting_cases"),
    path("meetings/<int:pk>/judges/", views_meetings.meeting_judge_add, name="meeting_judge_add"),
    path("meetings/<int:pk>/qr/", views_meetings.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/next/", views_meetings.meeting_next, name="meeting_next"),
    path("meetings/<int:pk>/judge/", views_meetings.judge, name="judge"),
    path("judge/<str:token>/", views_meetings.judge_enter, name="judge_enter"),
]
