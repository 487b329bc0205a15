from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "apps.finance"
    label = "finance"
    verbose_name = "经费"

    def ready(self):
        # The budget and its adjustments go to the centre through the approvals; the
        # indicators register themselves (apps/campaigns/indicators.py).
        from apps.approvals.kinds import register
        from apps.finance import measures  # noqa: F401
        from apps.finance.approvals import BUDGET

        register(BUDGET)
