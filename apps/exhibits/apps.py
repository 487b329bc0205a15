from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "apps.exhibits"
    label = "exhibits"
    verbose_name = "展品"

    def ready(self):
        # The R-307 indicator registers itself (apps/campaigns/indicators.py); a shortlisted exhibit goes to the
        # centre, which decides in the approvals inbox (apps/approvals).
        from apps.approvals.kinds import register
        from apps.core import todos
        from apps.exhibits import measures  # noqa: F401
        from apps.exhibits.approvals import EXHIBIT
        from apps.exhibits.todos import exhibit_todos

        register(EXHIBIT)
        todos.register(exhibit_todos)
