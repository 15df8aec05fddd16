from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import (
    AcademicYear,
    Attendance,
    Department,
    Enrollment,
    Guardian,
    GuardianLink,
    SchoolClass,
    Student,
    Subject,
    Teacher,
    Term,
    User,
)


class SchoolUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role")


class SchoolUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = SchoolUserChangeForm
    add_form = SchoolUserCreationForm
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("School", {"fields": ("role", "date_of_birth")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff")
    list_filter = ("role", *BaseUserAdmin.list_filter)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_current")
    list_filter = ("is_current",)
    search_fields = ("name",)
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "number", "starts_on", "ends_on")
    list_filter = ("year",)
    list_select_related = ("year",)
    search_fields = ("year__name",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "head")
    list_select_related = ("parent", "head__user")
    search_fields = ("name",)
    autocomplete_fields = ("parent", "head")


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department")
    list_filter = ("department",)
    list_select_related = ("department",)
    search_fields = ("code", "name")


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ("__str__", "department", "hired_on")
    list_filter = ("department",)
    list_select_related = ("user", "department")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    autocomplete_fields = ("user", "department")
    filter_horizontal = ("subjects",)


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ("admission_number", "__str__", "grade_level", "date_of_birth")
    list_filter = ("grade_level",)
    list_select_related = ("user",)
    search_fields = (
        "admission_number",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    autocomplete_fields = ("user",)


class GuardianLinkInline(admin.TabularInline):
    model = GuardianLink
    extra = 0
    autocomplete_fields = ("student",)


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phone")
    list_select_related = ("user",)
    search_fields = ("user__first_name", "user__last_name", "user__email", "phone")
    autocomplete_fields = ("user",)
    inlines = [GuardianLinkInline]


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    list_display = ("guardian", "student", "relationship")
    list_filter = ("relationship",)
    list_select_related = ("guardian__user", "student__user")
    search_fields = (
        "guardian__user__last_name",
        "student__admission_number",
        "student__user__last_name",
    )
    autocomplete_fields = ("guardian", "student")


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("name", "grade_level", "year", "form_teacher")
    list_filter = ("year", "grade_level")
    list_select_related = ("year", "form_teacher__user")
    search_fields = ("name", "year__name")
    autocomplete_fields = ("form_teacher",)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("student", "school_class", "enrolled_on")
    list_filter = ("school_class__year",)
    list_select_related = ("student__user", "school_class__year")
    search_fields = (
        "student__admission_number",
        "student__user__last_name",
        "school_class__name",
    )
    autocomplete_fields = ("student", "school_class")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("date", "student", "school_class", "status")
    list_filter = ("status",)
    list_select_related = ("student__user", "school_class__year")
    search_fields = ("student__admission_number", "student__user__last_name")
    autocomplete_fields = ("student", "school_class")
    date_hierarchy = "date"
