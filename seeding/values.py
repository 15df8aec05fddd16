"""
Values for fields: realistic, fast, reproducible, and unique where required.

A :class:`Column` generates the values of one field a batch at a time:
numbers and moments within the ranges their names, validators and check
constraints allow, and the other built-in types; text is in ``text``. The
field's class decides the column, in :func:`column_for`.
"""

import datetime
import decimal
import ipaddress
import math
import random
import re
import uuid
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models

from .columns import Column, below
from .constraints import bounds
from .listed import listed_values
from .text import Email, File, Text, TextSearch, text_provider


class Constant(Column):
    def __init__(self, field, context, value):
        super().__init__(field, context)
        self.value = value
        self.domain = [value]

    def sample(self, rng, n):
        return [self.value] * n


class Choices(Column):
    """The field's choices, or the values its check constraints list."""

    def __init__(self, field, context, listed=None):
        super().__init__(field, context)
        if not field.choices:
            self.domain = listed
        else:
            self.domain = [value for value, _ in field.flatchoices]
            if listed is not None:
                self.domain = [value for value in self.domain if value in listed]

    def sample(self, rng, n):
        return rng.choices(self.domain, k=n)


class Boolean(Column):
    domain = [False, True]

    def sample(self, rng, n):
        return [rng.random() < 0.5 for _ in range(n)]


class Integer(Column):
    """Numbers in a realistic range; unique ones count up to the hard limit."""

    def __init__(self, field, context, low, high, limit):
        super().__init__(field, context)
        self.low, self.high, self.limit = low, high, limit

    def sample(self, rng, n):
        return [self.low + k for k in below(rng, self.high - self.low + 1, n)]

    def nth(self, rng, index):
        return self.low + index

    def capacity(self):
        return self.limit - self.low + 1


class Decimal(Column):
    def __init__(self, field, context, low, high, limit):
        super().__init__(field, context)
        self.quantum = decimal.Decimal(1).scaleb(-field.decimal_places)
        self.low = decimal.Decimal(low)
        self.steps = int((decimal.Decimal(high) - self.low) / self.quantum)
        self.limit_steps = int((decimal.Decimal(limit) - self.low) / self.quantum)

    def sample(self, rng, n):
        low, quantum = self.low, self.quantum
        steps = below(rng, self.steps + 1, n)
        if not low:
            return [quantum * k for k in steps]
        return [low + quantum * k for k in steps]

    def nth(self, rng, index):
        return self.low + index * self.quantum

    def capacity(self):
        return self.limit_steps + 1


class Float(Integer):
    def sample(self, rng, n):
        return [round(rng.uniform(self.low, self.high), 2) for _ in range(n)]

    def nth(self, rng, index):
        return float(self.low + index)

    def capacity(self):
        # Distinct values are whole steps from the low end; bounds may not be.
        return math.floor(self.limit - self.low) + 1


