"""
How the school's people, years and classes are seeded.

UserSeed yields every account: administrators, office staff and teachers,
then one household after another, its guardians first and its children
after them. GuardianLinkSeed walks the users this run wrote in primary-key
order to find the households again, so no other record of them is needed.

A student's grade follows from the date of birth (age 6 on 1 September in
grade 1), which lets SchoolClassSeed size the classes before any Student row
exists.

A seed can only count on the rows of models it reaches by foreign keys: the
others may come later. Dates therefore come from the run's moment (the
calendar module), and a student's current class from current_classes(),
which needs only the Student and SchoolClass rows.

Seeding again adds a second school's worth of people: reference rows (groups,
years, terms, departments, subjects) are reused by natural key, profiles go
to the users that have none, and the new students get classes of their own.
"""

import datetime
import math
import re
from collections import Counter, defaultdict

from django.contrib.auth.models import Group, Permission
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Concat, Left, Length, Lower, Substr
from model_bakery.recipe import Recipe

import seeding

from .calendar import (
    academic_years,
    add_years,
    at,
    current_terms,
    current_year_start,
    grade_for,
    monday_on_or_after,
    school_days,
    terms_of,
)
from .models import (
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
from .people import (
    EMAIL_DOMAIN,
    Usernames,
    female_names,
    households,
    other_surname,
    slug,
)
from .queries import current_classes, values_where
from .reference import DEPARTMENT_WEIGHTS, DEPARTMENTS, GROUPS, SUBJECTS, class_letters

GroupPermission = Group.permissions.through

#: Rows at --scale 1: a small school of about 400 students.
STUDENTS = 400
TEACHERS = 40
STAFF = 12
ADMINS = 2
CLASS_SIZE = 28
#: Attendance is kept for the last school days before the run's moment.
ATTENDANCE_DAYS = 10

# Seeds.


@seeding.register(User)
class UserSeed(seeding.Seed):
    def rows(self, ctx):
        self.usernames = Usernames(ctx.rows(User, "username"))
        self.female_names = female_names(ctx.faker)
        self.start = current_year_start(ctx.now)
        # A top-up makes up the people each role is missing.
        held = Counter(ctx.rows(User, "role")) if ctx.top_up else Counter()
        wanted = {
            User.Role.ADMIN: ADMINS,
            User.Role.STAFF: ctx.scaled(STAFF),
            # Every department needs a teacher, however small the school.
            User.Role.TEACHER: ctx.scaled(TEACHERS, minimum=len(DEPARTMENTS) + 4),
            User.Role.STUDENT: ctx.scaled(STUDENTS),
        }
        wanted = {role: max(0, n - held[role]) for role, n in wanted.items()}
        for _ in range(wanted[User.Role.ADMIN]):
            yield self.adult(ctx, User.Role.ADMIN)
        for _ in range(wanted[User.Role.STAFF]):
            yield self.adult(ctx, User.Role.STAFF)
        for _ in range(wanted[User.Role.TEACHER]):
            yield self.teacher(ctx)
        remaining = wanted[User.Role.STUDENT]
        while remaining:
            children = min(remaining, ctx.rng.choices((1, 2, 3), (55, 35, 10))[0])
            remaining -= children
            yield from self.household(ctx, children)

    def first_name(self, ctx, female):
        """A first name that reads as female, or one that does not."""
        if female:
            return ctx.faker.first_name_female()
        # Some names are on both lists; GuardianLinkSeed would take a father
        # so named for a mother.
        for _ in range(20):
            name = ctx.faker.first_name_male()
            if name not in self.female_names:
                break
        return name

    def user(self, ctx, role, first, last, born, joined):
        username = self.usernames.issue(first, last)
        last_login = None
        if ctx.rng.random() < LOGIN_RATE[role]:
            minutes = ctx.rng.randint(30, 30 * 24 * 60)
            last_login = ctx.now - datetime.timedelta(minutes=minutes)
            if last_login < joined:
                last_login = None
        return {
            "first_name": first,
            "last_name": last,
            "username": username,
            "email": f"{username}@{EMAIL_DOMAIN}",
            "role": role,
            "date_of_birth": born,
            "is_superuser": role == User.Role.ADMIN,
            "is_staff": role not in (User.Role.STUDENT, User.Role.GUARDIAN),
            "is_active": True,
            "date_joined": joined,
            "last_login": last_login,
        }

    def birthday(self, ctx, youngest, oldest):
        """A date of birth for someone aged youngest to oldest now."""
        today = ctx.now.date()
        latest = add_years(today, -youngest)
        earliest = add_years(today, -oldest - 1)
        span = (latest - earliest).days
        return earliest + datetime.timedelta(days=ctx.rng.randrange(1, span))

    def adult(self, ctx, role):
        first = self.first_name(ctx, ctx.rng.random() < 0.6)
        joined_on = ctx.now.date() - datetime.timedelta(
            days=ctx.rng.randint(30, 12 * 365)
        )
        joined = at(joined_on, ctx.rng.randint(8, 16), ctx.rng.randrange(60))
        born = self.birthday(ctx, 24, 62)
        return self.user(ctx, role, first, ctx.faker.last_name(), born, joined)

    def teacher(self, ctx):
        born = self.birthday(ctx, 24, 64)
        span = (ctx.now.date() - self.start).days - 14
        if span > 1 and ctx.rng.random() < 0.1:
            # Hired during the current year, to cover a leave.
            hired = self.start + datetime.timedelta(days=ctx.rng.randrange(1, span))
        else:
            # Hired for the start of a year, at 23 or older.
            first = max(born.year + 23, self.start.year - 25)
            hired = datetime.date(ctx.rng.randint(first, self.start.year), 8, 25)
        first = self.first_name(ctx, ctx.rng.random() < 0.65)
        last = ctx.faker.last_name()
        return self.user(ctx, User.Role.TEACHER, first, last, born, at(hired, 9))

    def household(self, ctx, children):
        """A household's guardians, then its children, eldest first."""
        rng = ctx.rng
        surname = ctx.faker.last_name()
        kids = []
        for grade in sorted(rng.sample(range(1, 13), children), reverse=True):
            female = rng.random() < 0.5
            kids.append(
                (
                    self.first_name(ctx, female),
                    self.child_birthday(ctx, grade),
                    self.admission(ctx, grade),
                )
            )
        # (female, surname, youngest and oldest age at the eldest's birth)
        if rng.random() < 0.75:
            mothers_name = surname if rng.random() < 0.85 else ctx.faker.last_name()
            guardians = [(True, mothers_name, 22, 41), (False, surname, 22, 42)]
        else:
            kind = rng.choices(
                ("mother", "father", "grandparent", "relative"), (60, 15, 15, 10)
            )[0]
            female = kind == "mother" or (kind != "father" and rng.random() < 0.6)
            guardians = [
                {
                    "mother": (True, surname, 22, 41),
                    "father": (False, surname, 22, 42),
                    "grandparent": (female, surname, 47, 60),
                    "relative": (female, other_surname(ctx.faker, surname), 22, 41),
                }[kind]
            ]
        eldest = kids[0][1]
        joined = min(admitted for _, _, admitted in kids)
        for female, last, youngest, oldest in guardians:
            born = add_years(eldest, -rng.randint(youngest, oldest))
            born -= datetime.timedelta(days=rng.randrange(365))
            first = self.first_name(ctx, female)
            yield self.user(ctx, User.Role.GUARDIAN, first, last, born, joined)
        for first, born, admitted in kids:
            yield self.user(ctx, User.Role.STUDENT, first, surname, born, admitted)

    def child_birthday(self, ctx, grade):
        # Aged grade + 5 on the first day of the year, turning grade + 6 in it.
        latest = add_years(self.start, -(grade + 5))
        earliest = add_years(self.start, -(grade + 6)) + datetime.timedelta(days=1)
        span = (latest - earliest).days
        return earliest + datetime.timedelta(days=ctx.rng.randrange(span + 1))

    def admission(self, ctx, grade):
        rng = ctx.rng
        entry = 1 if rng.random() < 0.55 else rng.randint(1, grade)
        day = add_years(self.start, entry - grade)
        span = (ctx.now.date() - day).days - 7
        if entry == grade and span > 14 and rng.random() < 0.12:
            # A newcomer who arrived during the current year.
            day = monday_on_or_after(
                day + datetime.timedelta(days=rng.randrange(7, span))
            )
        return at(day, 8, rng.randrange(0, 60))


LOGIN_RATE = {
    User.Role.ADMIN: 0.95,
    User.Role.STAFF: 0.9,
    User.Role.TEACHER: 0.9,
    User.Role.GUARDIAN: 0.6,
    User.Role.STUDENT: 0.5,
}


@seeding.register("school.User_user_permissions")
class UserPermissionSeed(seeding.Seed):
    # Permissions come through groups, never one by one.
    count = 0


@seeding.register(Group)
class GroupSeed(seeding.Seed):
    def rows(self, ctx):
        return ctx.missing(Group, [{"name": name} for name in GROUPS], "name")


@seeding.register("auth.Group_permissions")
class GroupPermissionSeed(seeding.Seed):
    def rows(self, ctx):
        permissions = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.using(
                ctx.using
            ).values_list("pk", "content_type__app_label", "codename")
        }
        groups = dict(Group.objects.using(ctx.using).values_list("name", "pk"))
        rows = [
            {"group": groups[name], "permission": permissions[label]}
            for name, labels in GROUPS.items()
            for label in labels
            if name in groups and label in permissions
        ]
        return ctx.missing(GroupPermission, rows, "group", "permission")


