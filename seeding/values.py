"""
Values for fields: realistic, fast, reproducible, and unique where required.

A :class:`Column` generates the values of one field a batch at a time. Text
comes from pools of Faker values, drawn once per field with a Faker seeded by
(seed, model, field) and then sampled, which is what makes it fast: Faker is
slower than the database. Every random draw comes from a ``random.Random``
seeded by its position (seed, model, field, batch), so adding a model or a
field to a project does not reshuffle the values of any other.
"""

import datetime
import decimal
import ipaddress
import itertools
import math
import random
import re
import unicodedata
import uuid
from collections import OrderedDict
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from faker import Faker

from .constraints import bounds

#: Faker values drawn per text column; fewer for a model of few rows.
POOL_SIZE = 512
SMALL_POOL = 64

PERSON_MODELS = re.compile(
    r"user|person|people|student|teacher|guardian|parent|customer|client|author|"
    r"employee|staff|member|contact|profile|patient|owner|account",
    re.I,
)


def rng_for(*position):
    """A Random seeded by a position such as (seed, label, field, batch)."""
    # String seeds are hashed with SHA-512: stable across processes, unlike hash().
    return random.Random(":".join(str(p) for p in position))


def _below(rng, span, n):
    """n whole numbers in [0, span), evenly spread."""
    if span > 2**52:
        return [rng.randrange(span) for _ in range(n)]
    # A scaled random() costs a quarter of randrange(), and is as even for
    # spans this far below the 53 bits of a float.
    random = rng.random
    return [int(random() * span) for _ in range(n)]


class Column:
    """The values of one field; subclasses say how they are drawn."""

    #: The finite list of values the field can take, when it is bounded.
    domain = None

    def __init__(self, field, context):
        self.field = field
        self.context = context

    def sample(self, rng, n):
        return [self.one(rng) for _ in range(n)]

    def one(self, rng):
        raise NotImplementedError

    def distinct(self, rng, start, n):
        """n values that differ from each other and from every other index."""
        if self.domain is not None:
            return [self.domain[i] for i in range(start, start + n)]
        return [self.nth(rng, i) for i in range(start, start + n)]

    def nth(self, rng, index):
        raise NotImplementedError

    def capacity(self):
        """How many distinct values the column can produce, None if unbounded."""
        return None if self.domain is None else len(self.domain)


class Constant(Column):
    def __init__(self, field, context, value):
        super().__init__(field, context)
        self.value = value
        self.domain = [value]

    def sample(self, rng, n):
        return [self.value] * n


class Choices(Column):
    def __init__(self, field, context, values=None):
        super().__init__(field, context)
        if values is None:
            values = [value for value, _ in field.flatchoices]
        self.domain = list(values)

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
        return [self.low + k for k in _below(rng, self.high - self.low + 1, n)]

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
        steps = _below(rng, self.steps + 1, n)
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
            return [start + second * s for s in _below(rng, span, n)]
        first, day = self.start.toordinal(), datetime.date.fromordinal
        return [day(first + d) for d in _below(rng, span, n)]

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
    def __init__(self, field, context):
        super().__init__(field, context)
        self.words = Text.pool_of(context, field, "word")

    def one(self, rng):
        return {
            rng.choice(self.words): rng.choice(self.words)
            for _ in range(rng.randint(1, 3))
        }

    def nth(self, rng, index):
        return {"id": index, **self.one(rng)}


