from django.contrib import admin

from .models import Booking, Equipment, Resource, Room


class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "location", "created_at")
    list_filter = ("location",)
    search_fields = ("name", "location")


admin.site.register(Resource, ResourceAdmin)


@admin.register(Room)
class RoomAdmin(ResourceAdmin):
    list_display = ("name", "location", "capacity")


@admin.register(Equipment)
class EquipmentAdmin(ResourceAdmin):
    list_display = ("name", "location", "serial_number")
    search_fields = (*ResourceAdmin.search_fields, "serial_number")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("resource", "booked_by", "starts_at", "ends_at", "purpose")
    list_filter = ("resource__location",)
    list_select_related = ("resource", "booked_by")
    search_fields = ("resource__name", "booked_by__username", "purpose")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("resource", "booked_by")
