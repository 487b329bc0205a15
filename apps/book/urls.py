from django.urls import path

from apps.book import views

app_name = "book"
urlpatterns = [
    path("", views.home, name="home"),
    path("builds/<int:pk>/progress/", views.progress, name="progress"),
    path("builds/<int:pk>/submit/", views.submit, name="submit"),
    path("builds/<int:pk>/<str:kind>/", views.build_file, name="file"),
]
