from django.apps import AppConfig


class BrandConfig(AppConfig):
    name = "apps.brand"
    label = "brand"
    verbose_name = "品牌项目"

    def ready(self):
        # The indicators of register themselves for the brand programme (apps/campaigns/indicators.py);
        # the brand plan goes through the approvals.
        from apps.approvals.kinds import register
        from apps.brand import measures  # noqa: F401
        from apps.brand.approvals import BRAND_PLAN, DELIVERABLE

        register(BRAND_PLAN)
        register(DELIVERABLE)
