from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "project.resources"
    verbose_name = "Resources and bookings"
