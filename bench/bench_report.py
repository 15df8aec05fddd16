"""
Time build_report() on a database holding about N rows of the demo school.

    DATABASE_URL=sqlite:////tmp/report.sqlite3 python bench/bench_report.py --rows 1000000

The database named by DATABASE_URL (default: the project's SQLite file) is
migrated and then EMPTIED with flush; use a throwaway one. Rows are written
with raw executemany, about ten per student: the user, the student, an
enrollment, four exam results, an invoice (UUID key) and two audit log rows
(generic keys to the student and to the invoice). The report then counts,
checks and draws all of them. Two figures are printed, each the best of
--repeat runs: the whole report, and the report without the seed modules'
domain checks (whose cost is theirs, not the report's).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connections, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from project.audit.models import AuditLog  # noqa: E402
from project.exams.models import Exam, ExamResult  # noqa: E402
from project.finance.models import Invoice  # noqa: E402
from project.school.models import (  # noqa: E402
    AcademicYear,
    Department,
    Enrollment,
    SchoolClass,
    Student,
    Subject,
    Term,
    User,
)
from seeding.conf import get_config  # noqa: E402
from seeding.registry import SeedRegistry  # noqa: E402
from seeding.report import build_report  # noqa: E402

ROWS_PER_STUDENT = 10
EXAMS_PER_CLASS = 4
STUDENTS_PER_CLASS = 30
BATCH = 10_000
NOW = datetime.datetime(2025, 1, 6, 9, tzinfo=datetime.UTC)


def insert(using, model, rows):
    """Insert dicts of attname -> value with executemany, in batches."""
    connection = connections[using]
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [f.get_db_prep_save(row.get(f.attname), connection) for f in fields]
            )
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def fill(using, total):
    students = max(STUDENTS_PER_CLASS, total // ROWS_PER_STUDENT)
    classes = -(-students // STUDENTS_PER_CLASS)
    day = datetime.date(2024, 9, 2)
    invoices = [uuid.UUID(int=n + 1) for n in range(students)]
    student_type = ContentType.objects.db_manager(using).get_for_model(Student)
    invoice_type = ContentType.objects.db_manager(using).get_for_model(Invoice)
    with transaction.atomic(using=using):
        insert(
            using,
            AcademicYear,
            [
                {
                    "id": 1,
                    "name": "2024-2025",
                    "is_current": True,
                    "starts_on": datetime.date(2024, 9, 1),
                    "ends_on": datetime.date(2025, 7, 15),
                }
            ],
        )
        insert(
            using,
            Term,
            [
                {
                    "id": 1,
                    "year_id": 1,
                    "number": 1,
                    "starts_on": datetime.date(2024, 9, 1),
                    "ends_on": datetime.date(2024, 12, 20),
                }
            ],
        )
        insert(using, Department, [{"id": 1, "name": "Sciences"}])
        insert(
            using,
            Subject,
            [{"id": 1, "code": "MAT", "name": "Maths", "department_id": 1}],
        )
        insert(
            using,
            SchoolClass,
            (
                {
                    "id": c,
                    "name": f"C{c}",
                    "grade_level": 1 + c % 12,
                    "year_id": 1,
                }
                for c in range(1, classes + 1)
            ),
        )
        insert(
            using,
            Exam,
            (
                {
                    "id": e,
                    "subject_id": 1,
                    "term_id": 1,
                    "title": f"Exam {e}",
                    "school_class_id": 1 + (e - 1) // EXAMS_PER_CLASS,
                    "held_on": day,
                    "max_score": 100,
                }
                for e in range(1, classes * EXAMS_PER_CLASS + 1)
            ),
        )
        insert(
            using,
            User,
            (
                {
                    "id": s,
                    "password": "!",
                    "username": f"user{s}",
                    "email": f"user{s}@example.com",
                    "first_name": "Ada",
                    "last_name": f"Student{s}",
                    "is_superuser": False,
                    "is_staff": False,
                    "is_active": True,
                    "date_joined": NOW,
                    "role": "student",
                }
                for s in range(1, students + 1)
            ),
        )
        insert(
            using,
            Student,
            (
                {
                    "id": s,
                    "user_id": s,
                    "admission_number": f"A{s:08}",
                    "date_of_birth": datetime.date(2012, 1, 1),
                    "grade_level": 6,
                }
                for s in range(1, students + 1)
            ),
        )
        insert(
            using,
            Enrollment,
            (
                {
                    "id": s,
                    "student_id": s,
                    "enrolled_on": day,
                    "school_class_id": 1 + (s - 1) // STUDENTS_PER_CLASS,
                }
                for s in range(1, students + 1)
            ),
        )
        insert(
            using,
            ExamResult,
            (
                {
                    "id": (s - 1) * EXAMS_PER_CLASS + n + 1,
                    "student_id": s,
                    "exam_id": ((s - 1) // STUDENTS_PER_CLASS) * EXAMS_PER_CLASS
                    + n
                    + 1,
                    "score": Decimal(40 + (s * 7 + n) % 60),
                }
                for s in range(1, students + 1)
                for n in range(EXAMS_PER_CLASS)
            ),
        )
        insert(
            using,
            Invoice,
            (
                {
                    "id": invoices[s - 1],
                    "number": f"INV-{s:08}",
                    "student_id": s,
                    "issued_on": day,
                    "due_on": day + datetime.timedelta(days=30),
                    "status": "unpaid",
                    "total": Decimal("250.00"),
                }
                for s in range(1, students + 1)
            ),
        )
        insert(
            using,
            AuditLog,
            (
                {
                    "id": n + 1,
                    "action": "view",
                    "changes": {},
                    "created_at": NOW,
                    "content_type_id": (
                        student_type if n % 2 == 0 else invoice_type
                    ).pk,
                    "object_id": (
                        str(n // 2 + 1) if n % 2 == 0 else str(invoices[n // 2])
                    ),
                }
                for n in range(2 * students)
            ),
        )
        models = [
            AcademicYear,
            Term,
            Department,
            Subject,
            SchoolClass,
            Exam,
            User,
            Student,
            Enrollment,
            ExamResult,
            AuditLog,
        ]
        with connections[using].cursor() as cursor:
            for sql in connections[using].ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return students


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=100_000, help="about this many rows in all"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="time the report this many times"
    )
    parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
    args = parser.parse_args()
    using = args.database
    connection = connections[using]

    call_command("migrate", database=using, interactive=False, verbosity=0)
    call_command("flush", database=using, interactive=False, verbosity=0)
    started = time.perf_counter()
    students = fill(using, args.rows)
    filled = time.perf_counter() - started

    config = get_config()
    print(f"database      {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"rows          {args.rows:,} asked, {students:,} students, filled in {filled:.1f} s"
    )
    for title, registry in (("build_report", None), ("without checks", SeedRegistry())):
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                report = build_report(using, config, registry=registry)
                timings.append(time.perf_counter() - started)
        print(
            f"{title:<14}{min(timings):6.2f} s best, {statistics.median(timings):.2f} s "
            f"median of {len(timings)}; {len(queries)} queries, {report.rows:,} rows"
        )
        failing = sum(c.problem for c in report.checks)
        print(
            f"{'':<14}{report.integrity.problems} integrity problem(s); {failing} of "
            f"{len(report.checks)} domain checks fail (the bench's rows ignore them)"
        )


if __name__ == "__main__":
    main()