class Moment(Column):
    """
    Dates and datetimes in the years before the run's reference time, inside
    the bounds that check constraints put on the field: as whole seconds
    (days, for dates) from that time, counted down from it when unique.
    """

    def __init__(self, field, context, days_back):
        super().__init__(field, context)
        self.is_datetime = isinstance(field, models.DateTimeField)
        if self.is_datetime:
            self.origin, self.unit, per_day, self.step = context.now, SECOND, 86400, 60
        else:
            self.origin, self.unit, per_day, self.step = context.now.date(), DAY, 1, 1
        after, before = self._bounds(field)
        low, high = -days_back * per_day, -1
        if after is not None and after > high:
            # The usual years lie before what is allowed: start at the bound.
            low, high = after, after + days_back * per_day - 1
        elif before is not None and before < low:
            low, high = before - days_back * per_day + 1, before
        self.low = low if after is None else max(low, after)
        self.high = high if before is None else min(high, before)
        self.after, self.before = after, before
        self.start = self.origin + self.unit * self.low

    def _bounds(self, field):
        """The check constraints' bounds, inclusive, as offsets from the origin."""
        after = before = None
        kind = datetime.datetime if self.is_datetime else datetime.date
        for lookup, limit in bounds(field):
            if type(limit) is not kind:
                continue
            offset = (limit - self.origin) / self.unit
            if lookup in ("gt", "gte"):
                offset = math.floor(offset) + 1 if lookup == "gt" else math.ceil(offset)
                after = offset if after is None else max(after, offset)
            else:
                offset = math.ceil(offset) - 1 if lookup == "lt" else math.floor(offset)
                before = offset if before is None else min(before, offset)
        return after, before

    def sample(self, rng, n):
        span = self.high - self.low + 1
        if self.is_datetime:
            start, second = self.start, self.unit
            return [start + second * s for s in below(rng, span, n)]
        first, day = self.start.toordinal(), datetime.date.fromordinal
        return [day(first + d) for d in below(rng, span, n)]

    def nth(self, rng, index):
        first, step = self._counting
        return self.origin + self.unit * (first + step * index)

    def capacity(self):
        first, step = self._counting
        last = self.after if step < 0 else self.before
        return None if last is None else max(0, (last - first) // step + 1)

    @cached_property
    def _counting(self):
        """(first offset, step) of distinct values: down from the reference
        time, or from the upper bound below it; up from the lower bound when
        that lies after the reference time."""
        top = 0 if self.before is None else min(0, self.before)
        if self.after is not None and top < self.after:
            return self.after, self.step
        return top, -self.step


class Time(Column):
    def sample(self, rng, n):
        return [
            datetime.time(rng.randrange(7, 19), rng.randrange(0, 60, 5))
            for _ in range(n)
        ]

    def nth(self, rng, index):
        return datetime.time(*divmod(divmod(index, 60)[0] % 1440, 60), index % 60)

    def capacity(self):
        return 86400


class Duration(Column):
    def sample(self, rng, n):
        return [datetime.timedelta(minutes=rng.randrange(5, 600, 5)) for _ in range(n)]

    def nth(self, rng, index):
        return datetime.timedelta(seconds=index)


class UUID(Column):
    def one(self, rng):
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def nth(self, rng, index):
        return self.one(rng)


class IPAddress(Column):
    def __init__(self, field, context):
        super().__init__(field, context)
        self.version = 6 if field.protocol.lower() == "ipv6" else 4

    def one(self, rng):
        if self.version == 6:
            return str(ipaddress.IPv6Address(rng.getrandbits(128)))
        return str(ipaddress.IPv4Address(rng.randrange(0x0B000000, 0xDF000000)))

    def nth(self, rng, index):
        base = 0x20010DB8 << 96 if self.version == 6 else 0x0A000000
        address = (
            ipaddress.IPv6Address if self.version == 6 else ipaddress.IPv4Address
        )(base + index)
        return str(address)


class Binary(Column):
    def one(self, rng):
        return rng.randbytes(16)

    def nth(self, rng, index):
        return index.to_bytes(8, "big")


class JSON(Column):
    @cached_property
    def words(self):
        # Drawn on first use, as a text pool is: its size follows the rows,
        # which the plan does not know yet when it asks for the column.
        return Text.pool_of(self.context, self.field, "word")

    def one(self, rng):
        return {
            rng.choice(self.words): rng.choice(self.words)
            for _ in range(rng.randint(1, 3))
        }

    def nth(self, rng, index):
        return {"id": index, **self.one(rng)}


class HStore(JSON):
    """PostgreSQL's hstore: text keys to text values."""

    def nth(self, rng, index):
        return {"id": str(index), **self.one(rng)}


class Range(Column):
    """A non-empty range [lower, upper) of whole ``unit`` steps from ``start``."""

    #: How many units lower bounds spread over.
    SPAN = 1000

    def __init__(self, field, context, start, unit):
        super().__init__(field, context)
        self.start, self.unit = start, unit

    def one(self, rng):
        lower = self.start + rng.randrange(self.SPAN) * self.unit
        return self.field.range_type(lower, lower + rng.randint(1, 30) * self.unit)

    def nth(self, rng, index):
        lower = self.start + index * self.unit
        return self.field.range_type(lower, lower + self.unit)


class Array(Column):
    def __init__(self, field, context, base):
        super().__init__(field, context)
        self.base = base

    def one(self, rng):
        return self._fill(rng, self._shape(rng))

    def _shape(self, rng):
        # PostgreSQL wants nested arrays rectangular: one length per level.
        length = rng.randint(1, min(3, self.field.size or 3))
        if isinstance(self.base, Array):
            return [length, *self.base._shape(rng)]
        return [length]

    def _fill(self, rng, shape):
        length, *inner = shape
        if inner:
            return [self.base._fill(rng, inner) for _ in range(length)]
        return self.base.sample(rng, length)

    def nth(self, rng, index):
        return self.base.distinct(rng, index, 1)



#: (name pattern, low, high) for numbers that mean something.
NUMBER_BY_NAME = [
    (r"age", 5, 90),
    (r"year", 1990, 2030),
    (r".*(quantity|qty|count|number_of_.*|num_.*)", 1, 20),
    (r".*(minutes|mins)", 5, 240),
    (r".*(hours)", 1, 40),
    (r".*(price|amount|cost|total|fee|balance|salary|budget)", 1, 500),
    (r".*(percent|percentage|pct|score|rating|grade)", 0, 100),
    (r".*(capacity|size|seats)", 1, 60),
    (r".*(latitude|lat)", -90, 90),
    (r".*(longitude|lng|lon)", -180, 180),
]
NUMBER_BY_NAME = [
    (re.compile(rf"^({p})$", re.I), lo, hi) for p, lo, hi in NUMBER_BY_NAME
]

BIRTH = re.compile(r"^(date_of_birth|birth_?date|birthday|dob|born(_on)?)$", re.I)


def _number(kind, field, context, hard_low, hard_high, step):
    """A ``kind`` column inside the hard range; None if nothing fits in it."""
    ranges = _ranges(field, hard_low, hard_high, step)
    return None if ranges is None else kind(field, context, *ranges)


def _inside(limit, lookup, step):
    """The last multiple of ``step`` that compares with ``limit`` as ``lookup``
    asks, from its side (price > 0.005 in cents: 0.01)."""
    if isinstance(step, decimal.Decimal):
        limit = decimal.Decimal(str(limit))
    units = limit if step == 1 and isinstance(limit, int) else limit / step
    if lookup == "gt":
        return (math.floor(units) + 1) * step
    if lookup == "gte":
        return math.ceil(units) * step
    if lookup == "lt":
        return (math.ceil(units) - 1) * step
    return math.floor(units) * step


def _ranges(field, hard_low, hard_high, step):
    """
    Return (low, high, limit): a realistic range for the field's name, inside
    the hard range that validators, check constraints and the column allow,
    and the hard top; None when that range is empty. ``step`` is the least
    difference between two values.
    """
    for lookup, limit in bounds(field):
        limit = _inside(limit, lookup, step)
        if lookup in ("gt", "gte"):
            hard_low = limit if hard_low is None else max(hard_low, limit)
        else:
            hard_high = limit if hard_high is None else min(hard_high, limit)
    if hard_low is not None and hard_high is not None and hard_low > hard_high:
        return None
    low, high = 0, 1000
    for pattern, name_low, name_high in NUMBER_BY_NAME:
        if pattern.match(field.name):
            low, high = name_low, name_high
            break
    if hard_low is not None and hard_low > high:
        # The usual range lies below what is allowed: start at the bottom.
        low, high = hard_low, hard_low + 1000
    elif hard_high is not None and hard_high < low:
        low, high = hard_high - 1000, hard_high
    if hard_low is not None:
        low = max(low, hard_low)
    if hard_high is not None:
        high = min(high, hard_high)
    limit = hard_high if hard_high is not None else UNBOUNDED
    return low, high, max(limit, high)


#: The top of a unique counter when nothing caps it (int64, as columns are).
UNBOUNDED = 2**63 - 1
#: django.contrib.postgres.search's fields, and what joins their lexemes.
TEXT_SEARCH = {"SearchVectorField": " ", "SearchQueryField": " & "}


def _range(field, context):
    """The Range column of a PostgreSQL range field, by its base type."""
    # An instance on the field, bound to its model.
    kind = type(field.base_field)
    now = context.now
    if issubclass(kind, models.DateTimeField):
        return Range(field, context, now - datetime.timedelta(days=30), HOUR)
    if issubclass(kind, models.DateField):
        return Range(field, context, now.date() - datetime.timedelta(days=730), DAY)
    if issubclass(kind, models.DecimalField):
        return Range(field, context, decimal.Decimal(0), decimal.Decimal("0.50"))
    if issubclass(kind, models.IntegerField):
        return Range(field, context, 0, 1)
    return None


SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)