@seeding.register("school.User_groups")
class UserGroupSeed(seeding.Seed):
    def rows(self, ctx):
        groups = dict(Group.objects.using(ctx.using).values_list("name", "pk"))
        users = ctx.rows(
            User, "pk", "role", role__in=(User.Role.STAFF, User.Role.TEACHER), groups=None
        )
        for pk, role in users:
            if role == User.Role.TEACHER:
                name = "Teachers"
            else:
                name = "Finance office" if ctx.rng.random() < 0.3 else "Office staff"
            if name in groups:
                yield {"user": pk, "group": groups[name]}


@seeding.register(AcademicYear)
class AcademicYearSeed(seeding.Seed):
    def rows(self, ctx):
        years = academic_years(ctx.now)
        rows = [
            {
                "name": name,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "is_current": name == years[-1][0],
            }
            for name, starts_on, ends_on in years
        ]
        return ctx.missing(AcademicYear, rows, "name")


@seeding.register(Term)
class TermSeed(seeding.Seed):
    def rows(self, ctx):
        years = AcademicYear.objects.using(ctx.using).order_by("starts_on")
        rows = [
            {"year": pk, "number": number, "starts_on": first, "ends_on": last}
            for pk, starts_on, ends_on in years.values_list("pk", "starts_on", "ends_on")
            for number, first, last in terms_of(starts_on, ends_on)
        ]
        return ctx.missing(Term, rows, "year", "number")


