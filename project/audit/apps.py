from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "project.audit"
    verbose_name = "Audit log"
