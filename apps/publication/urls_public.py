"""The public topic page (活动专栏, mounted at /topic/): no log-in; only what the centre approved."""

from django.urls import path

from apps.publication import views
from apps.publication.feeds import TopicFeed

app_name = "topic"
urlpatterns = [
    path("", views.topic_home, name="home"),
    path("items/<int:pk>/", views.topic_item, name="item"),
    path("media/<int:pk>/<int:n>/", views.topic_media, name="media"),
    path("feed.atom", TopicFeed(), name="feed"),
    path("export.json", views.topic_export, name="export"),
]