@seeding.register(Department)
class DepartmentSeed(seeding.Seed):
    def rows(self, ctx):
        # Parents and heads are set in finish(), once their rows exist.
        rows = [{"name": name, "parent": None, "head": None} for name, _ in DEPARTMENTS]
        return ctx.missing(Department, rows, "name")

    def finish(self, ctx):
        departments = {d.name: d for d in Department.objects.using(ctx.using)}
        # The longest-serving teacher of a department heads it.
        heads = {}
        teachers = Teacher.objects.using(ctx.using).order_by("hired_on", "pk")
        for department, teacher in teachers.values_list("department", "pk"):
            heads.setdefault(department, teacher)
        for name, parent in DEPARTMENTS:
            department = departments.get(name)
            if department is not None:
                department.parent = departments.get(parent)
                department.head_id = heads.get(department.pk)
        Department.objects.using(ctx.using).bulk_update(
            departments.values(), ["parent", "head"]
        )


@seeding.register(Subject)
class SubjectSeed(seeding.Seed):
    def rows(self, ctx):
        departments = dict(
            Department.objects.using(ctx.using).values_list("name", "pk")
        )
        rows = [
            {"code": code, "name": name, "department": departments[department]}
            for code, name, department, _, _ in SUBJECTS
        ]
        return ctx.missing(Subject, rows, "code")


