"""The registry's and the little-giant lists' pages, served under /cases/ (the paths they were born with) in the
"enterprises" namespace."""

from django.urls import path

from apps.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/campaign/<int:campaign_id>/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/campaign/<int:campaign_id>/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("little-giants/campaign/<int:campaign_id>/", views.littlegiant_index, name="littlegiant_index"),
    path("little-giants/template.xlsx", views.littlegiant_template, name="littlegiant_template"),
    path("little-giants/<int:pk>/", views.littlegiant_detail, name="littlegiant_detail"),
    path("little-giants/<int:pk>/rematch/", views.littlegiant_rematch, name="littlegiant_rematch"),
    path("little-giants/rows/<int:pk>/resolve/", views.littlegiant_resolve, name="littlegiant_resolve"),
]
