"""The demo school schema: its database rules, its migrations and its admin."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from model_bakery import baker

from project.behavior.models import BehaviorCategory, StudentBehavior
from project.curriculum.models import Lesson, Syllabus
from project.exams.models import ExamResult
from project.finance.models import Invoice, Payment
from project.messaging.models import Participant
from project.resources.models import Booking, Equipment
from project.school.models import (
    AcademicYear,
    Attendance,
    Department,
    Enrollment,
    Guardian,
    GuardianLink,
    SchoolClass,
    Student,
    Subject,
    Teacher,
    Term,
    User,
)

PROJECT_APPS = [
    config.label
    for config in apps.get_app_configs()
    if config.name.startswith("project.")
]

# Values that satisfy every CheckConstraint; baker's own dates are all "now".
VALID_VALUES = {
    AcademicYear: {"starts_on": date(2024, 9, 1), "ends_on": date(2025, 7, 15)},
    Booking: {
        "starts_at": datetime(2025, 1, 6, 9, tzinfo=timezone.utc),
        "ends_at": datetime(2025, 1, 6, 10, tzinfo=timezone.utc),
    },
    Invoice: {"issued_on": date(2025, 1, 6), "due_on": date(2025, 2, 5)},
}

# Each unique rule, as the model and the fields that must not repeat together.
UNIQUE_RULES = [
    (User, ("username",)),
    (User, ("email",)),
    (AcademicYear, ("name",)),
    (Term, ("year", "number")),
    (Department, ("name",)),
    (Subject, ("code",)),
    (Teacher, ("user",)),
    (Student, ("user",)),
    (Student, ("admission_number",)),
    (Guardian, ("user",)),
    (GuardianLink, ("guardian", "student")),
    (SchoolClass, ("year", "name")),
    (Enrollment, ("student", "school_class")),
    (Attendance, ("student", "date")),
    (Participant, ("conversation", "user")),
    (Equipment, ("serial_number",)),
    (Syllabus, ("subject", "year", "grade_level")),
    (Lesson, ("syllabus", "sequence")),
    (BehaviorCategory, ("name",)),
    (StudentBehavior, ("incident", "student")),
    (ExamResult, ("exam", "student")),
    (Invoice, ("number",)),
    (Payment, ("reference",)),
]

# Each CheckConstraint, by name, with values of its model that break it.
CHECK_VIOLATIONS = [
    (
        "school_academicyear_ends_after_start",
        AcademicYear,
        {"ends_on": date(2024, 9, 1)},
    ),
    (
        "resources_booking_ends_after_start",
        Booking,
        {"ends_at": datetime(2025, 1, 6, 8, tzinfo=timezone.utc)},
    ),
    ("exams_examresult_score_not_negative", ExamResult, {"score": Decimal("-0.5")}),
    ("finance_invoice_due_not_before_issue", Invoice, {"due_on": date(2025, 1, 5)}),
]

for_each_registered_model = pytest.mark.parametrize(
    "model",
    sorted(admin.site._registry, key=lambda model: model._meta.label),
    ids=lambda model: model._meta.label,
)


def project_models():
    return [
        model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()
    ]


def valid_values(model, prefix=""):
    """Baker attributes that make `model`, and each parent it needs, pass the checks."""
    values = {
        prefix + name: value for name, value in VALID_VALUES.get(model, {}).items()
    }
    for field in model._meta.concrete_fields:
        if field.is_relation and not field.null and not field.primary_key:
            values.update(valid_values(field.related_model, f"{prefix}{field.name}__"))
    return values


def bake(model, **attrs):
    """Save a `model` row, and its required parents, that pass every database rule."""
    defaults = {
        key: value
        for key, value in valid_values(model).items()
        if key.split("__")[0] not in attrs
    }
    return baker.make(model, **defaults, **attrs)


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "fields"),
    UNIQUE_RULES,
    ids=[f"{model.__name__}.{'+'.join(fields)}" for model, fields in UNIQUE_RULES],
)
def test_database_rejects_a_repeated_unique_value(model, fields):
    """A second row repeating the values of a unique field or field set is refused."""
    first = bake(model)
    repeated = {name: getattr(first, name) for name in fields}
    with transaction.atomic(), pytest.raises(IntegrityError):
        bake(model, **repeated)


def test_every_unique_rule_is_specified():
    """UNIQUE_RULES lists every unique field and UniqueConstraint the models declare."""
    declared = set()
    for model in project_models():
        declared |= {
            (model, (field.name,))
            for field in model._meta.local_fields
            if field.unique and not field.primary_key
        }
        declared |= {
            (model, tuple(constraint.fields))
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
        }
    assert set(UNIQUE_RULES) == declared


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "model", "values"),
    CHECK_VIOLATIONS,
    ids=[name for name, _, _ in CHECK_VIOLATIONS],
)
def test_database_rejects_a_row_breaking_a_check_constraint(name, model, values):
    """A row whose values break a CheckConstraint is refused, naming that constraint."""
    with transaction.atomic(), pytest.raises(IntegrityError) as refused:
        bake(model, **values)
    assert name in str(refused.value)


def test_every_check_constraint_is_specified():
    """CHECK_VIOLATIONS breaks every CheckConstraint the models declare."""
    declared = {
        (constraint.name, model)
        for model in project_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    }
    assert {(name, model) for name, model, _ in CHECK_VIOLATIONS} == declared


@pytest.mark.django_db
def test_migrations_match_the_models():
    """makemigrations --check finds no model change without its migration."""
    call_command("makemigrations", *PROJECT_APPS, check=True, dry_run=True, verbosity=0)


def test_system_checks_pass():
    """Django's system checks, the admin's among them, report no problem."""
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
@for_each_registered_model
def test_admin_changelist_answers_ok(admin_client, model):
    """The admin lists each registered model's rows."""
    bake(model)
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.django_db
@for_each_registered_model
def test_admin_add_page_answers_ok(admin_client, model):
    """The admin offers a form to add each registered model."""
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.django_db
@for_each_registered_model
def test_admin_change_page_answers_ok(admin_client, model):
    """The admin shows a saved row of each registered model for editing."""
    row = bake(model)
    assert admin_client.get(admin_url(model, "change", row.pk)).status_code == 200