@seeding.register(Teacher)
class TeacherSeed(seeding.Seed):
    for_each = ("school.User", {"role": User.Role.TEACHER})
    each_fields = ("date_joined",)

    def each(self, ctx, users):
        departments = dict(
            Department.objects.using(ctx.using).values_list("name", "pk")
        )
        names = list(departments)
        weights = [DEPARTMENT_WEIGHTS.get(name, 1) for name in names]
        # One teacher for each department first, then where the work is.
        first = ctx.rng.sample(names, len(names))
        for n, user in enumerate(users):
            name = first[n] if n < len(first) else ctx.rng.choices(names, weights)[0]
            yield {"department": departments[name], "hired_on": user.date_joined.date()}


@seeding.register("school.Teacher_subjects")
class TeacherSubjectSeed(seeding.Seed):
    def rows(self, ctx):
        using = ctx.using
        # Department.parent is only set in DepartmentSeed.finish().
        departments = dict(Department.objects.using(using).values_list("name", "pk"))
        children = defaultdict(list)
        for name, parent in DEPARTMENTS:
            if parent in departments and name in departments:
                children[departments[parent]].append(departments[name])
        own = defaultdict(list)
        for pk, department in (
            Subject.objects.using(using)
            .order_by("code")
            .values_list("pk", "department")
        ):
            own[department].append(pk)
        teachers = defaultdict(list)
        for pk, department in ctx.new_rows(Teacher, "pk", "department"):
            teachers[department].append(pk)
        for department, staff in teachers.items():
            # A faculty without subjects of its own teaches its departments'.
            pool = own[department] or [s for d in children[department] for s in own[d]]
            if not pool:
                continue
            taught = defaultdict(set)
            # Every subject of the department has a teacher.
            for n, subject in enumerate(pool):
                taught[staff[n % len(staff)]].add(subject)
            for teacher in staff:
                if not taught[teacher] or ctx.rng.random() < 0.25:
                    taught[teacher].add(ctx.rng.choice(pool))
                for subject in sorted(taught[teacher]):
                    yield {"teacher": teacher, "subject": subject}


@seeding.register(Student)
class StudentSeed(seeding.Seed):
    for_each = ("school.User", {"role": User.Role.STUDENT})
    each_fields = ("date_of_birth", "date_joined")

    def each(self, ctx, users):
        start = current_year_start(ctx.now)
        # Admission numbers go on from those of earlier runs.
        for n, user in enumerate(users, ctx.existing + 1):
            joined, born = user.date_joined, user.date_of_birth
            admitted = joined.year if joined.month >= 9 else joined.year - 1
            yield {
                "admission_number": f"{admitted}-{n:05d}",
                "date_of_birth": born,
                "grade_level": grade_for(born, start),
            }


@seeding.register(Guardian)
class GuardianSeed(seeding.Seed):
    for_each = ("school.User", {"role": User.Role.GUARDIAN})
    recipe = Recipe(Guardian, phone=seeding.fake("phone_number"))


@seeding.register(GuardianLink)
class GuardianLinkSeed(seeding.Seed):
    def rows(self, ctx):
        self.female_names = female_names(ctx.faker)
        fields = ("first_name", "last_name", "date_of_birth", "guardian", "student")
        for guardians, children in households(ctx, *fields):
            yield from self.links(ctx, guardians, children)

    def links(self, ctx, guardians, children):
        # UserSeed yields the children eldest first.
        _, _, surname, eldest, _, _ = children[0]
        for n, (_, first, last, born, guardian, _) in enumerate(guardians):
            if len(guardians) == 2:
                relationship = ("mother", "father")[n]
            elif eldest.year - born.year >= 46:
                relationship = "grandparent"
            elif last != surname:
                relationship = ctx.rng.choice(("legal_guardian", "other_relative"))
            elif first in self.female_names:
                relationship = "mother"
            else:
                relationship = "father"
            for *_, student in children:
                yield {
                    "guardian": guardian,
                    "student": student,
                    "relationship": relationship,
                }


