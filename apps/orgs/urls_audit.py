from django.urls import path

from apps.orgs import views_audit as views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
]
