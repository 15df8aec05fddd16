"""
The school calendar the seed modules of every app share: academic years from
1 September to 30 June, three terms, school days, and a child's grade from
the date of birth. Everything follows from the run's moment (``ctx.now``),
so that a module can place rows in time before the rows it dates exist.
"""

import datetime


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def academic_years(now):
    """(name, first day, last day) of the current year and the two before it."""
    first = now.year if now.month >= 9 else now.year - 1
    return [
        (
            f"{y}/{(y + 1) % 100:02d}",
            datetime.date(y, 9, 1),
            datetime.date(y + 1, 6, 30),
        )
        for y in (first - 2, first - 1, first)
    ]


def current_year_start(now):
    return academic_years(now)[-1][1]


def terms_of(starts_on, ends_on):
    """The three terms of a year as (number, first day, last day)."""
    y = starts_on.year
    return [
        (1, starts_on, friday_on_or_before(datetime.date(y, 12, 19))),
        (
            2,
            monday_on_or_after(datetime.date(y + 1, 1, 5)),
            friday_on_or_before(datetime.date(y + 1, 3, 27)),
        ),
        (3, monday_on_or_after(datetime.date(y + 1, 4, 13)), ends_on),
    ]


def monday_on_or_after(day):
    return day + datetime.timedelta(days=-day.weekday() % 7)


def friday_on_or_before(day):
    return day - datetime.timedelta(days=(day.weekday() - 4) % 7)


def school_days(terms, first=None, last=None):
    """Weekdays inside the terms ((starts_on, ends_on) pairs), oldest first."""
    for starts_on, ends_on in sorted(terms):
        day = max(starts_on, first) if first else starts_on
        end = min(ends_on, last) if last else ends_on
        while day <= end:
            if day.weekday() < 5:
                yield day
            day += datetime.timedelta(days=1)


def at(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=datetime.UTC
    )


def grade_for(date_of_birth, year_start):
    """The grade of a child on a year's first day: age 6 in grade 1."""
    age = year_start.year - date_of_birth.year
    if (year_start.month, year_start.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    return age - 5


def current_terms(now):
    """(number, first day, last day) of the current year's terms."""
    _, starts_on, ends_on = academic_years(now)[-1]
    return terms_of(starts_on, ends_on)
