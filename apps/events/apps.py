from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"
    verbose_name = "宣讲活动"

    def ready(self):
        # An event's plan goes to the centre before the event (R-203, apps/approvals); the indicators of R-202,
        # register themselves (apps/campaigns/indicators.py).
        from apps.approvals.kinds import register
        from apps.events import measures  # noqa: F401
        from apps.events.approvals import EVENT_PLAN

        register(EVENT_PLAN)
