"""Conversations between users of the school."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator


class Conversation(models.Model):
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Participant", related_name="conversations"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_memberships",
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                name="messaging_participant_unique_pair",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.conversation}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages"
    )
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )

    class Meta:
        ordering = ["sent_at"]

    def __str__(self):
        return f"{self.sender}: {Truncator(self.body).chars(40)}"
