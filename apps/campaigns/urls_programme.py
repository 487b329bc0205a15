from django.urls import path

from apps.campaigns import views

urlpatterns = [
    path("", views.campaign_home, name="home"),
]
