from django.urls import path

from apps.exhibits import views

app_name = "exhibits"
urlpatterns = [
    path("", views.exhibit_list, name="exhibit_list"),
    path("new/", views.exhibit_new, name="exhibit_new"),
    path("<int:pk>/", views.exhibit_detail, name="exhibit_detail"),
    path("<int:pk>/edit/", views.exhibit_edit, name="exhibit_edit"),
    path("<int:pk>/shortlist/", views.exhibit_shortlist, name="exhibit_shortlist"),
    path("<int:pk>/decline/", views.exhibit_decline, name="exhibit_decline"),
    path("<int:pk>/photos/<int:photo_pk>/", views.exhibit_photo, name="exhibit_photo"),
]
