from django.urls import path

from apps.campaigns import views

urlpatterns = [
    path("", views.campaign_home, name="home"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/bounds/", views.rule_bounds, name="rule_bounds"),
    path("<int:campaign_id>/settings/", views.campaign_settings, name="campaign_settings"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/application/", views.programme_application, name="programme_application"),
    path("programmes/<int:pk>/support-letter/", views.support_letter, name="support_letter"),
    path("programmes/<int:pk>/rulebook/", views.rulebook, name="rulebook"),
    path("programmes/<int:pk>/rulebook/edit/", views.rulebook_edit, name="rulebook_edit"),
    path("programmes/<int:pk>/work-rules/", views.work_rules, name="work_rules"),
    path("programmes/<int:pk>/work-rules/edit/", views.work_rules_edit, name="work_rules_edit"),
    path("programmes/<int:pk>/work-rules.docx", views.work_rules_docx_download, name="work_rules_docx"),
    path("programmes/<int:pk>/quotas/", views.quotas, name="quotas"),
    path("programmes/<int:pk>/quotas/manual/", views.quota_manual, name="quota_manual"),
    path("programmes/<int:pk>/quotas/computed/", views.quota_reset, name="quota_reset"),
]
