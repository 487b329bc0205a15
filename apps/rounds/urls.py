from django.urls import path

from apps.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/move/", views.round_move, name="round_move"),
    path("<int:pk>/report/", views.round_report, name="round_report"),
    path("<int:pk>/deadline/", views.round_deadline, name="round_deadline"),
    path("<int:pk>/bulk/", views.round_bulk, name="round_bulk"),
    path("<int:pk>/similar/<int:a>/<int:b>/", views.similar_pair_view, name="similar_pair"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
]
