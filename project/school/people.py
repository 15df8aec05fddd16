"""
The school's people as the seeds make them and find them again: names,
usernames and addresses, and households, which UserSeed writes one after
another (guardians first, then their children).
"""

import functools
import re
import unicodedata
from collections import defaultdict

from .models import User

EMAIL_DOMAIN = "example-school.org"


# Tens of thousands of users share the locale's few thousand names.
@functools.cache
def slug(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower()) or "user"


def username_base(first_name, last_name):
    return f"{slug(first_name)}.{slug(last_name)}"


class Usernames:
    """'first.last', then 'first.last2', 'first.last3' for the namesakes."""

    def __init__(self, taken=()):
        # Earlier runs' usernames count: a namesake of theirs gets the next number.
        self.taken = defaultdict(int)
        for username in taken:
            base, number = re.fullmatch(r"(.*?)(\d*)", username).groups()
            self.taken[base] = max(self.taken[base], int(number or 1))

    def issue(self, first_name, last_name):
        base = username_base(first_name, last_name)
        self.taken[base] += 1
        n = self.taken[base]
        return base if n == 1 else f"{base}{n}"


def female_names(faker):
    """The locale's female first names, for telling mothers from fathers."""
    provider = faker.first_name_female.__self__
    return frozenset(getattr(provider, "first_names_female", ()))


def other_surname(faker, surname):
    while (name := faker.last_name()) == surname:
        pass
    return name


def households(ctx, *fields):
    """
    Yield (guardians, children) in the order UserSeed wrote them in this run:
    lists of (role, *fields) value tuples, children eldest first.
    """
    people = ctx.new_rows(
        User, "role", *fields, role__in=(User.Role.GUARDIAN, User.Role.STUDENT)
    )
    guardians, children = [], []
    for person in people:
        if person[0] == User.Role.STUDENT:
            children.append(person)
            continue
        if children:
            yield guardians, children
            guardians, children = [], []
        guardians.append(person)
    if children:
        yield guardians, children
