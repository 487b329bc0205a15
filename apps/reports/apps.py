from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "进度与报告"

    def ready(self):
        # The home page leads with the units below (apps/core/home.py).
        from apps.core.home import register
        from apps.reports.overview import home_section

        register(home_section)
