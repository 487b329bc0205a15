from django.urls import path

from apps.cases import views

urlpatterns = [
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/autosave/", views.case_autosave, name="case_autosave"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/versions/", views.case_versions, name="case_versions"),
    path("<int:pk>/diff/", views.case_diff, name="case_diff"),
    path("<int:pk>/invites/", views.case_invites, name="case_invites"),
    path("<int:pk>/invites/<int:invite_id>/revoke/", views.case_invite_revoke, name="case_invite_revoke"),
    # The enterprise contact's pages: no login, the token is the only key.
    path("invite/<str:token>/", views.case_invite_fill, name="case_invite_fill"),
    path("invite/<str:token>/autosave/", views.case_invite_autosave, name="case_invite_autosave"),
]
