"""
The values a seed module's model_bakery ``Recipe`` gives, drawn a column at a
time with positional seeds, like the engine's automatic values: a constant,
``seq()``, a callable (called once per row), a Faker provider
(``seeding.fake("phone_number")``), weighted choices
(``seeding.pick(["paid", "unpaid"], weights=[8, 2])``) or moments before the
run's reference time (``seeding.ago(days=(1, 250), hours=(7, 21))``). Each
column of each batch has a generator of its own, so that adding a field to a
recipe leaves the values of the others as they were.
"""

import datetime
import itertools
import random
from collections.abc import Iterator
from itertools import accumulate

import faker
from django.db import models

from .columns import fast_faker


class fake:
    """A recipe value drawn from a Faker provider: ``fake("sentence", nb_words=6)``."""

    def __init__(self, provider, *args, **kwargs):
        self.provider, self.args, self.kwargs = provider, args, kwargs

    def sample(self, rng, run, n):
        faker = run.faker
        faker.seed_instance(rng.getrandbits(64))
        method = getattr(faker, self.provider)
        return [method(*self.args, **self.kwargs) for _ in range(n)]

    def __call__(self):
        # One value, as model_bakery calls a recipe's callables outside a seed.
        return getattr(faker.Faker(), self.provider)(*self.args, **self.kwargs)

    def __repr__(self):
        return f"fake({self.provider!r})"


class pick:
    """A recipe value chosen among ``values``, by ``weights`` if given."""

    def __init__(self, values, weights=None):
        self.values = list(values)
        self.cum_weights = list(accumulate(weights)) if weights else None

    def sample(self, rng, run, n):
        return rng.choices(self.values, cum_weights=self.cum_weights, k=n)

    def __call__(self):
        return self.sample(random, None, 1)[0]

    def __repr__(self):
        return f"pick({self.values!r})"


class ago:
    """
    A recipe value: a moment ``days`` before the run's reference time
    (``SEEDING["NOW"]``), ``days`` a (least, most) range of whole days, at a
    time of day in UTC from ``hours[0]`` up to ``hours[1]``; with ``date``,
    the day alone. ``ago(days=(1, 250), hours=(7, 21))``: the past 250 days,
    in the day time. A least of 0 days may reach past that time on its day.
    """

    def __init__(self, days, hours=(0, 24), date=False):
        self.least, self.most = days
        self.hours, self.date = hours, date

    def sample(self, rng, run, n):
        return self._moments(rng, run.now, n)

    def _moments(self, rng, now, n):
        today = now.date().toordinal()
        days = self.most - self.least + 1
        ordinals = [today - self.least - int(rng.random() * days) for _ in range(n)]
        if self.date:
            return list(map(datetime.date.fromordinal, ordinals))
        start = datetime.datetime.combine(now.date(), datetime.time(), datetime.UTC)
        start += datetime.timedelta(hours=self.hours[0])
        seconds = (self.hours[1] - self.hours[0]) * 3600
        day, second = datetime.timedelta(days=1), datetime.timedelta(seconds=1)
        return [
            start - (today - ordinal) * day + int(rng.random() * seconds) * second
            for ordinal in ordinals
        ]

    def __call__(self):
        from .conf import get_config

        return self._moments(random, get_config().now, 1)[0]

    def __repr__(self):
        return f"ago(days={(self.least, self.most)!r})"


class RecipeColumns:
    """The recipe values of one step, a column of a batch at a time."""

    def __init__(self, values, locale, now):
        self.values = values
        self.now = now
        self.faker = (
            fast_faker(locale)
            if any(isinstance(v, fake) for v in values.values())
            else None
        )

    def __bool__(self):
        return bool(self.values)

    def items(self):
        return self.values.items()

    def __contains__(self, attname):
        return attname in self.values

    def __getitem__(self, attname):
        return self.values[attname]

    def draw(self, attname, rng, n, position):
        """The ``n`` values of column ``attname`` for a batch, keys as keys."""
        value = self.values[attname]
        if isinstance(value, (fake, pick, ago)):
            values = value.sample(rng, self, n)
        elif callable(value):
            # Callables may draw from the global generators: seed them by
            # the column's position, as every other value is.
            from model_bakery import random_gen

            random.seed(position)
            random_gen.baker_random.seed(position)
            faker.Faker.seed(position)
            values = [value() for _ in range(n)]
        elif isinstance(value, Iterator):
            values = list(itertools.islice(value, n))
            if len(values) < n:
                raise ValueError(
                    f"the recipe's iterator ran out after {len(values)} rows"
                )
        else:
            values = [value] * n
        return [v.pk if isinstance(v, models.Model) else v for v in values]


def unhonoured(recipe):
    """The names of fields the recipe sets in ways the engine does not follow."""
    from model_bakery.recipe import RecipeForeignKey, related

    return [
        name
        for name, value in recipe.attr_mapping.items()
        if isinstance(value, (RecipeForeignKey, related))
    ]
