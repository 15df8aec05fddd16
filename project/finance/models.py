"""School fees: invoices, their lines, and the payments made against them."""

import uuid

from django.db import models

from project.school.models import Student


class Invoice(models.Model):
    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        PARTLY_PAID = "partly_paid", "Partly paid"
        UNPAID = "unpaid", "Unpaid"
        OVERDUE = "overdue", "Overdue"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=20, unique=True)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="invoices"
    )
    issued_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UNPAID
    )
    total = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("issued_on")),
                name="finance_invoice_due_not_before_issue",
            ),
        ]

    def __str__(self):
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description

    @property
    def amount(self):
        return self.quantity * self.unit_price


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CHEQUE = "cheque", "Cheque"

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="payments"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=16, choices=Method.choices)
    paid_at = models.DateTimeField()
    reference = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-paid_at"]

    def __str__(self):
        return f"{self.reference}: {self.amount}"
