from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<str:code>/remind/", views.unit_remind, name="unit_remind"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/draft/", views.monthly_draft, name="monthly_draft"),
    path("monthly/<int:pk>/", views.monthly_detail, name="monthly_detail"),
    path("monthly/<int:pk>/refresh/", views.monthly_refresh, name="monthly_refresh"),
    path("final/", views.final_list, name="final"),
    path("final/draft/", views.final_draft, name="final_draft"),
    path("final/<int:pk>/", views.final_detail, name="final_detail"),
    path("final/<int:pk>/refresh/", views.final_refresh, name="final_refresh"),
    path("final/<int:pk>/docx/", views.final_docx, name="final_docx"),
    path("final/evidence/<int:pk>/", views.final_evidence, name="final_evidence"),
    path("acceptance/<int:programme_id>/", views.acceptance, name="acceptance"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    path("dashboard/export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("dashboard/<int:programme_id>/", views.project_dashboard, name="project_dashboard"),
]
