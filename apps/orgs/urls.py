from django.contrib.auth import views as auth_views
from django.urls import path

from apps.orgs import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch-org/", views.switch_org, name="switch_org"),
    path("account/", views.account, name="account"),
    path("account/tokens/new/", views.account_token_new, name="account_token_new"),
    path("account/tokens/<str:key>/revoke/", views.account_token_revoke, name="account_token_revoke"),
    path("account/invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("account/invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/members/add/", views.member_add, name="member_add"),
    path("orgs/<str:code>/import/", views.org_import, name="org_import"),
    path("orgs/<str:code>/import/template.xlsx", views.org_import_template, name="org_import_template"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/password/", views.member_password, name="member_password"),
]
