from apps.campaigns.urls_programme import urlpatterns as programme_urls

app_name = "campaigns"
urlpatterns = [*programme_urls]
