from django.urls import path

from apps.selection import views

app_name = "selection"
urlpatterns = [
    path("rounds/<int:pk>/ranking/", views.composite_ranking, name="composite"),
]
