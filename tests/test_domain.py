"""The demo school's seeded data keeps the rules of every app."""

import datetime
import io
import re
import statistics
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, F

import seeding
from project.audit import seeds as audit_seeds
from project.audit.models import AuditLog
from project.behavior import seeds as behavior_seeds
from project.behavior.models import BehaviorIncident, StudentBehavior
from project.curriculum import seeds as curriculum_seeds
from project.curriculum.models import Lesson, Syllabus
from project.exams import seeds as exams_seeds
from project.exams.models import Exam, ExamResult
from project.finance import seeds as finance_seeds
from project.finance.models import Invoice, InvoiceLine, Payment
from project.messaging import seeds as messaging_seeds
from project.messaging.models import Conversation, Message, Participant
from project.resources import seeds as resources_seeds
from project.resources.models import Booking, Equipment, Room
from project.school import reference
from project.school import seeds as school_seeds
from project.school.models import (
    AcademicYear,
    Attendance,
    Department,
    Enrollment,
    Guardian,
    GuardianLink,
    Student,
    Teacher,
    Term,
    User,
)

USING = DEFAULT_DB_ALIAS
SCALE = 0.25
SEED = (
    "seed", "--seed", "7", "--no-migrate", "--noinput", "--exclude", "corpus", "--exclude", "shapes"
)
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
TODAY = NOW.date()
PASSWORD = "correct-horse-battery-staple"
CHECK = seeding.CheckContext(USING, NOW)


