from django.contrib.auth import views as auth_views
from django.urls import path

from apps.orgs import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch-org/", views.switch_org, name="switch_org"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
]
