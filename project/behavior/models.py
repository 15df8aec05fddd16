"""Incidents, good and bad, and the students involved in them."""

from django.db import models

from project.school.models import Student, Teacher


class BehaviorCategory(models.Model):
    class Kind(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    default_points = models.SmallIntegerField()

    class Meta:
        verbose_name_plural = "behavior categories"
        ordering = ["name"]

    def __str__(self):
        return self.name


class BehaviorIncident(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    reported_by = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="reported_incidents"
    )
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=100)
    description = models.TextField()
    severity = models.CharField(max_length=8, choices=Severity.choices)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return (
            f"{self.get_severity_display()} incident, {self.occurred_at:%Y-%m-%d %H:%M}"
        )


class StudentBehavior(models.Model):
    incident = models.ForeignKey(
        BehaviorIncident, on_delete=models.CASCADE, related_name="involvements"
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="behavior_records"
    )
    category = models.ForeignKey(
        BehaviorCategory, on_delete=models.PROTECT, related_name="behavior_records"
    )
    points = models.SmallIntegerField()
    action_taken = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "student"],
                name="behavior_studentbehavior_unique_pair",
            ),
        ]

    def __str__(self):
        return f"{self.student}: {self.category} ({self.points:+d})"
