from django.contrib import admin

from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor",
        "action",
        "content_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("object_id", "actor__username", "ip_address")
    date_hierarchy = "created_at"
    autocomplete_fields = ("actor",)
