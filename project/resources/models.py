"""Rooms and equipment that staff can book."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Resource(models.Model):
    """Anything bookable; rooms and equipment extend it in tables of their own."""

    name = models.CharField(max_length=100)
    location = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Room(Resource):
    capacity = models.PositiveIntegerField()


class Equipment(Resource):
    serial_number = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "equipment"
        verbose_name_plural = "equipment"

    def __str__(self):
        return f"{self.name} ({self.serial_number})"


class Booking(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    purpose = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="resources_booking_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.resource}, {self.starts_at:%Y-%m-%d %H:%M}"