@pytest.fixture(scope="class")
def school(django_db_setup, django_db_blocker):
    """The demo project seeded once per class; rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic(using=USING):
        seeding.seed(USING, seed=7, scale=SCALE, exclude=["corpus", "shapes"])
        yield USING
        transaction.set_rollback(True, using=USING)


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.usefixtures("school")
class TestSeededSchool:
    # Counts.

    def test_counts_follow_the_scale(self):
        """At --scale 0.25 the school has a quarter of its 400 students."""
        assert Student.objects.count() == round(400 * SCALE)
        assert Guardian.objects.count() >= Student.objects.count() // 2
        assert Teacher.objects.count() >= len(reference.DEPARTMENTS)
        assert Invoice.objects.count() >= 3 * Student.objects.count()

    def test_every_registered_check_passes(self):
        """No registered domain check finds an offending row."""
        checks = [
            c for c in seeding.registry.site.checks if c.module.startswith("project.")
        ]
        assert len(checks) >= 40
        failing = [c.name for c in checks if c.func(CHECK).exists()]
        assert failing == []

    # school

    def test_usernames_and_emails_follow_names(self):
        """A username is first.last (numbered for namesakes); the email its mailbox."""
        assert not school_seeds.user_names(CHECK).exists()
        users = list(
            User.objects.values_list("first_name", "last_name", "username", "email")
        )
        for first, last, username, email in users:
            base = re.escape(f"{first}.{last}".lower())
            assert re.fullmatch(rf"{base}([2-9]|[1-9]\d+)?", username)
            assert email == f"{username}@example-school.org"

    def test_usernames_and_emails_are_unique(self):
        """No two users share a username or an email address."""
        assert not school_seeds.unique_users(CHECK).exists()
        users = list(User.objects.values_list("username", "email"))
        assert len({u for u, _ in users}) == len({e for _, e in users}) == len(users)

    def test_roles_match_profiles(self):
        """Teachers, students and guardians have the profile of their role, no other."""
        assert not school_seeds.user_roles(CHECK).exists()
        for profile, role in [
            (Teacher, "teacher"),
            (Student, "student"),
            (Guardian, "guardian"),
        ]:
            assert set(profile.objects.values_list("user__role", flat=True)) == {role}
            assert profile.objects.count() == User.objects.filter(role=role).count()
        admins = User.objects.filter(role="admin")
        assert admins.exists() and all(u.is_superuser and u.is_staff for u in admins)
        assert not User.objects.filter(
            role__in=("student", "guardian"), is_staff=True
        ).exists()

    def test_students_age_fits_grade(self):
        """A student is grade + 5 or grade + 6 years old when the year starts."""
        assert not school_seeds.student_ages(CHECK).exists()
        start = datetime.date(2025, 9, 1)
        for born, grade in Student.objects.values_list("date_of_birth", "grade_level"):
            age = (
                start.year
                - born.year
                - ((start.month, start.day) < (born.month, born.day))
            )
            assert age - grade in (5, 6)
        assert set(Student.objects.values_list("grade_level", flat=True)) == set(
            range(1, 13)
        )

    def test_teachers_are_adults(self):
        """Every teacher was born at least 22 years ago."""
        assert not school_seeds.teacher_ages(CHECK).exists()
        latest = datetime.date(2004, 6, 1)
        births = Teacher.objects.values_list("user__date_of_birth", flat=True)
        assert all(born <= latest for born in births)

    def test_one_current_year(self):
        """Exactly one academic year is current: 2025/26, after two earlier ones."""
        assert not school_seeds.current_year(CHECK).exists()
        current = AcademicYear.objects.get(is_current=True)
        assert (current.starts_on, current.ends_on) == (
            datetime.date(2025, 9, 1),
            datetime.date(2026, 6, 30),
        )
        assert AcademicYear.objects.filter(starts_on__lt=current.starts_on).count() == 2

    def test_terms_lie_within_their_year(self):
        """Terms start and end inside their academic year."""
        assert not school_seeds.terms_in_year(CHECK).exists()
        for term in Term.objects.select_related("year"):
            assert (
                term.year.starts_on
                <= term.starts_on
                < term.ends_on
                <= term.year.ends_on
            )

    def test_each_student_in_one_current_class_of_his_grade(self):
        """Each student is enrolled in exactly one current class, of his own grade."""
        assert not school_seeds.one_current_class(CHECK).exists()
        current = Enrollment.objects.filter(school_class__year__is_current=True)
        placed = Counter(current.values_list("student", flat=True))
        assert set(placed) == set(Student.objects.values_list("pk", flat=True))
        assert set(placed.values()) == {1}
        assert not current.exclude(
            school_class__grade_level=F("student__grade_level")
        ).exists()

    def test_students_have_one_or_two_guardians(self):
        """Each student has one or two guardians, most of them two."""
        assert not school_seeds.student_guardians(CHECK).exists()
        links = Counter(GuardianLink.objects.values_list("student", flat=True))
        assert len(links) == Student.objects.count()
        assert set(links.values()) <= {1, 2}
        assert Counter(links.values())[2] > Counter(links.values())[1]

    def test_departments_form_shallow_tree(self):
        """Departments nest at most two levels deep, and some do nest."""
        assert not school_seeds.department_depth(CHECK).exists()
        departments = list(Department.objects.select_related("parent"))
        assert all(d.parent is None or d.parent.parent_id is None for d in departments)
        assert any(d.parent is not None for d in departments)

    def test_department_heads_teach_in_their_department(self):
        """Every department is headed by one of its own teachers."""
        assert not school_seeds.department_heads(CHECK).exists()
        for department in Department.objects.select_related("head"):
            assert department.head is not None
            assert department.head.department_id == department.pk

    def test_attendance_on_school_days_up_to_now(self):
        """Attendance is taken on weekdays of the class's year, before now."""
        assert not school_seeds.attendance_days(CHECK).exists()
        records = Attendance.objects.values_list(
            "date", "school_class__year__starts_on", "school_class__year__ends_on"
        )
        assert records
        for day, starts_on, ends_on in records:
            assert day.weekday() < 5
            assert starts_on <= day <= ends_on and day < TODAY

    def test_students_mostly_present(self):
        """Students are present or late on at least 85% of their school days."""
        assert not school_seeds.attendance_rate(CHECK).exists()
        statuses = Counter(Attendance.objects.values_list("status", flat=True))
        attended = statuses["present"] + statuses["late"]
        assert attended >= 0.85 * statuses.total()
        assert statuses["absent"] > 0

    # messaging

    def test_senders_take_part_in_conversation(self):
        """Every message is sent by a participant of its conversation."""
        assert not messaging_seeds.senders_take_part(CHECK).exists()
        members = set(Participant.objects.values_list("conversation", "user"))
        messages = list(Message.objects.values_list("conversation", "sender"))
        assert messages and all(m in members for m in messages)

    def test_messages_after_start_and_joining(self):
        """Messages are sent after the conversation starts and the sender joins."""
        assert not messaging_seeds.messages_after_joining(CHECK).exists()
        joined = {
            (c, u): at
            for c, u, at in Participant.objects.values_list(
                "conversation", "user", "joined_at"
            )
        }
        for conversation, sender, sent_at, started in Message.objects.values_list(
            "conversation", "sender", "sent_at", "conversation__created_at"
        ):
            assert started < sent_at <= NOW
            assert joined[conversation, sender] < sent_at

    def test_messages_in_time_order(self):
        """A conversation's messages were sent in the order they were written."""
        assert not messaging_seeds.messages_in_order(CHECK).exists()
        threads = defaultdict(list)
        for conversation, sent_at in Message.objects.order_by("pk").values_list(
            "conversation", "sent_at"
        ):
            threads[conversation].append(sent_at)
        assert all(times == sorted(times) for times in threads.values())

    def test_replies_answer_earlier_messages(self):
        """A reply answers an earlier message of the same conversation."""
        assert not messaging_seeds.replies_answer_earlier(CHECK).exists()
        replies = list(
            Message.objects.filter(reply_to__isnull=False).select_related("reply_to")
        )
        assert replies
        for reply in replies:
            assert reply.reply_to.conversation_id == reply.conversation_id
            assert reply.reply_to.sent_at < reply.sent_at

    def test_read_marks_between_joining_and_now(self):
        """A participant last read a conversation after joining it, and not later."""
        assert not messaging_seeds.read_marks(CHECK).exists()
        marks = list(
            Participant.objects.filter(last_read_at__isnull=False).values_list(
                "joined_at", "last_read_at"
            )
        )
        assert marks and all(joined <= read <= NOW for joined, read in marks)

    # resources

    def test_resources_have_plausible_names(self):
        """Rooms and equipment are named like "Room B12" or "Projector Epson EB-X51"."""
        assert not resources_seeds.resource_names(CHECK).exists()
        kinds = tuple(f"{kind} " for kind, _ in resources_seeds.EQUIPMENT_KINDS)
        assert all(
            name.startswith(kinds)
            for name in Equipment.objects.values_list("name", flat=True)
        )
        for name in Room.objects.values_list("name", flat=True):
            assert re.fullmatch(r"Room [A-Z]+\d\d|[A-Z][a-z]+( [A-Z][a-z]+)? \d+", name)
        assert Room.objects.filter(name__startswith="Room ").exists()

    def test_bookings_never_overlap(self):
        """Bookings of one resource never overlap."""
        assert not resources_seeds.bookings_overlap(CHECK).exists()
        last_end = {}
        for resource, starts_at, ends_at in Booking.objects.order_by(
            "resource", "starts_at"
        ).values_list("resource", "starts_at", "ends_at"):
            assert starts_at >= last_end.get(resource, starts_at)
            last_end[resource] = ends_at

    def test_bookings_in_school_hours(self):
        """Bookings end after they start, on weekdays between 08:00 and 17:00."""
        assert not resources_seeds.bookings_in_school_hours(CHECK).exists()
        bookings = list(Booking.objects.values_list("starts_at", "ends_at"))
        assert bookings
        for starts_at, ends_at in bookings:
            assert starts_at < ends_at and starts_at.date() == ends_at.date()
            assert starts_at.weekday() < 5
            assert datetime.time(
                8
            ) <= starts_at.time() and ends_at.time() <= datetime.time(17)

    # curriculum

    def test_one_syllabus_per_subject_and_grade(self):
        """Each subject has one syllabus for each grade it is taught in, this year."""
        assert not curriculum_seeds.syllabus_per_grade(CHECK).exists()
        found = Counter(
            Syllabus.objects.filter(year__is_current=True).values_list(
                "subject__code", "grade_level"
            )
        )
        expected = {
            (code, grade)
            for code, _, _, first, last in reference.SUBJECTS
            for grade in range(first, last + 1)
        }
        assert set(found) == expected and set(found.values()) == {1}

    def test_lessons_numbered_without_gaps(self):
        """A syllabus's lessons are numbered 1 to n."""
        assert not curriculum_seeds.lessons_numbered(CHECK).exists()
        numbers = defaultdict(list)
        for syllabus, sequence in Lesson.objects.values_list("syllabus", "sequence"):
            numbers[syllabus].append(sequence)
        assert set(numbers) == set(Syllabus.objects.values_list("pk", flat=True))
        assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())

    def test_lessons_read_like_lessons(self):
        """Lessons are titled by topic and say what students will be able to do."""
        assert not curriculum_seeds.lesson_objectives(CHECK).exists()
        topics = {
            t for topics in curriculum_seeds.TOPICS.values() for _, _, t, _ in topics
        }
        for title, objectives in Lesson.objects.values_list("title", "objectives"):
            assert title.split(":")[0] in topics or title == "Review and assessment"
            assert objectives.startswith("Students will") and objectives.endswith(".")

    # behavior

    def test_incidents_reported_by_teachers(self):
        """Incidents are reported by teachers, on school days before now."""
        assert not behavior_seeds.reported_by_teachers(CHECK).exists()
        incidents = list(
            BehaviorIncident.objects.values_list(
                "reported_by__user__role", "occurred_at"
            )
        )
        assert incidents
        assert all(
            role == "teacher" and at < NOW and at.weekday() < 5
            for role, at in incidents
        )

    def test_students_involved_are_enrolled(self):
        """The students involved in incidents are enrolled in the current year."""
        assert not behavior_seeds.involved_students_enrolled(CHECK).exists()
        enrolled = set(
            Enrollment.objects.filter(school_class__year__is_current=True).values_list(
                "student", flat=True
            )
        )
        involved = set(StudentBehavior.objects.values_list("student", flat=True))
        assert involved and involved <= enrolled

    def test_points_carry_category_sign(self):
        """Positive categories give points above 0, negative ones below."""
        assert not behavior_seeds.points_match_category(CHECK).exists()
        records = list(StudentBehavior.objects.values_list("category__kind", "points"))
        assert {kind for kind, _ in records} == {"positive", "negative"}
        assert all(
            (points > 0) == (kind == "positive") and points for kind, points in records
        )

    # audit

    def test_audit_targets_exist(self):
        """Every audit entry points at a row that exists."""
        assert not audit_seeds.targets_exist(CHECK).exists()
        entries = list(AuditLog.objects.select_related("content_type"))
        assert entries and all(entry.target is not None for entry in entries)

    def test_audit_actors_are_staff_or_teachers(self):
        """Audit entries are made by members of staff or teachers."""
        assert not audit_seeds.actors_are_staff(CHECK).exists()
        roles = set(AuditLog.objects.values_list("actor__role", flat=True))
        assert roles == {"staff", "teacher"}

    def test_audit_entries_in_time_order(self):
        """An audit entry's time never goes back from the entry before it."""
        assert not audit_seeds.entries_in_order(CHECK).exists()
        times = list(
            AuditLog.objects.order_by("pk").values_list("created_at", flat=True)
        )
        assert times == sorted(times) and times[-1] < NOW

    def test_audit_entries_after_their_target(self):
        """An entry about a message, conversation, resource or payment follows it."""
        assert not audit_seeds.entries_after_target(CHECK).exists()
        times = {
            Message: "sent_at",
            Conversation: "created_at",
            Room: "created_at",
            Equipment: "created_at",
            Payment: "paid_at",
            BehaviorIncident: "occurred_at",
        }
        checked = 0
        for entry in AuditLog.objects.select_related("content_type"):
            field = times.get(type(entry.target))
            if field:
                assert entry.created_at >= getattr(entry.target, field)
                checked += 1
        assert checked

    # exams

    def test_results_only_for_enrolled_students(self):
        """Only students enrolled in an exam's class have a result for it."""
        assert not exams_seeds.results_of_enrolled(CHECK).exists()
        enrolled = set(Enrollment.objects.values_list("school_class", "student"))
        results = list(ExamResult.objects.values_list("exam__school_class", "student"))
        assert results and all(r in enrolled for r in results)

    def test_one_result_per_student_and_exam(self):
        """A student has at most one result per exam."""
        assert not exams_seeds.one_result_per_exam(CHECK).exists()
        pairs = Counter(ExamResult.objects.values_list("exam", "student"))
        assert set(pairs.values()) == {1}

    def test_scores_within_max(self):
        """Scores lie between 0 and the exam's maximum."""
        assert not exams_seeds.scores_in_range(CHECK).exists()
        scores = ExamResult.objects.values_list("score", "exam__max_score")
        assert all(0 <= score <= top for score, top in scores)

    def test_scores_spread_believably(self):
        """Scores centre around 70% of the maximum, with a spread."""
        assert not exams_seeds.score_spread(CHECK).exists()
        shares = [
            float(score) / top
            for score, top in ExamResult.objects.values_list("score", "exam__max_score")
        ]
        assert 0.55 < statistics.mean(shares) < 0.8
        assert 0.08 < statistics.stdev(shares) < 0.25
        assert (
            Exam.objects.filter(results__isnull=False).distinct().count()
            == Exam.objects.count()
        )

    # finance

    def test_invoice_total_equals_lines(self):
        """An invoice's total is the sum of its lines' quantity x unit price."""
        assert not finance_seeds.invoice_totals(CHECK).exists()
        sums = defaultdict(Decimal)
        for invoice, quantity, price in InvoiceLine.objects.values_list(
            "invoice", "quantity", "unit_price"
        ):
            sums[invoice] += quantity * price
        totals = dict(Invoice.objects.values_list("pk", "total"))
        assert totals == sums

    def test_payments_never_exceed_total(self):
        """What is paid on an invoice never exceeds its total."""
        assert not finance_seeds.payments_within_total(CHECK).exists()
        paid = defaultdict(Decimal)
        for invoice, amount in Payment.objects.values_list("invoice", "amount"):
            paid[invoice] += amount
        totals = dict(Invoice.objects.values_list("pk", "total"))
        assert paid and all(
            amount <= totals[invoice] for invoice, amount in paid.items()
        )

    def test_status_agrees_with_payments_and_due_date(self):
        """The status follows from the payments and the due date."""
        assert not finance_seeds.invoice_status_agrees(CHECK).exists()
        paid = defaultdict(Decimal)
        for invoice, amount in Payment.objects.values_list("invoice", "amount"):
            paid[invoice] += amount
        for pk, total, status, due_on in Invoice.objects.values_list(
            "pk", "total", "status", "due_on"
        ):
            if paid[pk] == total:
                assert status == "paid"
            elif due_on < TODAY:
                assert status == "overdue"
            else:
                assert status == ("partly_paid" if paid[pk] else "unpaid")
        statuses = set(Invoice.objects.values_list("status", flat=True))
        assert statuses == {"paid", "partly_paid", "unpaid", "overdue"}

    def test_nothing_paid_before_issue(self):
        """No payment predates its invoice, and none lies in the future."""
        assert not finance_seeds.paid_after_issue(CHECK).exists()
        payments = list(Payment.objects.values_list("paid_at", "invoice__issued_on"))
        assert payments and all(
            issued <= paid.date() and paid < NOW for paid, issued in payments
        )

    def test_payment_references_unique(self):
        """No two payments share a reference."""
        assert not finance_seeds.unique_references(CHECK).exists()
        references = list(Payment.objects.values_list("reference", flat=True))
        assert len(set(references)) == len(references)


