from django.urls import path

from apps.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("queue/", views.queue, name="queue"),
    path("published/", views.published_list, name="published"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take-down/", views.take_down, name="take_down"),
    path("<int:pk>/media/<int:n>/", views.media, name="media"),
    path("items/", views.items, name="items"),
    path("items/new/", views.item_edit, name="item_new"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/submit/", views.item_submit, name="item_submit"),
]