@seeding.register(SchoolClass)
class SchoolClassSeed(seeding.Seed):
    def rows(self, ctx):
        using = ctx.using
        start = current_year_start(ctx.now)
        # This run's students get classes of their own, named on from the
        # classes earlier runs left.
        students = defaultdict(int)
        births = ctx.new_rows(User, "date_of_birth", role=User.Role.STUDENT)
        for born in births:
            students[grade_for(born, start)] += 1
        if not students and ctx.existing:
            return
        teachers = list(ctx.rows(Teacher, "pk", "hired_on"))
        held = defaultdict(int)
        forms = defaultdict(set)
        for year, grade, teacher in ctx.rows(
            SchoolClass, "year", "grade_level", "form_teacher"
        ):
            held[year, grade] += 1
            forms[year].add(teacher)
        years = AcademicYear.objects.using(using).order_by("starts_on")
        for year, starts_on in years.values_list("pk", "starts_on"):
            # Form teachers were on the staff when the year began.
            free = [
                pk
                for pk, hired_on in teachers
                if hired_on <= starts_on and pk not in forms[year]
            ]
            ctx.rng.shuffle(free)
            for grade in range(1, 13):
                first = held[year, grade]
                classes = math.ceil(students[grade] / CLASS_SIZE)
                for n in range(first, first + max(0 if first else 1, classes)):
                    yield {
                        "name": f"{grade}{class_letters(n)}",
                        "grade_level": grade,
                        "year": year,
                        "form_teacher": free.pop() if free else None,
                    }


@seeding.register(Enrollment)
class EnrollmentSeed(seeding.Seed):
    def rows(self, ctx):
        for student, (school_class, enrolled_on) in current_classes(ctx).items():
            yield {
                "student": student,
                "school_class": school_class,
                "enrolled_on": enrolled_on,
            }
        # The years before: the same students, a grade lower each year back.
        classes = defaultdict(list)
        past = ctx.new_rows(
            SchoolClass, "year__starts_on", "grade_level", "name", "pk", "year",
            year__is_current=False,
        )
        past = sorted(past, key=lambda row: (-row[0].toordinal(), *row[1:3]))
        years = []
        for starts_on, grade, _, pk, year in past:
            classes[year, grade].append(pk)
            if (year, starts_on) not in years:
                years.append((year, starts_on))
        dealt = defaultdict(int)
        students = sorted(
            ctx.new_rows(
                Student, "admission_number", "pk", "grade_level", "user__date_joined"
            )
        )
        for _, pk, grade, joined in students:
            for years_back, (year, starts_on) in enumerate(years, 1):
                choices = classes[year, grade - years_back]
                if not choices or joined.date() > starts_on:
                    continue
                n = dealt[year, grade - years_back]
                dealt[year, grade - years_back] += 1
                yield {
                    "student": pk,
                    "school_class": choices[n % len(choices)],
                    "enrolled_on": starts_on,
                }


@seeding.register(Attendance)
class AttendanceSeed(seeding.Seed):
    # A day's status is drawn a column at a time; rows() gives it only on
    # the days a student spends ill in bed, which follow one another.
    recipe = Recipe(
        Attendance,
        status=seeding.pick(("present", "late", "absent", "excused"), weights=(92, 3, 3, 2)),
    )

    def rows(self, ctx):
        today = ctx.now.date()
        terms = [(first, last) for _, first, last in current_terms(ctx.now)]
        days = [d for d in school_days(terms, last=today) if d < today]
        days = days[-ATTENDANCE_DAYS:]
        random = ctx.rng.random
        for student, (school_class, enrolled_on) in current_classes(ctx).items():
            ill = 0
            for day in days:
                if day < enrolled_on:
                    continue
                row = {"student": student, "school_class": school_class, "date": day}
                if ill:
                    row["status"], ill = "absent", ill - 1
                elif random() < 0.01:
                    row["status"], ill = "absent", ctx.rng.randint(0, 2)
                yield row


# Checks.