# One way to break each rule, to show that its check notices. Rules that a
# unique constraint already guards have none.


def first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def break_message_order():
    message = first(Message, reply_to__isnull=False)
    Message.objects.filter(pk=message.reply_to_id).update(
        sent_at=message.sent_at + datetime.timedelta(minutes=1)
    )


def break_booking_overlap():
    booking = first(Booking)
    other = first(Booking, resource=booking.resource_id, pk__gt=booking.pk)
    Booking.objects.filter(pk=other.pk).update(
        starts_at=booking.starts_at, ends_at=booking.ends_at
    )


def break_results_enrolment():
    result = first(ExamResult)
    outsider = Student.objects.exclude(grade_level=result.student.grade_level).first()
    ExamResult.objects.filter(pk=result.pk).update(student=outsider)


def break_score_spread():
    exam = Exam.objects.annotate(n=Count("results")).filter(n__gte=10).order_by("pk")[0]
    exam.results.update(score=1)


def break_incident_enrolment():
    record = first(StudentBehavior)
    Enrollment.objects.filter(student=record.student_id).delete()


BREAKS = {
    "user_names": lambda: User.objects.filter(pk=first(User).pk).update(username="x.y"),
    "user_roles": lambda: User.objects.filter(pk=first(Student).user_id).update(
        role="teacher"
    ),
    "student_ages": lambda: Student.objects.filter(grade_level=1).update(grade_level=9),
    "teacher_ages": lambda: User.objects.filter(role="teacher").update(
        date_of_birth=datetime.date(2010, 1, 1)
    ),
    "current_year": lambda: AcademicYear.objects.update(is_current=True),
    "terms_in_year": lambda: Term.objects.filter(number=3).update(
        ends_on=datetime.date(2026, 8, 1)
    ),
    "one_current_class": lambda: Enrollment.objects.filter(
        pk=first(Enrollment, school_class__year__is_current=True).pk
    ).delete(),
    "student_guardians": lambda: GuardianLink.objects.filter(
        student=first(Student)
    ).delete(),
    "department_depth": lambda: Department.objects.filter(name="Biology").update(
        parent=Department.objects.get(name="Chemistry")
    ),
    "department_heads": lambda: Department.objects.filter(name="Mathematics").update(
        head=first(Teacher, department__name="English")
    ),
    "attendance_days": lambda: Attendance.objects.filter(
        pk=first(Attendance).pk
    ).update(date=datetime.date(2026, 5, 30)),
    "attendance_rate": lambda: Attendance.objects.update(status="absent"),
    "senders_take_part": lambda: Participant.objects.filter(
        user=first(Message).sender_id, conversation=first(Message).conversation_id
    ).delete(),
    "messages_after_joining": lambda: Message.objects.filter(
        pk=first(Message).pk
    ).update(sent_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)),
    "messages_in_order": break_message_order,
    "replies_answer_earlier": lambda: Message.objects.filter(
        pk=first(Message, reply_to__isnull=False).reply_to_id
    ).update(reply_to=first(Message, reply_to__isnull=False)),
    "read_marks": lambda: Participant.objects.update(
        last_read_at=NOW + datetime.timedelta(days=1)
    ),
    "resource_names": lambda: Room.objects.filter(pk=first(Room).pk).update(
        name="Lorem ipsum"
    ),
    "bookings_overlap": break_booking_overlap,
    "bookings_in_school_hours": lambda: Booking.objects.filter(
        pk=first(Booking).pk
    ).update(starts_at=F("starts_at") - datetime.timedelta(hours=3)),
    "syllabus_per_grade": lambda: Syllabus.objects.filter(
        pk=first(Syllabus).pk
    ).delete(),
    "lessons_numbered": lambda: Lesson.objects.filter(sequence=1).delete(),
    "lesson_objectives": lambda: Lesson.objects.update(objectives="Lorem ipsum dolor."),
    "reported_by_teachers": lambda: BehaviorIncident.objects.update(
        occurred_at=NOW + datetime.timedelta(days=1)
    ),
    "involved_students_enrolled": break_incident_enrolment,
    "points_match_category": lambda: StudentBehavior.objects.update(points=0),
    "targets_exist": lambda: AuditLog.objects.filter(pk=first(AuditLog).pk).update(
        object_id="987654321"
    ),
    "entries_after_target": lambda: AuditLog.objects.update(
        created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    ),
    "actors_are_staff": lambda: AuditLog.objects.update(
        actor=first(User, role="student")
    ),
    "entries_in_order": lambda: AuditLog.objects.filter(pk=first(AuditLog).pk).update(
        created_at=NOW
    ),
    "exams_in_term": lambda: Exam.objects.update(held_on=datetime.date(2026, 8, 1)),
    "results_of_enrolled": break_results_enrolment,
    "scores_in_range": lambda: ExamResult.objects.update(score=999),
    "score_spread": break_score_spread,
    "invoice_totals": lambda: Invoice.objects.filter(pk=first(Invoice).pk).update(
        total=F("total") + 1
    ),
    "payments_within_total": lambda: Payment.objects.filter(
        pk=first(Payment).pk
    ).update(amount=99999),
    "invoice_status_agrees": lambda: Invoice.objects.update(status="unpaid"),
    "paid_after_issue": lambda: Payment.objects.update(
        paid_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    ),
}
GUARDED_BY_CONSTRAINTS = {"unique_users", "one_result_per_exam", "unique_references"}


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.usefixtures("school")
class TestChecksNoticeBrokenRules:
    def test_every_check_can_be_broken(self):
        """Each project check is either exercised below or guarded by the database."""
        names = {
            c.name
            for c in seeding.registry.site.checks
            if c.module.startswith("project.")
        }
        assert names == set(BREAKS) | GUARDED_BY_CONSTRAINTS

    @pytest.mark.parametrize("name", sorted(BREAKS))
    def test_check_reports_a_broken_rule(self, name):
        """A check that passed on the seeded data reports rows that break its rule."""
        check = next(c for c in seeding.registry.site.checks if c.name == name)
        assert not check.func(CHECK).exists()
        BREAKS[name]()
        assert check.func(CHECK).exists()


