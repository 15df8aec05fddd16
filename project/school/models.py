"""People, years and classes: the core of the demo school."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

GRADE_LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class User(AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        TEACHER = "teacher", "Teacher"
        STUDENT = "student", "Student"
        GUARDIAN = "guardian", "Guardian"
        STAFF = "staff", "Staff"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    email = models.EmailField("email address", unique=True)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username


class AcademicYear(models.Model):
    name = models.CharField(max_length=32, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="school_academicyear_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name


class Term(models.Model):
    year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["year__starts_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], name="school_term_unique_number_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year} term {self.number}"


class Department(models.Model):
    name = models.CharField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    # Teacher.department points back here: the two tables form a cycle,
    # which this nullable side breaks.
    head = models.ForeignKey(
        "Teacher",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subject(models.Model):
    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="subjects"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Teacher(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="teacher")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teachers"
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="teachers")
    hired_on = models.DateField()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return str(self.user)


class Student(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="student")
    admission_number = models.CharField(max_length=20, unique=True)
    date_of_birth = models.DateField()
    grade_level = models.PositiveSmallIntegerField(validators=GRADE_LEVEL_VALIDATORS)

    class Meta:
        ordering = ["admission_number"]

    def __str__(self):
        return f"{self.user} ({self.admission_number})"


class Guardian(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="guardian")
    phone = models.CharField(max_length=32)
    students = models.ManyToManyField(
        Student, through="GuardianLink", related_name="guardians"
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return str(self.user)


class GuardianLink(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        LEGAL_GUARDIAN = "legal_guardian", "Legal guardian"

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="student_links"
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="guardian_links"
    )
    relationship = models.CharField(max_length=16, choices=Relationship.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "student"], name="school_guardianlink_unique_pair"
            ),
        ]

    def __str__(self):
        relationship = self.get_relationship_display().lower()
        return f"{self.guardian}, {relationship} of {self.student}"


class SchoolClass(models.Model):
    name = models.CharField(max_length=20)
    grade_level = models.PositiveSmallIntegerField(validators=GRADE_LEVEL_VALIDATORS)
    year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="classes"
    )
    form_teacher = models.ForeignKey(
        Teacher,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_classes",
    )

    class Meta:
        verbose_name = "class"
        verbose_name_plural = "classes"
        ordering = ["-year__starts_on", "grade_level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"], name="school_schoolclass_unique_name_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class Enrollment(models.Model):
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="enrollments"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_on = models.DateField()

    class Meta:
        ordering = ["-enrolled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_class"], name="school_enrollment_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.student} in {self.school_class}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        LATE = "late", "Late"
        EXCUSED = "excused", "Excused"

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="attendances"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="attendances"
    )
    date = models.DateField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PRESENT
    )

    class Meta:
        verbose_name = "attendance record"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "date"], name="school_attendance_unique_student_day"
            ),
        ]

    def __str__(self):
        return f"{self.student} on {self.date}: {self.get_status_display()}"