BUILTIN_TYPES = {
    name: getattr(models, name)
    for name in dir(models)
    if name.endswith("Field") and isinstance(getattr(models, name), type)
}


def builtin_base(field):
    """The built-in field class a custom field behaves as, or None."""
    for klass in type(field).__mro__:
        if klass is models.Field:
            break
        if klass.__module__.startswith("django."):
            return klass
    return BUILTIN_TYPES.get(field.get_internal_type())


def column_for(field, context):
    """The Column that fills ``field``, or None when the engine cannot fill it."""
    column = _column_for(field, context)
    if column is None or type(field).__module__.startswith("django."):
        return column
    # A custom field may accept fewer values than the built-in it extends
    # (a JSONField that takes only lists), on the way in or when the row is
    # read back (JSON parsed into blocks): probe one before trusting it. The
    # probe is a column of its own: sampling draws a text column's pool, and
    # the plan asks before the rows, which size the pool, are known.
    probe = _column_for(field, context).sample(random.Random(0), 1)[0]
    try:
        field.get_db_prep_save(probe, context.connection)
        field.to_python(probe)
    except (ValidationError, TypeError, ValueError):
        return None
    return column


def _column_for(field, context):
    from .interpreted import EMPTY, interpreted_column

    base = builtin_base(field)
    column = interpreted_column(field, context, base)
    if column is not None:
        return None if column is EMPTY else column
    listed = listed_values(field)
    if field.choices or listed is not None:
        choices = Choices(field, context, listed)
        return choices if choices.domain else None
    if base is None:
        return None
    if base.__name__ == "ArrayField":
        inner = column_for(field.base_field, context)
        return Array(field, context, inner) if inner else None
    if base.__name__ == "HStoreField":
        return HStore(field, context)
    if base.__name__ in TEXT_SEARCH:
        return TextSearch(field, context, TEXT_SEARCH[base.__name__])
    if base.__name__.endswith("RangeField"):
        return _range(field, context)
    return _core_column(field, context, base)


