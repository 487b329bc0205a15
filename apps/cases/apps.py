from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"

    def ready(self):
        # Home-page to-dos (apps/core/todos.py): an association's drafts and returned cases.
        from apps.cases.selectors import case_todos
        from apps.core.todos import register

        register(case_todos)
        # The indicator of R-106 (apps/campaigns/indicators.py).
        from apps.cases import measures  # noqa: F401
