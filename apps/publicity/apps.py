from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "apps.publicity"
    label = "publicity"
    verbose_name = "宣传"

    def ready(self):
        # The indicators of register themselves (apps/campaigns/indicators.py); a province's
        # publicity plan goes to the centre (apps/approvals).
        from apps.approvals.kinds import register
        from apps.publicity import measures  # noqa: F401
        from apps.publicity.approvals import PUBLICITY_PLAN

        register(PUBLICITY_PLAN)
