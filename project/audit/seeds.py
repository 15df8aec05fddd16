"""
How the audit trail is seeded.

The audit log points at rows of every other app, so it is seeded last. Each
entry is about a real row, made by a member of staff or a teacher after the
row came to be; the entries are inserted in the order they happened.
"""

import datetime
import ipaddress
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    UUIDField,
    Value,
    Window,
)
from django.db.models.functions import Cast, Lag, Lower, Replace, TruncDate

import seeding
from project.behavior.models import BehaviorIncident
from project.exams.models import ExamResult
from project.finance.models import Invoice, Payment
from project.messaging.models import Conversation, Message
from project.resources.models import Booking, Equipment, Room
from project.school.models import Student, User
from project.school.calendar import at
from project.school.queries import key_batches

from .models import AuditLog

ENTRIES = 800
OFFICE_NETWORK = ipaddress.IPv4Network("10.20.0.0/16")


class Target(NamedTuple):
    """How the audit log treats rows of one model."""

    #: The field (or path) that holds the row's time.
    time: str
    #: What happens to rows of the model, with weights.
    actions: dict
    #: Who acts on them: "staff", "teacher", "any" of both, or "self" (the
    #: user who logs in).
    actors: str = "any"
    #: Turns the time into the moment the row came to be, if it differs.
    came_to_be: Callable | None = None
    #: The fields an update changes.
    changes: tuple = ()


def on_the_day(days_after, hour):
    return lambda day: at(day + datetime.timedelta(days=days_after), hour)


TARGETS = {
    Student: Target(
        "user__date_joined", {"view": 6, "update": 2}, "staff", changes=("grade_level",)
    ),
    Invoice: Target("issued_on", {"create": 2, "view": 3}, "staff", on_the_day(0, 8)),
    Payment: Target("paid_at", {"create": 3, "view": 1}, "staff"),
    Conversation: Target("created_at", {"view": 1}),
    Message: Target("sent_at", {"view": 1}),
    Room: Target(
        "created_at", {"update": 1, "view": 1}, "staff", changes=("capacity",)
    ),
    Equipment: Target(
        "created_at", {"update": 1, "view": 1}, "staff", changes=("location",)
    ),
    # Rooms and projectors are booked about ten days ahead.
    Booking: Target(
        "starts_at", {"create": 1}, came_to_be=lambda t: t - datetime.timedelta(days=10)
    ),
    # Marks go in the afternoon after the exam.
    ExamResult: Target(
        "exam__held_on",
        {"create": 3, "update": 1},
        "teacher",
        on_the_day(1, 15),
        ("score",),
    ),
    BehaviorIncident: Target(
        "occurred_at", {"create": 3, "view": 1}, "teacher", changes=("severity",)
    ),
    User: Target("date_joined", {"login": 1}, "self"),
}
#: How often each model is the target, relative to the others.
WEIGHTS = {
    Student: 4,
    Invoice: 3,
    Payment: 2,
    ExamResult: 3,
    BehaviorIncident: 2,
    User: 4,
}
#: The log keeps the last year.
KEPT = datetime.timedelta(days=365)


def came_to_be(rng, using, model, k):
    """
    (primary key, the moment the row came to be) of k of model's rows, drawn
    at random.

    The draw is among positions in key order: reading every row's time would
    convert a value per row of a large table (exam results) to keep a few
    thousand, and holding every key would take memory in proportion to it.
    """
    target = TARGETS[model]
    rows = model._base_manager.using(using).exclude(**{f"{target.time}__isnull": True})
    whole = isinstance(model._meta.pk, IntegerField)
    # PostgreSQL has no MIN() of UUIDs: the bounds are asked of numbers only.
    span = rows.aggregate(
        total=Count("pk"), **({"low": Min("pk"), "high": Max("pk")} if whole else {})
    )
    total, low = span["total"], span.get("low")
    positions = rng.sample(range(total), min(k, total))
    if low is not None and span["high"] - low + 1 == total:
        # Consecutive keys, as a run writes them: a position is an offset.
        chosen = [low + i for i in positions]
    else:
        wanted = bytearray(total)
        for i in positions:
            wanted[i] = 1
        keys = rows.order_by("pk").values_list("pk", flat=True)
        at_position = dict(zip(sorted(positions), compress(keys.iterator(), wanted)))
        chosen = [at_position[i] for i in positions]
    times = {}
    for keys in key_batches(using, chosen):
        times.update(rows.filter(pk__in=keys).values_list("pk", target.time))
    if target.came_to_be:
        return [(pk, target.came_to_be(times[pk])) for pk in chosen]
    return [(pk, times[pk]) for pk in chosen]


