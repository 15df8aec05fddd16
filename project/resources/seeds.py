"""
How rooms, equipment and their bookings are seeded.

Bookings follow the timetable's periods (PERIODS), so one resource's
bookings on a day never overlap, and every booking lies within school hours
on a school day.
"""

import datetime
import math
import re
from collections import Counter

from django.db.models import DateField, F, Max, Q, RowRange, Window
from django.db.models.functions import Cast

from model_bakery.recipe import Recipe

import seeding
from project.school.models import User
from project.school.calendar import at, current_terms, school_days
from project.school.queries import values_where
from project.school.reference import class_letters

from .models import Booking, Equipment, Resource, Room

ROOMS = 30
EQUIPMENT = 25
BOOKINGS_PER_RESOURCE = 10
#: Bookings run from six weeks before the seeded moment to three weeks after.
BOOKINGS_BACK, BOOKINGS_AHEAD = 42, 21

#: (start, end) of the timetable's periods.
PERIODS = [
    ((8, 30), (9, 30)),
    ((9, 40), (10, 40)),
    ((11, 0), (12, 0)),
    ((12, 10), (13, 10)),
    ((13, 50), (14, 50)),
    ((15, 0), (16, 0)),
    ((16, 0), (17, 0)),
]

#: (name pattern, capacity range, location, share of the rooms)
SPECIAL_ROOMS = [
    ("Science Lab {n}", (24, 30), "Science block", 4),
    ("Computer Lab {n}", (24, 32), "Building C, floor 1", 2),
    ("Art Studio {n}", (20, 28), "Arts centre", 1),
    ("Music Room {n}", (15, 30), "Arts centre", 1),
    ("Drama Studio {n}", (30, 60), "Arts centre", 1),
    ("Library {n}", (40, 80), "Building A, ground floor", 1),
    ("Sports Hall {n}", (100, 200), "Sports centre", 1),
]

#: (kind, models) of bookable equipment
EQUIPMENT_KINDS = [
    ("Projector", ("Epson EB-X51", "BenQ MX560", "Optoma X400LVe")),
    ("Laptop cart", ("Dell Latitude 3440 x30", "Lenovo ThinkPad E14 x24")),
    ("Tablet set", ("Apple iPad 10th gen x25", "Samsung Galaxy Tab A9 x20")),
    ("Document camera", ("IPEVO V4K", "Elmo MX-P3")),
    ("Microscope set", ("Swift SW380T x12", "AmScope M150C x15")),
    ("3D printer", ("Prusa MK4", "Bambu Lab P1S")),
    ("Camera", ("Canon EOS R50", "Sony ZV-E10")),
    ("Interactive display", ("Promethean ActivPanel 9", "SMART Board MX 86")),
    ("Portable PA system", ("Bose S1 Pro", "JBL EON One")),
]
EQUIPMENT_LOCATIONS = (
    "IT store room",
    "Science prep room",
    "Library office",
    "Media cupboard, Building A",
    "Reprographics",
)

#: Bookable things that are neither rooms nor equipment.
OTHER_RESOURCES = [
    ("Minibus {n}", "Bus bay"),
    ("Playing field {n}", "Behind the sports centre"),
]

PURPOSES = {
    "room": (
        "Revision session",
        "Parents' meeting",
        "Chess club",
        "Cover lesson",
        "Department meeting",
        "Mock exam",
        "Tutoring",
    ),
    "Science Lab": ("Practical: titration", "Practical: microscopy", "Science club"),
    "Computer Lab": ("Coding club", "Online assessment", "Research project"),
    "Sports Hall": ("Basketball practice", "Assembly", "Exam hall"),
    "equipment": (
        "Class presentations",
        "Film project",
        "Open day display",
        "Assembly",
        "Practical lesson",
    ),
    "other": ("Away match", "Field trip", "Sports day", "Athletics training"),
}

