from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "apps.review"
    label = "review"
    verbose_name = "专家评审"

    def ready(self):
        # Home-page to-dos: score sheets to fill, rounds to assign (apps/core/todos.py).
        from apps.orgs.holdings import register
        from apps.review import todos  # noqa: F401
        from apps.review.selectors import expert_holdings

        # An expert profile and pool places are not granted by any org admin: none may reset such an account.
        register(expert_holdings)
