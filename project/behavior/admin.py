from django.contrib import admin

from .models import BehaviorCategory, BehaviorIncident, StudentBehavior


@admin.register(BehaviorCategory)
class BehaviorCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "default_points")
    list_filter = ("kind",)
    search_fields = ("name",)


class StudentBehaviorInline(admin.TabularInline):
    model = StudentBehavior
    extra = 0
    autocomplete_fields = ("student", "category")


@admin.register(BehaviorIncident)
class BehaviorIncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "severity", "location", "reported_by")
    list_filter = ("severity",)
    list_select_related = ("reported_by__user",)
    search_fields = ("description", "location", "reported_by__user__last_name")
    date_hierarchy = "occurred_at"
    autocomplete_fields = ("reported_by",)
    inlines = [StudentBehaviorInline]


@admin.register(StudentBehavior)
class StudentBehaviorAdmin(admin.ModelAdmin):
    list_display = ("student", "category", "points", "incident", "action_taken")
    list_filter = ("category__kind", "category")
    list_select_related = ("student__user", "category", "incident")
    search_fields = (
        "student__admission_number",
        "student__user__last_name",
        "action_taken",
    )
    autocomplete_fields = ("incident", "student", "category")
