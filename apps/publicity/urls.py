from django.urls import path

from apps.publicity import views

app_name = "publicity"
urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_add, name="report_add"),
    path("reports/<int:pk>/evidence/", views.report_evidence, name="report_evidence"),
    path("reports/<int:pk>/remove/", views.report_remove, name="report_remove"),
    path("plan/<int:programme_id>/", views.plan, name="plan"),
    path("videos/", views.video_list, name="video_list"),
    path("videos/<int:pk>/file/", views.video_file, name="video_file"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/cases/<int:case_id>/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/move/", views.story_move, name="story_move"),
    path("stories/<int:pk>/photo/", views.story_photo, name="story_photo"),
    path("collection/", views.collection, name="collection"),
    path("collection/<int:pk>/progress/", views.collection_progress, name="collection_progress"),
    path("collection/<int:pk>/<str:kind>/", views.collection_file, name="collection_file"),
]
