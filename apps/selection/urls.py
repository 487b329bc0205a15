from django.urls import path

from apps.selection import views

app_name = "selection"
urlpatterns = [
    path("rounds/<int:pk>/ranking/", views.composite_ranking, name="composite"),
    path("rounds/<int:pk>/list/", views.list_page, name="list"),
    path("rounds/<int:pk>/list/toggle/", views.list_toggle, name="list_toggle"),
    path("rounds/<int:pk>/list/propose/", views.list_propose, name="list_propose"),
]