#: A name that slug() only lowers.
PLAIN_NAME = re.compile(r"[A-Za-z]+")
#: What may follow the name in a username: nothing, or a number from 2 on.
NAMESAKE_NUMBER = re.compile(r"([2-9]|[1-9][0-9]+)?")


def slug_of(using, field):
    """
    slug() of the name in the User column ``field``, as an SQL expression:
    the name lowered when it is plain, and for each of the few other names
    found, its slug computed here.

    The distinct names are few, and are told apart here: a pattern in SQL
    would be a Python call per row on SQLite.
    """
    names = (
        User.objects.using(using).order_by().values_list(field, flat=True).distinct()
    )
    others = [name for name in names if not PLAIN_NAME.fullmatch(name)]
    return Case(
        *[When(**{field: name}, then=Value(slug(name))) for name in others],
        default=Lower(field),
        output_field=CharField(),
    )


def seeded_people(using):
    """
    The users the seed made. Accounts made otherwise, by createsuperuser or
    seed --superuser, belong to nobody at the school: they have neither a
    profile nor an address at the school's domain, and no rule of its
    people applies to them.
    """
    profiles = Q(teacher__isnull=False) | Q(student__isnull=False) | Q(guardian__isnull=False)
    return User.objects.using(using).filter(profiles | Q(email__endswith=f"@{EMAIL_DOMAIN}"))


@seeding.check("usernames and emails are derived from the user's name")
def user_names(ctx):
    base = Concat(slug_of(ctx.using, "first_name"), Value("."), slug_of(ctx.using, "last_name"))
    users = seeded_people(ctx.using).alias(
        base=base,
        prefix=Left("username", Length("base")),
        number=Substr("username", Length("base") + 1),
    )
    # What follows the base takes few values: they are told apart here, as
    # slug_of() tells the names.
    numbers = users.order_by().values_list(F("number"), flat=True).distinct()
    derived = (
        Q(prefix=F("base"))
        & Q(number__in=[n for n in numbers if NAMESAKE_NUMBER.fullmatch(n)])
        & Q(email=Concat("username", Value(f"@{EMAIL_DOMAIN}")))
    )
    if connections[ctx.using].vendor == "mysql":
        # MySQL and MariaDB compare text without regard to case: the pattern
        # keeps the comparison with the base exact. Elsewhere it is exact
        # already, and the pattern would be a Python call per row on SQLite.
        derived &= Q(username__regex=r"^[a-z]+\.[a-z]+[0-9]*$")
    return users.exclude(derived)


@seeding.check("no two users share a username or an email address")
def unique_users(ctx):
    users = User.objects.using(ctx.using)
    shared = {}
    for field in ("username", "email"):
        shared[f"{field}__in"] = (
            users.values(field).annotate(n=Count("pk")).filter(n__gt=1).values(field)
        )
    return users.filter(
        Q(username__in=shared["username__in"]) | Q(email__in=shared["email__in"])
    )


@seeding.check("a user's role matches the profile and the admin flags")
def user_roles(ctx):
    profiles = {
        User.Role.TEACHER: "teacher",
        User.Role.STUDENT: "student",
        User.Role.GUARDIAN: "guardian",
    }
    right = Q()
    for role in User.Role.values:
        q = Q(role=role)
        for profile in profiles.values():
            q &= Q(**{f"{profile}__isnull": profiles.get(role) != profile})
        q &= Q(is_superuser=role == User.Role.ADMIN)
        q &= Q(is_staff=role not in (User.Role.STUDENT, User.Role.GUARDIAN))
        right |= q
    return seeded_people(ctx.using).exclude(right)


@seeding.check(
    "a student's age fits the grade: grade + 5 or + 6 on the year's first day"
)
def student_ages(ctx):
    students = Student.objects.using(ctx.using)
    year = AcademicYear.objects.using(ctx.using).filter(is_current=True).first()
    if year is None:
        return students.all()
    # Aged grade + 5 or + 6 on the first day: born in the two years up to
    # grade + 5 years before it. (No one fits a grade in the thousands.)
    fits = Q(pk__in=[])
    grades = students.order_by("grade_level").values_list("grade_level", flat=True)
    for grade in grades.distinct():
        if grade + 7 < year.starts_on.year:
            fits |= Q(
                grade_level=grade,
                date_of_birth__gt=add_years(year.starts_on, -(grade + 7)),
                date_of_birth__lte=add_years(year.starts_on, -(grade + 5)),
            )
    return students.exclude(Q(date_of_birth=F("user__date_of_birth")) & fits)


