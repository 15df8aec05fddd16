"""
Reading the school's rows back, for the seeds and checks of every app: keys
in batches a query may take, the classes this run's students are in, and the
distinct values of a column that meet a condition.
"""

from collections import defaultdict

from django.db import connections
from django.db.models import Min

from .models import SchoolClass, Student

def key_batches(using, keys):
    """
    ``keys`` in lists that a lookup such as pk__in may take on ``using``: the
    database may limit a query's parameters (SQLite), and QuerySet.in_bulk()
    splits its keys the same way.
    """
    size = connections[using].features.max_query_params or len(keys) or 1
    return [keys[start : start + size] for start in range(0, len(keys), size)]


def current_classes(ctx):
    """
    {student: (class, enrolled on)} for the current year, from this run's
    Student and SchoolClass rows alone: a grade's students, in order of
    admission number, are dealt to its classes in turn. Seeds that cannot
    wait for the Enrollment rows read the classes from here.
    """
    classes = defaultdict(list)
    starts_on = None
    current = sorted(
        ctx.new_rows(
            SchoolClass, "grade_level", "name", "pk", "year__starts_on",
            year__is_current=True,
        )
    )
    for grade, _, pk, starts_on in current:
        classes[grade].append(pk)
    placed, dealt = {}, defaultdict(int)
    students = sorted(
        ctx.new_rows(Student, "admission_number", "pk", "grade_level", "user__date_joined")
    )
    for _, pk, grade, joined in students:
        if classes[grade]:
            school_class = classes[grade][dealt[grade] % len(classes[grade])]
            dealt[grade] += 1
            placed[pk] = (school_class, max(starts_on, joined.date()))
    return placed


def values_where(rows, field, condition):
    """
    The distinct values of ``field`` among ``rows`` for which ``condition``
    holds of ``value``, as a subquery.

    The condition is tested once per distinct value rather than once per
    row: a weekday or a time of day is worked out in Python on SQLite, and
    a few dates or timetable moments recur in many rows. As an aggregate,
    the value lands in HAVING, after the grouping.
    """
    return (
        rows.order_by()
        .values(field)
        .alias(value=Min(field))
        .filter(condition)
        .values(field)
    )
