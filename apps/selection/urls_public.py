"""The public 公示 pages of locked lists (mounted at /gs/)."""

from django.urls import path

from apps.selection import views_public

app_name = "gs"
urlpatterns = [
    path("<str:slug>/", views_public.publicity_page, name="list"),
]
