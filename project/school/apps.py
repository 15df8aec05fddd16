from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "project.school"
    verbose_name = "School"