def _core_column(field, context, base):
    """The column of a field class of django.db.models, by its base."""
    if issubclass(base, models.BooleanField):
        return Boolean(field, context)
    if issubclass(base, (models.IntegerField, models.AutoField)):
        return _number(Integer, field, context, None, None, 1)
    if issubclass(base, models.DecimalField):
        # bounds() holds the range that max_digits allows.
        quantum = decimal.Decimal(1).scaleb(-field.decimal_places)
        return _number(Decimal, field, context, None, None, quantum)
    if issubclass(base, models.FloatField):
        # Floats are drawn to two decimal places.
        return _number(Float, field, context, None, None, 0.01)
    if issubclass(base, (models.DateField, models.DateTimeField)):
        moment = Moment(field, context, 365 * 70 if BIRTH.match(field.name) else 730)
        # Check constraints may leave no day or second at all.
        return moment if moment.low <= moment.high else None
    if issubclass(base, models.TimeField):
        return Time(field, context)
    if issubclass(base, models.DurationField):
        return Duration(field, context)
    if issubclass(base, models.UUIDField):
        return UUID(field, context)
    if issubclass(base, models.GenericIPAddressField):
        return IPAddress(field, context)
    if issubclass(base, models.BinaryField):
        return Binary(field, context)
    if issubclass(base, models.JSONField):
        return JSON(field, context)
    if issubclass(base, models.FileField) or issubclass(base, models.FilePathField):
        return File(field, context)
    if issubclass(base, models.EmailField):
        return Email(field, context, "email")
    if issubclass(base, models.URLField):
        return Text(field, context, "url", separator="/")
    if issubclass(base, models.SlugField):
        return Text(field, context, "slug")
    if issubclass(base, (models.CharField, models.TextField)):
        provider = text_provider(field)
        if provider == "email":
            return Email(field, context, provider)
        return Text(field, context, provider)
    return None