ROOM_NAME = re.compile(
    r"Room [A-Z]+\d{2}|"
    + "|".join(re.escape(name).replace(r"\{n\}", r"\d+") for name, *_ in SPECIAL_ROOMS)
)
EQUIPMENT_NAME = re.compile(
    "|".join(re.escape(kind) + " .+" for kind, _ in EQUIPMENT_KINDS)
)
OTHER_NAME = re.compile(
    "|".join(re.escape(name).replace(r"\{n\}", r"\d+") for name, _ in OTHER_RESOURCES)
)


def created_at(days):
    """A recipe value: brought into service ``days`` ago, in the morning."""
    return seeding.ago(days=days, hours=(9, 10))


@seeding.register(Resource)
class ResourceSeed(seeding.Seed):
    # The plain resources; rooms and equipment come with their own seeds.
    recipe = Recipe(Resource, created_at=created_at((200, 3000)))

    def rows(self, ctx):
        # Named one by one ("Minibus 2"): reused by name by later runs.
        return ctx.missing(Resource, self.resources(ctx), "name")

    def resources(self, ctx):
        for pattern, location in OTHER_RESOURCES:
            for n in range(1, ctx.scaled(2) + 1):
                yield {
                    "name": pattern.format(n=n),
                    "location": location,
                }


@seeding.register(Room)
class RoomSeed(seeding.Seed):
    recipe = Recipe(Room, created_at=created_at((365, 4000)))

    def rows(self, ctx):
        rooms = ctx.wanted(ROOMS)
        special = Counter(
            ctx.rng.choices(
                [r[0] for r in SPECIAL_ROOMS],
                [r[3] for r in SPECIAL_ROOMS],
                k=round(rooms * 0.3),
            )
        )
        for pattern, capacity, location, _ in SPECIAL_ROOMS:
            for n in range(1, special[pattern] + 1):
                yield {
                    "name": pattern.format(n=n),
                    "location": location,
                    "capacity": ctx.rng.randint(*capacity),
                }
        # Classrooms: building, floor and number, "Room B12"; a district has
        # more buildings than letters, "Room AB12".
        classrooms = rooms - special.total()
        numbers = [
            f"{class_letters(building)}{floor}{n}"
            for building in range(max(4, math.ceil(classrooms / 20)))
            for floor in range(3)
            for n in range(1, 10)
        ]
        for number in ctx.rng.sample(numbers, classrooms):
            building = number.rstrip("0123456789")
            yield {
                "name": f"Room {number}",
                "location": f"Building {building}, floor {number[len(building)]}",
                "capacity": ctx.rng.choice((24, 28, 30, 32)),
            }


@seeding.register(Equipment)
class EquipmentSeed(seeding.Seed):
    # rows() gives what follows from the model: its name and serial number.
    recipe = Recipe(
        Equipment,
        location=seeding.pick(EQUIPMENT_LOCATIONS),
        created_at=created_at((30, 2000)),
    )

    def rows(self, ctx):
        # Earlier runs' serial numbers are taken too.
        serials = set(ctx.rows(Equipment, "serial_number"))
        for _ in range(ctx.wanted(EQUIPMENT)):
            kind, models = ctx.rng.choice(EQUIPMENT_KINDS)
            model = ctx.rng.choice(models)
            prefix = "".join(word[0] for word in model.split()).upper()
            while (serial := f"{prefix}-{ctx.rng.getrandbits(32):08X}") in serials:
                pass
            serials.add(serial)
            yield {
                "name": f"{kind} {model}",
                "serial_number": serial,
            }


