from django.contrib import admin

from .models import Exam, ExamResult


class ExamResultInline(admin.TabularInline):
    model = ExamResult
    extra = 0
    autocomplete_fields = ("student",)


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("title", "subject", "school_class", "term", "held_on", "max_score")
    list_filter = ("term__year", "subject")
    list_select_related = ("subject", "school_class__year", "term__year")
    search_fields = ("title", "subject__code", "school_class__name")
    date_hierarchy = "held_on"
    autocomplete_fields = ("subject", "school_class", "term")
    inlines = [ExamResultInline]


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    list_display = ("student", "exam", "score")
    list_filter = ("exam__subject",)
    list_select_related = ("student__user", "exam")
    search_fields = (
        "student__admission_number",
        "student__user__last_name",
        "exam__title",
    )
    autocomplete_fields = ("exam", "student")
