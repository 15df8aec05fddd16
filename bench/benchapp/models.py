"""
A school-shaped schema for the seed benchmark: people, students and teachers,
terms and classes, enrollments, exams and results, invoices with their lines
and payments. Foreign keys, one-to-one keys, unique fields, unique pairs,
choices, decimals, dates and a UUID key, and no seeds module, so that every
method under comparison fills the same tables with the same row counts.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

GRADE_LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class Person(models.Model):
    username = models.CharField(max_length=150, unique=True)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    date_joined = models.DateTimeField()
    is_active = models.BooleanField(default=True)


class Department(models.Model):
    name = models.CharField(max_length=100, unique=True)


class Teacher(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    hired_on = models.DateField()


class Student(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE)
    admission_number = models.CharField(max_length=20, unique=True)
    date_of_birth = models.DateField()
    grade_level = models.PositiveSmallIntegerField(validators=GRADE_LEVEL_VALIDATORS)


class Term(models.Model):
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        unique_together = [("year", "number")]


class SchoolClass(models.Model):
    name = models.CharField(max_length=20)
    grade_level = models.PositiveSmallIntegerField(validators=GRADE_LEVEL_VALIDATORS)
    term = models.ForeignKey(Term, on_delete=models.PROTECT)
    form_teacher = models.ForeignKey(
        Teacher, on_delete=models.SET_NULL, null=True, blank=True
    )


class Enrollment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE)
    enrolled_on = models.DateField()

    class Meta:
        unique_together = [("student", "school_class")]


class Exam(models.Model):
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    max_score = models.PositiveSmallIntegerField(default=100)


class ExamResult(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE)
    student = models.ForeignKey(Student, on_delete=models.CASCADE)
    score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        unique_together = [("exam", "student")]


class Invoice(models.Model):
    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        PARTLY_PAID = "partly_paid", "Partly paid"
        UNPAID = "unpaid", "Unpaid"
        OVERDUE = "overdue", "Overdue"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=20, unique=True)
    student = models.ForeignKey(Student, on_delete=models.PROTECT)
    issued_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    total = models.DecimalField(max_digits=10, decimal_places=2)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CHEQUE = "cheque", "Cheque"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=16, choices=Method.choices)
    paid_at = models.DateTimeField()
    reference = models.CharField(max_length=64, unique=True)
