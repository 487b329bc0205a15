from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "apps.approvals"
    label = "approvals"
    verbose_name = "审核"

    def ready(self):
        # The home page lists what waits for the acting org's decision (apps/core/todos.py).
        from apps.approvals.todos import approval_todos
        from apps.core.todos import register

        register(approval_todos)
