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
]
