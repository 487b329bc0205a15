from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "apps.rounds"
    label = "rounds"

    def ready(self):
        # Home-page to-dos: cases to screen, lists to send up (apps/core/todos.py).
        from apps.rounds import todos  # noqa: F401
