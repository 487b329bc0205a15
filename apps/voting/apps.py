from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "apps.voting"
    label = "voting"
