from django.contrib import admin

from .models import Lesson, Syllabus


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0


@admin.register(Syllabus)
class SyllabusAdmin(admin.ModelAdmin):
    list_display = ("title", "subject", "year", "grade_level")
    list_filter = ("year", "grade_level", "subject__department")
    list_select_related = ("subject", "year")
    search_fields = ("title", "subject__code", "subject__name")
    autocomplete_fields = ("subject", "year")
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "syllabus", "sequence", "duration_minutes")
    list_filter = ("syllabus__year", "syllabus__subject")
    list_select_related = ("syllabus",)
    search_fields = ("title", "objectives", "syllabus__title")
    autocomplete_fields = ("syllabus",)
