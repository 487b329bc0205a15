from django.urls import path

from apps.cases import views_lists

urlpatterns: list = [
    path("", views_lists.case_list, name="list"),
    path("export/", views_lists.case_list_export, name="list_export"),
    path("import/<str:code>/", views_lists.case_import_page, name="import"),
    path("import/<str:code>/template/", views_lists.case_import_template, name="import_template"),
]
