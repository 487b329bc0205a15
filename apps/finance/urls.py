from django.urls import path

from apps.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:programme_id>/", views.ledger, name="ledger"),
    path("<int:programme_id>/budget/", views.budget, name="budget"),
    path("<int:programme_id>/expenses/new/", views.expense_new, name="expense_new"),
    path("<int:programme_id>/statement.xlsx", views.statement, name="statement"),
    path("expenses/<int:pk>/", views.expense_detail, name="expense_detail"),
    path("expenses/<int:pk>/reverse/", views.expense_reverse, name="expense_reverse"),
    path("expenses/<int:pk>/clear/", views.risk_clear, name="risk_clear"),
    path("vouchers/<int:pk>/", views.voucher, name="voucher"),
]
