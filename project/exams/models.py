"""Exams sat by a class, and each student's result."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from project.school.models import SchoolClass, Student, Subject, Term


class Exam(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="exams")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="exams"
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="exams")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    max_score = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self):
        return self.title


class ExamResult(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="exam_results"
    )
    score = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["exam_id", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "student"], name="exams_examresult_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0),
                name="exams_examresult_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.student}: {self.score}"

    def clean(self):
        # The cap lives on the exam, so the database cannot check it.
        super().clean()
        if self.exam_id and self.score is not None and self.score > self.exam.max_score:
            raise ValidationError(
                {"score": f"The exam is out of {self.exam.max_score}."}
            )