ACCOUNTS = {
    "superuser": lambda: User.objects.create_superuser("root", "root@example.com", PASSWORD),
    "superuser-without-email": lambda: User.objects.create_superuser("root", "", PASSWORD),
    "staff": lambda: User.objects.create_user("desk", "desk@example.com", is_staff=True),
}


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.usefixtures("school")
class TestAccountsThatAreNotSeededPeople:
    @pytest.mark.parametrize("account", sorted(ACCOUNTS))
    def test_the_user_checks_allow_an_account_made_outside_the_seed(self, account):
        """createsuperuser or seed --superuser adds accounts that are nobody
        the school seeded; the checks of seeded people leave them alone."""
        ACCOUNTS[account]()
        checks = [c for c in seeding.registry.site.checks if c.name.startswith("user_")]
        assert {c.name for c in checks} == {"user_names", "user_roles"}
        assert [c.name for c in checks if c.func(CHECK).exists()] == []


def snapshot():
    """What a run seeded, without the primary keys, which differ between runs."""
    return {
        "users": list(
            User.objects.order_by("username").values_list("username", "date_of_birth")
        ),
        "invoices": list(
            Invoice.objects.order_by("number").values_list("number", "total", "status")
        ),
        "messages": sorted(
            Message.objects.values_list("sender__username", "sent_at", "body")
        ),
        "results": sorted(
            ExamResult.objects.values_list("student__admission_number", "score")
        ),
        "audit": list(
            AuditLog.objects.order_by("pk").values_list("action", "created_at")
        ),
    }


