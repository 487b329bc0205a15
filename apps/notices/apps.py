from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "apps.notices"
    label = "notices"
    verbose_name = "通知"

    def ready(self):
        # Home-page to-do providers register themselves on import (apps/core/todos.py).
        from apps.notices import todos  # noqa: F401  notices to forward / acknowledge (R-102)
