from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "project.messaging"
    verbose_name = "Messaging"
