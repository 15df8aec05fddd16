"""
How behaviour incidents, good and bad, are seeded.

An incident's description comes from one category (CATEGORIES), which lets
StudentBehaviorSeed find the category again: the students involved get
points with the category's sign. Teachers report incidents on school days,
about students of one grade of the current year.
"""

from bisect import bisect_right
from collections import defaultdict
from operator import itemgetter

from django.db.models import Exists, OuterRef, Q

from model_bakery.recipe import Recipe

import seeding
from project.school.models import Enrollment, Student, Teacher, User
from project.school.calendar import at, current_terms, current_year_start, school_days

from .models import BehaviorCategory, BehaviorIncident, StudentBehavior

INCIDENTS = 120

#: name: (kind, default points, severity, descriptions, actions taken)
CATEGORIES = {
    "Helping others": (
        "positive",
        2,
        "low",
        (
            "Helped a classmate who was struggling with the reading task.",
            "Stayed behind to help tidy the classroom after the art lesson.",
            "Showed a new student around the school at lunchtime.",
        ),
        ("Praise postcard sent home", "House points", ""),
    ),
    "Outstanding effort": (
        "positive",
        3,
        "low",
        (
            "Produced an excellent piece of homework, well beyond what was asked.",
            "Worked with great focus throughout a difficult practical.",
            "Rewrote an essay after feedback and improved it greatly.",
        ),
        ("Certificate in assembly", "Praise postcard sent home", "House points"),
    ),
    "Leadership": (
        "positive",
        3,
        "low",
        (
            "Led the group presentation and made sure everyone had a part.",
            "Organised the class team for the charity run.",
        ),
        ("Certificate in assembly", "House points"),
    ),
    "Disruption in class": (
        "negative",
        -2,
        "medium",
        (
            "Repeatedly talked over the teacher during the lesson.",
            "Threw paper across the room and distracted others.",
        ),
        ("Verbal warning", "Break-time detention", "Moved to another seat"),
    ),
    "Late to class": (
        "negative",
        -1,
        "low",
        (
            "Arrived ten minutes late to the lesson without a note.",
            "Late back from lunch for the third time this week.",
        ),
        ("Verbal warning", "Break-time detention"),
    ),
    "Missing homework": (
        "negative",
        -1,
        "low",
        (
            "Did not hand in the homework due today.",
            "Homework missing for the second week running.",
        ),
        ("Homework club", "Note in planner"),
    ),
    "Phone use in class": (
        "negative",
        -1,
        "low",
        ("Used a phone during the lesson after being asked to put it away.",),
        ("Phone kept at reception until the end of the day", "Verbal warning"),
    ),
    "Unkind language": (
        "negative",
        -3,
        "medium",
        (
            "Made unkind remarks to another student during group work.",
            "Used offensive language in the corridor.",
        ),
        ("After-school detention", "Parents contacted", "Restorative conversation"),
    ),
    "Fighting": (
        "negative",
        -5,
        "high",
        ("Involved in a fight on the playground at lunchtime.",),
        ("Parents contacted", "Internal exclusion for a day"),
    ),
}
LOCATIONS = ("Classroom", "Playground", "Corridor", "Canteen", "Library", "Sports hall")
#: How often each category is reported, positive ones being the most common.
FREQUENCY = {"Helping others": 6, "Outstanding effort": 6, "Leadership": 3}
DESCRIBED = {
    description: name
    for name, (_, _, _, descriptions, _) in CATEGORIES.items()
    for description in descriptions
}


@seeding.register(BehaviorCategory)
class BehaviorCategorySeed(seeding.Seed):
    def rows(self, ctx):
        rows = [
            {"name": name, "kind": kind, "default_points": points}
            for name, (kind, points, *_) in CATEGORIES.items()
        ]
        return ctx.missing(BehaviorCategory, rows, "name")