class Text(Column):
    """Text drawn from a pool of Faker values, cut to max_length."""

    def __init__(self, field, context, provider, separator="-"):
        super().__init__(field, context)
        self.provider = provider
        self.separator = separator
        self.max_length = getattr(field, "max_length", None)

    @cached_property
    def pool(self):
        # Drawn on first use: planning asks columns for their capacity only,
        # which needs no pool unless max_length is a few characters.
        # A short column's capacity is its pool: always draw the full pool,
        # so that the plan (which knows no rows yet) and the run agree on it.
        size = POOL_SIZE if self._short() else None
        pool = self.pool_of(
            self.context, self.field, self.provider, self.max_length, size
        )
        # Past the pool, index i is a pool value + separator + hex(i): a pool
        # value of that shape, for an i the pool does not reach, would repeat
        # it. Dropping one lowers the first index past the pool: check again.
        while True:
            kept = [v for v in pool if not self._shaped_past(v, len(pool))]
            if len(kept) == len(pool):
                return pool
            pool = kept or ["x"]

    @staticmethod
    def pool_of(context, field, provider, max_length=None, size=None):
        faker = context.faker_for(field)
        size = size or context.pool_size(field)
        if provider in COMPOSED:
            drawn = COMPOSED[provider](faker, size)
        elif callable(provider):
            drawn = [provider(faker) for _ in range(size)]
        else:
            make = getattr(faker, provider)
            drawn = [make() for _ in range(size)]
        values = []
        for value in drawn:
            value = str(value)
            if max_length:
                value = value[:max_length].rstrip()
            values.append(value)
        # Distinct, in draw order: the unique suffix scheme relies on it.
        # Distinct as MySQL's default collations compare, too, regardless of
        # case and accents, or "Anna" and "anna" would break a unique rule.
        distinct = {}
        for value in values:
            if value:
                distinct.setdefault(folded(value), value)
        return list(distinct.values()) or ["x"]

    def sample(self, rng, n):
        return rng.choices(self.pool, k=n)

    def distinct(self, rng, start, n):
        pool = self.pool
        size = len(pool)
        if start + n <= size:
            return pool[start : start + n]
        past = self._past_pool
        return pool[start:size] + [past(i) for i in range(max(start, size), start + n)]

    def nth(self, rng, index):
        if index < len(self.pool):
            return self.pool[index]
        return self._past_pool(index)

    def _past_pool(self, index):
        # The suffix encodes the whole index, so values stay distinct even
        # when max_length cuts two pool values to the same prefix.
        pool = self.pool
        return self.decorate(pool[index % len(pool)], f"{self.separator}{index:x}")

    def decorate(self, value, suffix):
        if self.max_length:
            value = value[: self.max_length - len(suffix)]
        return value + suffix

    def _shaped_past(self, value, size):
        """Whether ``value`` reads as the value of an index from ``size`` on:
        it ends in the separator and that index in hex."""
        _, separator, tail = folded(value).rpartition(self.separator)
        if not separator or not tail or not set(tail) <= HEX_DIGITS:
            return False
        index = int(tail, 16)
        return index >= size and tail == f"{index:x}"

    def capacity(self):
        if not self.max_length:
            return None
        if not self._short():
            return self._suffixed()  # No pool is larger: no need to draw one.
        return max(len(self.pool), self._suffixed())

    def _suffixed(self):
        # Past the pool, only indices whose suffix fits in max_length give a
        # value that fits: the suffix is never cut, or values would repeat.
        return 16 ** (self.max_length - len(self.separator))

    def _short(self):
        return bool(self.max_length) and self._suffixed() < POOL_SIZE


def folded(text):
    """``text`` as a case- and accent-insensitive collation compares it."""
    if text.isascii():
        return text.casefold()  # No accents to strip: skip the normalising.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Email(Text):
    """
    Emails; past the pool, the index is a plus address (ann+1ff@example.com).
    The "+" keeps cut values apart: without it, "ann" + "d229" would repeat
    "annd" + "229" once the local part is cut to make room.
    """

    def __init__(self, field, context, provider):
        super().__init__(field, context, provider, separator="+")

    def decorate(self, value, suffix):
        local, _, domain = value.partition("@")
        if not self.max_length:
            return f"{local}{suffix}@{domain}"
        # Cut the local part first, then, in a column too short for a whole
        # address, the domain: the suffix and the "@" always stay.
        local = local[: max(0, self.max_length - len(domain) - len(suffix) - 1)]
        return f"{local}{suffix}@{domain}"[: self.max_length]

    def _shaped_past(self, value, size):
        return super()._shaped_past(value.partition("@")[0], size)


class File(Text):
    def __init__(self, field, context):
        super().__init__(
            field,
            context,
            lambda faker: faker.file_name(
                category="image" if isinstance(field, models.ImageField) else None
            ),
        )
        upload_to = getattr(field, "upload_to", "")
        upload_to = upload_to if isinstance(upload_to, str) else ""
        self.prefix = datetime.date(2000, 1, 1).strftime(upload_to).rstrip("/")

    def sample(self, rng, n):
        return [self.join(v) for v in super().sample(rng, n)]

    def distinct(self, rng, start, n):
        return [self.join(v) for v in super().distinct(rng, start, n)]

    def nth(self, rng, index):
        return self.join(super().nth(rng, index))

    def join(self, name):
        path = f"{self.prefix}/{name}" if self.prefix else name
        return path[-self.max_length :] if self.max_length else path


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


