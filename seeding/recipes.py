"""
The values a seed module's model_bakery ``Recipe`` gives, drawn a column at a
time with positional seeds, like the engine's automatic values: a constant,
``seq()``, a callable (called once per row), a Faker provider
(``seeding.fake("phone_number")``) or weighted choices
(``seeding.pick(["paid", "unpaid"], weights=[8, 2])``). Each column of each
batch has a generator of its own, so that adding a field to a recipe leaves
the values of the others as they were.
"""

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

    def sample(self, rng, faker, n):
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

    def sample(self, rng, faker, n):
        return rng.choices(self.values, cum_weights=self.cum_weights, k=n)

    def __call__(self):
        return self.sample(random, None, 1)[0]

    def __repr__(self):
        return f"pick({self.values!r})"


class RecipeColumns:
    """The recipe values of one step, a column of a batch at a time."""

    def __init__(self, values, locale):
        self.values = values
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
        if isinstance(value, (fake, pick)):
            values = value.sample(rng, self.faker, n)
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
