from django.contrib import admin

from .models import Conversation, Message, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at")
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("user", "conversation", "joined_at", "last_read_at")
    list_select_related = ("user", "conversation")
    search_fields = ("user__username", "user__last_name", "conversation__subject")
    autocomplete_fields = ("conversation", "user")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "conversation", "sent_at")
    list_select_related = ("sender", "conversation")
    search_fields = ("body", "sender__username", "conversation__subject")
    date_hierarchy = "sent_at"
    autocomplete_fields = ("conversation", "sender")
    raw_id_fields = ("reply_to",)
