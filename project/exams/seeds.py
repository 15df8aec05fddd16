"""
How exams and their results are seeded.

Every class of the current year sits an end-of-term exam in its core
subjects and a few others each term, and a mid-term test once the end of the
term is still ahead. Results follow each student's ability, the same in every
subject, plus the luck of the day.
"""

import decimal
from collections import defaultdict

from django.db.models import Avg, Count, Exists, F, Max, Min, OuterRef, Q

import seeding
from project.school.models import Enrollment, SchoolClass, Student, Subject, Term
from project.school.calendar import school_days
from project.school.queries import current_classes
from project.school.reference import grades_of

from .models import Exam, ExamResult

CORE_SUBJECTS = ("MATH", "ENG")
#: Other subjects examined per sitting.
ELECTIVES = 2
#: Every score a paper of up to 100 marks can have, by the number of half marks.
HALF_MARKS = [decimal.Decimal(halves) / 2 for halves in range(201)]


@seeding.register(Exam)
class ExamSeed(seeding.Seed):
    def rows(self, ctx):
        rng, today = ctx.rng, ctx.now.date()
        subjects = list(
            Subject.objects.using(ctx.using)
            .order_by("code")
            .values_list("pk", "code", "name")
        )
        terms = (
            Term.objects.using(ctx.using)
            .filter(year__is_current=True)
            .order_by("number")
            .values_list("pk", "number", "starts_on", "ends_on")
        )
        # This run's classes; those of earlier runs have their exams.
        classes = [
            (pk, name, grade)
            for grade, name, pk in sorted(
                ctx.new_rows(
                    SchoolClass, "grade_level", "name", "pk", year__is_current=True
                )
            )
        ]
        sittings = []
        for term, number, starts_on, ends_on in terms:
            days = list(school_days([(starts_on, ends_on)]))
            # The last two weeks of a term, or its middle week for a test.
            if days and days[-1] < today:
                sittings.append((term, number, "exam", days[-10:], 100))
            elif days and days[len(days) // 2] < today:
                middle = days[len(days) // 2 - 2 : len(days) // 2 + 3]
                sittings.append(
                    (term, number, "test", [d for d in middle if d < today], 50)
                )
        # A grade sits a subject's paper on the same day, whichever run
        # wrote its classes.
        held = {
            (term, "exam" if max_score == 100 else "test", grade, subject): held_on
            for term, grade, subject, max_score, held_on in ctx.rows(
                Exam, "term", "school_class__grade_level", "subject", "max_score",
                "held_on",
            )
        }
        for school_class, name, grade in classes:
            taught = [s for s in subjects if grade in grades_of(s[1])]
            core = [s for s in taught if s[1] in CORE_SUBJECTS]
            others = [s for s in taught if s[1] not in CORE_SUBJECTS]
            for term, number, kind, days, max_score in sittings:
                chosen = core + rng.sample(others, min(len(others), ELECTIVES))
                for subject, _, subject_name in chosen:
                    # A grade sits a subject's paper on the same day.
                    key = (term, kind, grade, subject)
                    if key not in held:
                        held[key] = rng.choice(days)
                    what = "end-of-term exam" if kind == "exam" else "mid-term test"
                    yield {
                        "subject": subject,
                        "school_class": school_class,
                        "term": term,
                        "title": f"{name} {subject_name}: term {number} {what}",
                        "held_on": held[key],
                        "max_score": max_score,
                    }


@seeding.register(ExamResult)
class ExamResultSeed(seeding.Seed):
    def rows(self, ctx):
        rng = ctx.rng
        ability = {
            pk: min(0.97, max(0.3, rng.gauss(0.68, 0.12)))
            for pk in ctx.new_rows(Student)
        }
        classes = defaultdict(list)
        for student, (school_class, enrolled_on) in current_classes(ctx).items():
            classes[school_class].append((student, enrolled_on))
        exams = ctx.new_rows(Exam, "pk", "school_class", "held_on", "max_score")
        for exam, school_class, held_on, max_score in exams:
            difficulty = rng.gauss(0, 0.05)
            for student, enrolled_on in classes[school_class]:
                if enrolled_on > held_on or rng.random() < 0.02:
                    continue  # not yet at the school, or ill that day
                share = min(
                    1.0, max(0.0, rng.gauss(ability[student] - difficulty, 0.08))
                )
                # To the nearest half mark: round() of a float doubled rounds
                # as Decimal's quantize() would, half to even.
                score = HALF_MARKS[round(share * max_score * 2)]
                yield {"exam": exam, "student": student, "score": score}


@seeding.check("exams are held in their term, in the class's year, before now")
def exams_in_term(ctx):
    return Exam.objects.using(ctx.using).filter(
        Q(held_on__lt=F("term__starts_on"))
        | Q(held_on__gt=F("term__ends_on"))
        | ~Q(term__year=F("school_class__year"))
        | Q(held_on__gte=ctx.now.date())
        | Q(held_on__week_day__in=(1, 7))  # Sunday and Saturday
    )


@seeding.check("results belong to students enrolled in the exam's class")
def results_of_enrolled(ctx):
    enrolled = Exists(
        Enrollment.objects.filter(
            student=OuterRef("student"), school_class=OuterRef("exam__school_class")
        )
    )
    return ExamResult.objects.using(ctx.using).exclude(enrolled)


@seeding.check("a student has at most one result per exam")
def one_result_per_exam(ctx):
    results = ExamResult.objects.using(ctx.using)
    twice = (
        results.values("exam", "student")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("exam")
    )
    return results.filter(exam__in=twice)


@seeding.check("scores lie between 0 and the exam's maximum")
def scores_in_range(ctx):
    return ExamResult.objects.using(ctx.using).filter(
        Q(score__lt=0) | Q(score__gt=F("exam__max_score"))
    )


@seeding.check(
    "scores spread believably: not all equal, a mean of 35-95% of the maximum"
)
def score_spread(ctx):
    # A handful of students may all do well; a class of ten or more may not.
    return (
        Exam.objects.using(ctx.using)
        .annotate(
            sat=Count("results"),
            mean=Avg("results__score"),
            low=Min("results__score"),
            high=Max("results__score"),
            # As an aggregate, so that HAVING may use it on every backend.
            top=Max("max_score"),
        )
        .filter(
            Q(sat__gte=5, low=F("high"))
            | Q(sat__gte=10, mean__lt=F("top") * 0.35)
            | Q(sat__gte=10, mean__gt=F("top") * 0.95)
        )
    )
