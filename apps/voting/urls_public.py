"""The public voting pages (mounted at /v/): no login to browse; a phone-verified voter to vote."""

from django.urls import path

from apps.voting import views_public as views

app_name = "vote"
urlpatterns = [
    path("<str:slug>/", views.poll_home, name="home"),
    path("<str:slug>/qr.svg", views.poll_qr, name="qr"),
    path("<str:slug>/verify/", views.verify, name="verify"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/c/<int:entry>/", views.case, name="case"),
    path("<str:slug>/c/<int:entry>/vote/", views.vote, name="vote"),
    path("<str:slug>/c/<int:entry>/photo/", views.photo, name="photo"),
]
