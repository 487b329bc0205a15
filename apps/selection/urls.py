from django.urls import path

from apps.selection import views, views_lock

app_name = "selection"
urlpatterns = [
    path("rounds/<int:pk>/ranking/", views.composite_ranking, name="composite"),
    path("rounds/<int:pk>/list/", views.list_page, name="list"),
    path("rounds/<int:pk>/list/toggle/", views.list_toggle, name="list_toggle"),
    path("rounds/<int:pk>/list/propose/", views.list_propose, name="list_propose"),
    path("rounds/<int:pk>/list/adopt/", views.list_adopt, name="list_adopt"),
    path("rounds/<int:pk>/list/pin/", views.list_pin, name="list_pin"),
    path("rounds/<int:pk>/list/unpin/", views.list_unpin, name="list_unpin"),
    path("rounds/<int:pk>/national/", views.national_configure, name="national_configure"),
    path("rounds/<int:pk>/list/lock/", views_lock.list_lock, name="list_lock"),
    path("rounds/<int:pk>/list/unlock/", views_lock.list_unlock, name="list_unlock"),
    path("rounds/<int:pk>/list/send/", views_lock.list_send, name="list_send"),
    path("rounds/<int:pk>/publicity/", views_lock.publicity, name="publicity"),
    path("objections/<int:pk>/answer/", views_lock.objection_answer, name="objection_answer"),
    path("locked/<int:pk>/result.json", views_lock.result_json, name="result_json"),
    path("locked/<int:pk>/result.csv", views_lock.result_csv, name="result_csv"),
]
