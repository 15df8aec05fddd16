from django.contrib import admin

from .models import Invoice, InvoiceLine, Payment


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "student", "issued_on", "due_on", "status", "total")
    list_filter = ("status",)
    list_select_related = ("student__user",)
    search_fields = ("number", "student__admission_number", "student__user__last_name")
    date_hierarchy = "issued_on"
    autocomplete_fields = ("student",)
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(InvoiceLine)
class InvoiceLineAdmin(admin.ModelAdmin):
    list_display = ("description", "invoice", "quantity", "unit_price", "amount")
    list_select_related = ("invoice",)
    search_fields = ("description", "invoice__number")
    autocomplete_fields = ("invoice",)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("reference", "invoice", "amount", "method", "paid_at")
    list_filter = ("method",)
    list_select_related = ("invoice",)
    search_fields = ("reference", "invoice__number")
    date_hierarchy = "paid_at"
    autocomplete_fields = ("invoice",)
