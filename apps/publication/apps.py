from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "apps.publication"
    label = "publication"
    verbose_name = "发布"

    def ready(self):
        # What a province sends for publication goes to the centre through the approvals.
        from apps.approvals.kinds import register
        from apps.publication.approvals import PUBLICATION

        register(PUBLICATION)
        # The brand project's publishing on the topic page.
        import apps.publication.measures  # noqa: F401
