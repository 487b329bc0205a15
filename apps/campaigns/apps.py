from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"
    label = "campaigns"

    def ready(self):
        # Home-page to-do providers register themselves on import (apps/core/todos.py).
        from apps.campaigns import todos  # noqa: F401  programme deadlines, work rules, project lead

        try:
            from apps.campaigns import notice_todos  # noqa: F401  notices to forward / acknowledge (R-102)
        except ModuleNotFoundError as exc:  # not written yet; a broken import inside it must still fail
            if exc.name != "apps.campaigns.notice_todos":
                raise
