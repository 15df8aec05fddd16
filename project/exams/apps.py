from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "project.exams"
    verbose_name = "Exams"
