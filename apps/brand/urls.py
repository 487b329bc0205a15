from django.urls import path

from apps.brand import views

app_name = "brand"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:programme_id>/", views.overview, name="overview"),
    path("<int:programme_id>/plan/", views.plan, name="plan"),
    path("<int:programme_id>/contacts/", views.contact_list, name="contact_list"),
    path("<int:programme_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:programme_id>/uses/", views.use_list, name="use_list"),
    path("<int:programme_id>/uses/new/", views.use_new, name="use_new"),
    path("uses/<int:pk>/evidence/", views.use_evidence, name="use_evidence"),
    path("uses/<int:pk>/remove/", views.use_remove, name="use_remove"),
    path("<int:programme_id>/deliverables/", views.deliverable_list, name="deliverable_list"),
    path("<int:programme_id>/deliverables/new/", views.deliverable_new, name="deliverable_new"),
    path("deliverables/<int:pk>/replace/", views.deliverable_replace, name="deliverable_replace"),
    path("deliverables/<int:pk>/file/", views.deliverable_file, name="deliverable_file"),
    path("<int:programme_id>/reports/", views.report_list, name="report_list"),
    path("<int:programme_id>/reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/data.xlsx", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/data.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/refresh/", views.report_refresh, name="report_refresh"),
]