@pytest.mark.django_db
@pytest.mark.slow
def test_same_seed_gives_same_school():
    """Two runs with one seed number seed the same school."""
    runs = []
    for _ in range(2):
        with transaction.atomic():
            call_command(*SEED, "--scale", "0.05", verbosity=0)
            runs.append(snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]


@pytest.mark.django_db
def test_seed_password_logs_in_to_admin(client, settings):
    """With SEEDING['PASSWORD'] set, a seeded administrator logs in to the admin."""
    settings.SEEDING = {**settings.SEEDING, "PASSWORD": PASSWORD}
    seeding.seed(USING, seed=7, scale=0.05, only=["school"], exclude=["corpus"])
    admin = User.objects.filter(role="admin").first()
    assert client.login(username=admin.username, password=PASSWORD)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_no_seed_password_no_login(client, settings, monkeypatch):
    """Without a seed password, no seeded user can log in."""
    monkeypatch.delenv("SEED_PASSWORD", raising=False)
    settings.SEEDING = {**settings.SEEDING, "PASSWORD": None}
    seeding.seed(USING, seed=7, scale=0.05, only=["school"], exclude=["corpus"])
    users = list(User.objects.all())
    assert users and not any(user.has_usable_password() for user in users)
    assert not client.login(username=users[0].username, password=PASSWORD)


@pytest.mark.django_db
def test_count_below_a_model_seeded_by_rows():
    """--count may name a model whose parent's seed decides its rows itself."""
    call_command(
        "seed",
        "--plan",
        "--seed",
        "1",
        "--count",
        "behavior.BehaviorIncident=5",
        "--exclude",
        "corpus",
        stdout=io.StringIO(),
    )
