from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "apps.notices"
    label = "notices"
    verbose_name = "通知"

    def ready(self):
        # Home-page to-do providers register themselves on import (apps/core/todos.py): notices to forward or
        # acknowledge; so does the indicator of R-102 (apps/campaigns/indicators.py).
        from apps.notices import measures, todos  # noqa: F401