@seeding.register(BehaviorIncident)
class BehaviorIncidentSeed(seeding.Seed):
    count = INCIDENTS
    # rows() gives what follows from the day and the category.
    recipe = Recipe(BehaviorIncident, location=seeding.pick(LOCATIONS))

    def rows(self, ctx):
        rng, today = ctx.rng, ctx.now.date()
        terms = [(first, last) for _, first, last in current_terms(ctx.now)]
        days = [day for day in school_days(terms, last=today) if day < today]
        # By the day they were hired: those on the staff on a day are a prefix.
        teachers = list(
            Teacher.objects.using(ctx.using)
            .order_by("hired_on", "pk")
            .values_list("pk", "hired_on")
        )
        names = list(CATEGORIES)
        weights = [FREQUENCY.get(name, 2) for name in names]
        for _ in range(ctx.count):
            day = rng.choice(days)
            name = rng.choices(names, weights)[0]
            _, _, severity, descriptions, _ = CATEGORIES[name]
            hired = bisect_right(teachers, day, key=itemgetter(1))
            yield {
                "reported_by": rng.choice(teachers[: hired or len(teachers)])[0],
                "occurred_at": at(day, rng.randint(8, 15), rng.randrange(0, 60, 5)),
                "description": rng.choice(descriptions),
                "severity": severity,
            }


@seeding.register(StudentBehavior)
class StudentBehaviorSeed(seeding.Seed):
    def rows(self, ctx):
        rng = ctx.rng
        categories = dict(
            BehaviorCategory.objects.using(ctx.using).values_list("name", "pk")
        )
        start = current_year_start(ctx.now)
        grades = defaultdict(list)
        students = Student.objects.using(ctx.using).order_by("pk")
        for pk, grade, joined in students.values_list(
            "pk", "grade_level", "user__date_joined"
        ).iterator():
            grades[grade].append((pk, max(start, joined.date())))
        grade_list = sorted(grades)
        incidents = ctx.new_rows(BehaviorIncident, "pk", "description", "occurred_at")
        for pk, description, occurred_at in incidents:
            day = occurred_at.date()
            name = DESCRIBED.get(description, "Helping others")
            kind, points, _, _, actions = CATEGORIES[name]
            involved = (
                2 if name == "Fighting" else rng.choices((1, 2, 3), (70, 20, 10))[0]
            )
            # The students involved are in one grade and at the school by then;
            # drawing a few candidates spares filtering a district's grade.
            grade = grades[rng.choice(grade_list)]
            candidates = rng.sample(grade, min(len(grade), 4 * involved))
            students = [s for s, enrolled_on in candidates if enrolled_on <= day]
            for student in students[:involved]:
                change = rng.choice((-1, 0, 0, 1))
                yield {
                    "incident": pk,
                    "student": student,
                    "category": categories[name],
                    "points": (
                        max(1, points + change)
                        if kind == "positive"
                        else min(-1, points + change)
                    ),
                    "action_taken": rng.choice(actions),
                }


@seeding.check("incidents are reported by teachers, on school days, before now")
def reported_by_teachers(ctx):
    return BehaviorIncident.objects.using(ctx.using).filter(
        ~Q(reported_by__user__role=User.Role.TEACHER)
        | Q(occurred_at__gt=ctx.now)
        | Q(occurred_at__week_day__in=(1, 7))  # Sunday and Saturday
    )


@seeding.check("students involved in an incident are enrolled in the current year")
def involved_students_enrolled(ctx):
    enrolled = Exists(
        Enrollment.objects.filter(
            student=OuterRef("student"),
            school_class__year__is_current=True,
            enrolled_on__lte=OuterRef("incident__occurred_at__date"),
        )
    )
    return StudentBehavior.objects.using(ctx.using).exclude(enrolled)


@seeding.check(
    "points carry the sign of the category: positive above 0, negative below"
)
def points_match_category(ctx):
    return StudentBehavior.objects.using(ctx.using).filter(
        Q(category__kind="positive", points__lte=0)
        | Q(category__kind="negative", points__gte=0)
        | ~Q(category__kind__in=("positive", "negative"))
    )
