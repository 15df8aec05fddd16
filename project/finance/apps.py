from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "project.finance"
    verbose_name = "Finance"
