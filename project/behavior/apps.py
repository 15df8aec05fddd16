from django.apps import AppConfig


class BehaviorConfig(AppConfig):
    name = "project.behavior"
    verbose_name = "Behavior"
