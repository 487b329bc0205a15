from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "apps.selection"
    label = "selection"
