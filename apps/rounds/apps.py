from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "apps.rounds"
    label = "rounds"

    def ready(self):
        # Home-page to-dos: cases to screen, lists to send up (apps/core/todos.py).
        # Submitted cases enter the rounds; the case pages read the rounds' decisions (apps/cases/levels.py).
        from apps.cases.levels import register
        from apps.rounds import todos  # noqa: F401
        from apps.rounds.levels import RoundLevels

        register(RoundLevels())
        # The indicator of R-107 (apps/campaigns/indicators.py).
        from apps.rounds import measures  # noqa: F401