@seeding.register(AuditLog)
class AuditLogSeed(seeding.Seed):
    def rows(self, ctx):
        if ctx.top_up and ctx.existing:
            # A log records what happened: it is written once, not topped up
            # with entries in its past.
            return
        rng, using = ctx.rng, ctx.using
        staff = User.objects.using(using).filter(
            role__in=(User.Role.STAFF, User.Role.TEACHER)
        )
        # Each list by the day its people joined: those there at a given
        # moment are a prefix of it.
        actors = defaultdict(list)
        for pk, role, joined in staff.order_by("date_joined", "pk").values_list(
            "pk", "role", "date_joined"
        ):
            actors[role].append((pk, joined))
            actors["any"].append((pk, joined))
        models = list(TARGETS)
        planned = Counter(
            rng.choices(
                models, [WEIGHTS.get(m, 1) for m in models], k=self.count_for(ctx)
            )
        )
        entries = []
        for model in models:
            target = TARGETS[model]
            if not planned[model]:
                continue
            content_type = ContentType.objects.db_manager(using).get_for_model(model)
            if target.actors == "self":
                rows = actors["any"]
                rows = [rng.choice(rows) for _ in range(planned[model])] if rows else []
            else:
                rows = came_to_be(rng, using, model, planned[model])
            actions = rng.choices(
                list(target.actions), target.actions.values(), k=len(rows)
            )
            for (pk, created), action in zip(rows, actions):
                when = self.moment(ctx, action, created)
                if when is None:
                    continue
                if target.actors == "self":
                    actor = pk
                else:
                    able = actors[target.actors]
                    there = bisect_right(able, when, key=itemgetter(1))
                    if not there:
                        continue
                    actor = able[rng.randrange(there)][0]
                changes = {}
                if action == "update" and target.changes:
                    changes = {"changed": list(target.changes)}
                entries.append((when, actor, action, content_type.pk, str(pk), changes))
        # Entries go in in the order they happened, after those the log holds:
        # a log gains no entries in its past.
        entries.sort(key=itemgetter(0))
        last = AuditLog.objects.using(using).aggregate(last=Max("created_at"))["last"]
        if last is not None:
            entries = [entry for entry in entries if entry[0] > last]
        for when, actor, action, content_type, object_id, changes in entries:
            yield {
                "actor": actor,
                "action": action,
                "content_type": content_type,
                "object_id": object_id,
                "changes": changes,
                "ip_address": str(OFFICE_NETWORK[rng.randrange(1, 65535)]),
                "created_at": when,
            }

    def count_for(self, ctx):
        return ctx.wanted(ENTRIES)

    def moment(self, ctx, action, created):
        """When an action on a row created then happens; None if not yet."""
        if action == "create":
            when = created + datetime.timedelta(seconds=ctx.rng.randint(0, 120))
        else:
            earliest = max(created, ctx.now - KEPT)
            span = int((ctx.now - earliest).total_seconds())
            if span <= 60:
                return None
            when = earliest + datetime.timedelta(seconds=ctx.rng.randint(60, span))
        return when if ctx.now - KEPT <= when < ctx.now else None


#: How long after its time (Target.time) a row came to be, for the models
#: whose Target.came_to_be moves it; a date counts from its midnight, UTC.
#: The SQL form of those came_to_be functions: keep the two in step.
CAME_TO_BE_AFTER = {
    Invoice: datetime.timedelta(hours=8),
    Booking: datetime.timedelta(days=-10),
    ExamResult: datetime.timedelta(days=1, hours=15),
}