def _paragraphs(faker, size):
    """
    Faker's paragraphs, one to four of its sentences each, with the sentences
    drawn once for the pool and combined: a paragraph costs a join.
    """
    sentences = [faker.sentence() for _ in range(max(16, size // 2))]
    choices, randint = faker.random.choices, faker.random.randint
    return [" ".join(choices(sentences, k=randint(1, 4))) for _ in range(size)]


#: Providers whose pools are combined from parts, not drawn value by value.
COMPOSED = {"paragraph": _paragraphs}

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEX_DIGITS = frozenset("0123456789abcdef")


def _code(rng):
    """A reference such as KX-4821-BQ."""
    letters = "".join(rng.choices(LETTERS, k=4))
    return f"{letters[:2]}-{rng.randrange(10000):04}-{letters[2:]}"


#: Field names, or name patterns, and the Faker providers they mean.
TEXT_BY_NAME = [
    (r"first_?name|given_?name|forename", "first_name"),
    (r"last_?name|surname|family_?name", "last_name"),
    (r"full_?name|display_?name|contact_?name", "name"),
    (r"user_?name|login|handle|nick_?name", "user_name"),
    (r"e?mail(_address)?", "email"),
    (r"phone(_number)?|mobile|telephone|tel|fax", "phone_number"),
    (r"city|town", "city"),
    (r"country", "country"),
    (r"state|province|region", "state"),
    (r"(street_)?address(_line_?1)?|street", "street_address"),
    (r"address_line_?2", "secondary_address"),
    (r"zip(_?code)?|post(al)?_?code", "postcode"),
    (r"company|organi[sz]ation|employer|vendor|supplier", "company"),
    (r"job(_title)?|occupation|position", "job"),
    (r"url|website|homepage|link", "url"),
    (r"domain(_name)?|host(name)?", "domain_name"),
    (r"slug", "slug"),
    (r"colou?r", "color_name"),
    (r"currency(_code)?", "currency_code"),
    (r"language|locale|lang", "language_code"),
    (r"iban", "iban"),
    (r"user_?agent", "user_agent"),
    (r"location|place|venue|room", "city"),
    (
        r"title|subject|headline|heading|caption",
        lambda f: f.sentence(nb_words=4).rstrip("."),
    ),
    (
        r"description|body|content|text|notes?|comments?|bio|summary|message|objectives?|details?|remarks?",
        "paragraph",
    ),
    (
        r"reference|ref|code|number|sku|serial(_number)?|token|key",
        lambda f: _code(f.random),
    ),
    (r"password", "password"),
]
TEXT_BY_NAME = [
    (re.compile(rf"^({pattern})$", re.I), provider)
    for pattern, provider in TEXT_BY_NAME
]

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


class ValueContext:
    """What columns share in one run: the seed, the locale, the reference time."""

    def __init__(self, seed, locale, now, connection, rows=None, choices=None):
        self.seed = seed
        self.locale = locale
        self.now = now
        self.connection = connection
        #: {model: rows planned}, for pools no larger than a column needs.
        self.rows = rows or {}
        #: SEEDING['CHOICES']: the values of fields kept outside the schema.
        self.choices = choices or {}

    def pool_size(self, field):
        """Twice the rows the field's model gets, within SMALL_POOL..POOL_SIZE."""
        rows = self.rows.get(field.model)
        if rows is None:
            return POOL_SIZE
        return min(POOL_SIZE, max(SMALL_POOL, 2 * rows))

    @cached_property
    def faker(self):
        return fast_faker(self.locale)

    def faker_for(self, field):
        # One instance, reseeded per field: a fresh one draws exactly the
        # same values, and creating it costs more than most pools.
        faker = self.faker
        faker.seed_instance(f"{self.seed}:{field.model._meta.label}:{field.name}")
        return faker


def fast_faker(locale):
    """A Faker of ``locale`` whose weighted lists are summed once, not per draw."""
    faker = Faker(locale)
    for provider in faker.providers:
        _weigh_fast(provider)
    return faker


def _weigh_fast(provider):
    """
    Let ``provider`` draw from weighted lists (names, in most locales) without
    summing the weights of thousands of entries at every draw: they are summed
    once. ``random.choices`` with the sums draws exactly what it draws with
    the weights, so the values are Faker's own, at a fraction of the cost.
    """
    draw = provider.random_elements

    def random_elements(
        elements=("a", "b", "c"), length=None, unique=False, use_weighting=None
    ):
        if use_weighting is None:
            use_weighting = provider.__use_weighting__
        if length is None or unique or not use_weighting:
            return draw(elements, length, unique, use_weighting)
        if not isinstance(elements, OrderedDict):
            return draw(elements, length, unique, use_weighting)
        sums = getattr(elements, "_seeding_sums", None)
        if sums is None:
            sums = elements._seeding_sums = (
                tuple(elements),
                list(itertools.accumulate(elements.values())),
            )
        keys, totals = sums
        return provider.generator.random.choices(keys, cum_weights=totals, k=length)

    provider.random_elements = random_elements


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


def _text_provider(field):
    for pattern, provider in TEXT_BY_NAME:
        if pattern.match(field.name):
            return provider
    if field.name == "name" or field.name.endswith("_name"):
        if PERSON_MODELS.search(field.model.__name__):
            return "name"
        return lambda f: (
            f.catch_phrase().split(" ")[-1].capitalize() + " " + f.word().capitalize()
        )
    if isinstance(field, models.TextField):
        return "paragraph"
    if (field.max_length or 0) >= 60:
        return "sentence"
    return "word"


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
    # (a JSONField that takes only lists): probe one before trusting it.
    try:
        field.get_db_prep_save(column.sample(random.Random(0), 1)[0], context.connection)
    except (ValidationError, TypeError, ValueError):
        return None
    return column


def _column_for(field, context):
    from .interpreted import EMPTY, interpreted_column

    base = builtin_base(field)
    column = interpreted_column(field, context, base)
    if column is not None:
        return None if column is EMPTY else column
    if field.choices:
        return Choices(field, context)
    if base is None:
        return None
    if base.__name__ == "ArrayField":
        inner = column_for(field.base_field, context)
        return Array(field, context, inner) if inner else None
    if base.__name__ == "HStoreField":
        return HStore(field, context)
    if base.__name__.endswith("RangeField"):
        return _range(field, context)
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
        provider = _text_provider(field)
        if provider == "email":
            return Email(field, context, provider)
        return Text(field, context, provider)
    return None
