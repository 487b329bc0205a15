"""Pages of the org running a round's public vote (mounted at /voting/)."""

from django.urls import path

from apps.voting import views_admin as views

app_name = "voting"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_poll, name="round"),
    path("polls/<int:pk>/tally/", views.tally, name="tally"),
    path("polls/<int:pk>/tally.csv", views.tally_csv, name="tally_csv"),
    path("polls/<int:pk>/votes.csv", views.votes_csv, name="votes_csv"),
    path("polls/<int:pk>/anomalies/", views.anomaly_report, name="anomalies"),
    path("polls/<int:pk>/votes/", views.votes, name="votes"),
    path("polls/<int:pk>/invalidate/", views.invalidate, name="invalidate"),
    path("polls/<int:pk>/invalidations/", views.invalidations, name="invalidations"),
    path("polls/<int:pk>/certify/", views.certify, name="certify"),
    path("invalidations/<int:pk>/revert/", views.invalidation_revert, name="invalidation_revert"),
]
