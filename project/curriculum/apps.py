from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "project.curriculum"
    verbose_name = "Curriculum"
