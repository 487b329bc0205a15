from apps.cases.urls_attachments import urlpatterns as attachment_urls
from apps.cases.urls_cases import urlpatterns as case_urls
from apps.cases.urls_lists import urlpatterns as list_urls

app_name = "cases"
urlpatterns = [*list_urls, *case_urls, *attachment_urls]
