"""The notice pages (R-102), served under /campaigns/ (the paths they were born with) in the "notices" namespace."""

from django.urls import path

from apps.notices import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/cascade/", views.notice_cascade, name="notice_cascade"),
    path("notices/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("notices/deliveries/<int:pk>/forward/", views.delivery_forward, name="notice_delivery_forward"),
    path("notices/deliveries/<int:pk>/acknowledge/", views.delivery_acknowledge, name="notice_delivery_acknowledge"),
    path("notices/attachments/<int:pk>/", views.attachment_download, name="notice_attachment"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.message_read, name="message_read"),
]