@seeding.register(Booking)
class BookingSeed(seeding.Seed):
    def rows(self, ctx):
        rng, today = ctx.rng, ctx.now.date()
        terms = [(first, last) for _, first, last in current_terms(ctx.now)]
        window = (
            today - datetime.timedelta(days=BOOKINGS_BACK),
            today + datetime.timedelta(days=BOOKINGS_AHEAD),
        )
        # (day, its 08:00): a resource is booked on the days that begin after
        # it came to be.
        days = [(day, at(day, 8)) for day in school_days(terms, *window)]
        people = list(
            User.objects.using(ctx.using)
            .filter(role__in=(User.Role.TEACHER, User.Role.STAFF))
            .order_by("pk")
            .values_list("pk", "role")
        )
        teachers = [pk for pk, role in people if role == User.Role.TEACHER]
        staff = [pk for pk, role in people if role == User.Role.STAFF] or teachers
        resources = ctx.new_rows(Resource, "pk", "name", "created_at", "room", "equipment")
        for pk, name, created, room, equipment in resources:
            kind = "room" if room else "equipment" if equipment else "other"
            purposes = PURPOSES.get(name.rsplit(" ", 1)[0], PURPOSES[kind])
            usable = [day for day, opens in days if opens > created]
            count = rng.randint(
                BOOKINGS_PER_RESOURCE // 2, BOOKINGS_PER_RESOURCE * 3 // 2
            )
            for day in sorted(rng.sample(usable, min(len(usable), count))):
                if kind == "other":
                    # A trip takes the whole school day.
                    slots = [(PERIODS[0][0], PERIODS[-1][1])]
                else:
                    taken = sorted(rng.sample(range(len(PERIODS)), rng.randint(1, 3)))
                    slots = [PERIODS[p] for p in taken]
                for start, end in slots:
                    yield {
                        "resource": pk,
                        "booked_by": rng.choice(
                            teachers if rng.random() < 0.8 else staff
                        ),
                        "starts_at": at(day, *start),
                        "ends_at": at(day, *end),
                        "purpose": rng.choice(purposes),
                    }


def whole(pattern):
    """A compiled pattern as the database matches it against a whole name."""
    return f"^({pattern.pattern})$"


@seeding.check("rooms, equipment and other resources have names that say what they are")
def resource_names(ctx):
    room, equipment = Q(room__isnull=False), Q(equipment__isnull=False)
    named = (
        (room & Q(name__regex=whole(ROOM_NAME)))
        | (~room & equipment & Q(name__regex=whole(EQUIPMENT_NAME)))
        | (~room & ~equipment & Q(name__regex=whole(OTHER_NAME)))
    )
    return Resource.objects.using(ctx.using).exclude(named)


@seeding.check("bookings of one resource never overlap")
def bookings_overlap(ctx):
    # Taken in the order they start, two of a resource's bookings overlap
    # when the earlier ends after the later starts: the later is found, as
    # one before it ends after it starts. One window does: the earlier of the
    # two ends after it starts too (a constraint of the table), so a second,
    # looking ahead for it, would find the same overlaps again.
    ended = Window(
        Max("ends_at"),
        partition_by=[F("resource")],
        order_by=[F("starts_at").asc(), F("pk").asc()],
        frame=RowRange(start=None, end=-1),
    )
    return (
        Booking.objects.using(ctx.using).alias(ended=ended).filter(ended__gt=F("starts_at"))
    )


@seeding.check("bookings end after they start, on a weekday between 08:00 and 17:00")
def bookings_in_school_hours(ctx):
    bookings = Booking.objects.using(ctx.using)
    wrong_starts = values_where(
        bookings,
        "starts_at",
        Q(value__week_day__in=(1, 7))  # Sunday and Saturday
        | Q(value__time__lt=datetime.time(8)),
    )
    wrong_ends = values_where(bookings, "ends_at", Q(value__time__gt=datetime.time(17)))
    # The days, in the database's time zone (UTC, as at() makes them): a
    # cast each database does itself, where SQLite would work out __date in
    # Python row by row.
    return bookings.alias(
        starts_on=Cast("starts_at", DateField()), ends_on=Cast("ends_at", DateField())
    ).filter(
        Q(ends_at__lte=F("starts_at"))
        | Q(starts_at__in=wrong_starts)
        | Q(ends_at__in=wrong_ends)
        | ~Q(ends_on=F("starts_on"))
        | Q(starts_at__lt=F("resource__created_at"))
    )
