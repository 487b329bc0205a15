from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "apps.publicity"
    label = "publicity"
    verbose_name = "宣传"

    def ready(self):
        # The indicator of R-303 registers itself (apps/campaigns/indicators.py).
        from apps.publicity import measures  # noqa: F401
