from django.urls import path

from apps.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/submit/", views.event_submit, name="event_submit"),
    path("<int:pk>/held/", views.event_held, name="event_held"),
    path("<int:pk>/report/", views.event_report, name="event_report"),
    path("<int:pk>/files/", views.event_file_add, name="event_file_add"),
    path("files/<int:pk>/", views.event_file, name="event_file"),
    path("files/<int:pk>/remove/", views.event_file_remove, name="event_file_remove"),
    path("team/", views.team, name="team"),
    path("team/cases/<int:case_id>/presenter/", views.presenter_add, name="presenter_add"),
    path("presenters/<int:pk>/replace/", views.presenter_replace, name="presenter_replace"),
    path("presenters/<int:pk>/photo/", views.presenter_photo, name="presenter_photo"),
]
