from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"
    label = "campaigns"

    def ready(self):
        # Home-page to-do providers register themselves on import (apps/core/todos.py): programme deadlines,
        # work rules, project lead. The indicators of R-101 (work rules) and R-104 (quota table) register
        # themselves likewise (apps/campaigns/indicators.py).
        # A province's manual quota table takes effect once the centre approves it (R-104, apps/approvals).
        from apps.approvals.kinds import register
        from apps.campaigns import measures, todos  # noqa: F401
        from apps.campaigns.approvals import QUOTA_TABLE

        register(QUOTA_TABLE)
