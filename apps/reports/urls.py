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
]