@seeding.check("teachers are adults: born at least 22 years ago and hired since")
def teacher_ages(ctx):
    today = ctx.now.date()
    teachers = Teacher.objects.using(ctx.using)
    return teachers.filter(
        Q(user__date_of_birth__isnull=True)
        | Q(user__date_of_birth__gt=add_years(today, -22))
        | Q(hired_on__gt=today)
    )


@seeding.check("exactly one academic year is current, and it holds the seeded moment")
def current_year(ctx):
    years = AcademicYear.objects.using(ctx.using)
    today = ctx.now.date()
    current = years.filter(is_current=True)
    if current.count() != 1:
        return current if current.exists() else years
    return current.exclude(starts_on__lte=today, ends_on__gte=today)


@seeding.check("terms lie within their year, in order, without overlapping")
def terms_in_year(ctx):
    terms = Term.objects.using(ctx.using)
    overlapping = terms.filter(
        Exists(
            Term.objects.filter(
                year=OuterRef("year"),
                number__lt=OuterRef("number"),
                ends_on__gte=OuterRef("starts_on"),
            )
        )
    )
    return terms.filter(
        Q(starts_on__lt=F("year__starts_on"))
        | Q(ends_on__gt=F("year__ends_on"))
        | Q(ends_on__lte=F("starts_on"))
        | Q(pk__in=overlapping.values("pk"))
    )


@seeding.check("each student is enrolled in exactly one current class, of his grade")
def one_current_class(ctx):
    current = Q(enrollments__school_class__year__is_current=True)
    return (
        Student.objects.using(ctx.using)
        .annotate(
            classes=Count("enrollments", filter=current),
            own_grade=Count(
                "enrollments",
                filter=current
                & Q(enrollments__school_class__grade_level=F("grade_level")),
            ),
        )
        .exclude(classes=1, own_grade=1)
    )


@seeding.check("each student has one or two guardians")
def student_guardians(ctx):
    return (
        Student.objects.using(ctx.using)
        .annotate(guardian_count=Count("guardian_links"))
        .exclude(guardian_count__in=(1, 2))
    )


@seeding.check("departments form a tree at most two levels deep")
def department_depth(ctx):
    return Department.objects.using(ctx.using).filter(parent__parent__isnull=False)


@seeding.check("each department with teachers has a head who teaches in it")
def department_heads(ctx):
    has_teachers = Exists(Teacher.objects.filter(department=OuterRef("pk")))
    return Department.objects.using(ctx.using).filter(
        (Q(head__isnull=True) & has_teachers)
        | (Q(head__isnull=False) & ~Q(head__department=F("pk")))
    )


@seeding.check("attendance is taken on school days of the class's year, up to now")
def attendance_days(ctx):
    today = ctx.now.date()
    enrolled = Exists(
        Enrollment.objects.filter(
            student=OuterRef("student"), school_class=OuterRef("school_class")
        )
    )
    records = Attendance.objects.using(ctx.using)
    weekends = values_where(records, "date", Q(value__week_day__in=(1, 7)))
    return records.filter(
        Q(date__in=weekends)  # Sunday and Saturday
        | Q(date__lt=F("school_class__year__starts_on"))
        | Q(date__gt=F("school_class__year__ends_on"))
        | Q(date__gt=today)
        | ~enrolled
    )


@seeding.check("students are present (or late) on at least 85% of the school days")
def attendance_rate(ctx):
    records = Attendance.objects.using(ctx.using)
    missed = records.exclude(status__in=("present", "late"))
    # The whole school's rate: one class may have a bad week.
    if missed.count() > records.count() * 0.15:
        return missed
    return records.none()
