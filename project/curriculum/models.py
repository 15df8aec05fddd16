"""What each subject teaches, year by year and lesson by lesson."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from project.school.models import GRADE_LEVEL_VALIDATORS, AcademicYear, Subject


class Syllabus(models.Model):
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="syllabuses"
    )
    year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="syllabuses"
    )
    grade_level = models.PositiveSmallIntegerField(validators=GRADE_LEVEL_VALIDATORS)
    title = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "syllabuses"
        ordering = ["subject__code", "grade_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "year", "grade_level"],
                name="curriculum_syllabus_unique_subject_year_grade",
            ),
        ]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    syllabus = models.ForeignKey(
        Syllabus, on_delete=models.CASCADE, related_name="lessons"
    )
    sequence = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    objectives = models.TextField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )

    class Meta:
        ordering = ["syllabus_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["syllabus", "sequence"],
                name="curriculum_lesson_unique_sequence",
            ),
        ]

    def __str__(self):
        return f"{self.sequence}. {self.title}"
