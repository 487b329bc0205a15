from django.urls import path

from apps.cases import attachment_views as views

urlpatterns = [
    path("<int:case_pk>/attachments/", views.attachment_list, name="attachment_list"),
    path("<int:case_pk>/attachments/upload/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("attachments/<int:pk>/file/", views.attachment_file, name="attachment_file"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumb, name="attachment_thumb"),
]
