from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "进度与报告"

    def ready(self):
        # The home page leads with the units below (apps/core/home.py); the monthly report goes to the centre
        # through the approvals.
        from apps.approvals.kinds import register as register_kind
        from apps.core.home import register
        from apps.reports import measures  # noqa: F401 (R-403 registers itself)
        from apps.reports.approvals import FINAL_REPORT, MONTHLY_REPORT
        from apps.reports.dashboard import home_card
        from apps.reports.overview import home_section

        register(home_section)
        register(home_card)  # a province's own dashboard leads its home page
        register_kind(MONTHLY_REPORT)
        register_kind(FINAL_REPORT)