def _named_models(using):
    """[(content type id, model or None)] of the types the log names."""
    named = AuditLog.objects.using(using).values("content_type")
    types = ContentType.objects.db_manager(using).filter(pk__in=named).order_by("pk")
    return [(t.pk, t.model_class()) for t in types]


def _entries_about(using, type_id, model, *conditions):
    """
    The keys of the entries of one content type whose object id is the key of
    a row of ``model`` (for which ``conditions`` hold).

    The correlated Exists stands at the top of its own query, where each
    database turns it into a join, and the outer query tests the key against
    that query's result, computed once.
    """
    rows = model._base_manager.using(using)
    own, theirs = _key_match(using, model)
    found = rows.alias(_key=theirs).filter(*conditions, _key=own)
    return (
        AuditLog.objects.using(using)
        .filter(content_type=type_id)
        .filter(Exists(found))
        .values("pk")
    )


def _key_match(using, model):
    """
    Expressions (this entry's object id, the row's key) that are equal when
    the object id is the text of that key.

    SQLite, MySQL and MariaDB compare a character column with a key
    themselves, and keep the key's index; PostgreSQL needs the key cast to
    text, as Django joins them (prepare_join_on_clause). str(uuid) is lower
    case and hyphenated; a UUID stored as 32 hex digits is compared with the
    hyphens taken out.
    """
    connection = connections[using]
    pk = model._meta.pk
    object_id = AuditLog._meta.get_field("object_id")
    own = OuterRef("object_id")
    _, theirs = connection.ops.prepare_join_on_clause(None, object_id, None, pk)
    is_uuid = isinstance(pk, UUIDField)
    if isinstance(theirs, Cast):
        return (Lower(own) if is_uuid else own), Cast("pk", output_field=object_id)
    if is_uuid and not connection.features.has_native_uuid_field:
        return Replace(Lower(own), Value("-"), Value("")), F("pk")
    return own, F("pk")


def _came_later(model):
    """
    Q on model: the row came to be after the entry (OuterRef) was made.

    Its time plus the shift is after the entry's moment when its time is
    after that moment less the shift; a date (from its midnight, UTC) is
    after a moment when it is after that moment's day.
    """
    target = TARGETS[model]
    made = OuterRef("created_at")
    shift = CAME_TO_BE_AFTER.get(model)
    if shift:
        made = ExpressionWrapper(made - shift, output_field=DateTimeField())
    if not isinstance(_field(model, target.time), DateTimeField):
        made = TruncDate(made, tzinfo=datetime.UTC)
    return Q(**{f"{target.time}__gt": made})


def _field(model, path):
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


@seeding.check("every audit entry's target is a row that exists")
def targets_exist(ctx):
    found = Q(pk__in=[])
    for type_id, model in _named_models(ctx.using):
        if model is not None:
            found |= Q(pk__in=_entries_about(ctx.using, type_id, model))
    return AuditLog.objects.using(ctx.using).exclude(found)


@seeding.check("audit entries come after their target came to be, and before now")
def entries_after_target(ctx):
    wrong = Q(created_at__gt=ctx.now)
    for type_id, model in _named_models(ctx.using):
        if model in TARGETS:
            early = _entries_about(ctx.using, type_id, model, _came_later(model))
            wrong |= Q(pk__in=early)
    return AuditLog.objects.using(ctx.using).filter(wrong)


@seeding.check("audit entries are made by staff or teachers")
def actors_are_staff(ctx):
    return AuditLog.objects.using(ctx.using).exclude(
        actor__role__in=(User.Role.STAFF, User.Role.TEACHER)
    )


@seeding.check(
    "audit entries are in time order: created_at never decreases with the key"
)
def entries_in_order(ctx):
    return (
        AuditLog.objects.using(ctx.using)
        .annotate(previous=Window(Lag("created_at"), order_by=F("pk").asc()))
        .filter(previous__gt=F("created_at"))
    )
