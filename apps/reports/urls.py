from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<str:code>/remind/", views.unit_remind, name="unit_remind"),
]
