from django.urls import path

from apps.publicity import views

app_name = "publicity"
urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_add, name="report_add"),
    path("reports/<int:pk>/evidence/", views.report_evidence, name="report_evidence"),
    path("reports/<int:pk>/remove/", views.report_remove, name="report_remove"),
    path("plan/<int:programme_id>/", views.plan, name="plan"),
    path("videos/", views.video_list, name="video_list"),
    path("videos/<int:pk>/file/", views.video_file, name="video_file"),
]
