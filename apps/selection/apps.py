from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "apps.selection"
    label = "selection"
    verbose_name = "遴选"

    def ready(self):
        # Home-page to-dos: lists to lock, objections to answer, lists to send (apps/core/todos.py).
        # So do the indicators of and R-110 (apps/campaigns/indicators.py).
        from apps.selection import measures, todos  # noqa: F401
