"""
What every column shares: the position a random draw is seeded by, the
:class:`Column` interface, and the context of one run (the seed, the locale,
the reference time, and one fast Faker).

Every random draw comes from a ``random.Random`` seeded by its position
(seed, model, field, batch), so adding a model or a field to a project does
not reshuffle the values of any other.
"""

import itertools
import operator
import random
from collections import OrderedDict
from functools import cached_property

from faker import Faker

#: Faker values drawn per text column; fewer for a model of few rows.
POOL_SIZE = 512
SMALL_POOL = 64


def rng_for(*position):
    """A Random seeded by a position such as (seed, label, field, batch)."""
    # String seeds are hashed with SHA-512: stable across processes, unlike hash().
    return random.Random(":".join(str(p) for p in position))


def below(rng, span, n):
    """n whole numbers in [0, span), evenly spread."""
    if span > 2**52:
        return [rng.randrange(span) for _ in range(n)]
    # A scaled random() costs a quarter of randrange(), and is as even for
    # spans this far below the 53 bits of a float.
    random = rng.random
    return [int(random() * span) for _ in range(n)]


def any_is(values, marker):
    """Whether ``values`` hold ``marker`` (None, a sentinel) by identity, at C
    speed: ``in`` would ask each value's ``__eq__`` (a Decimal's, a date's)."""
    return any(map(operator.is_, values, itertools.repeat(marker)))


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

