"""
Primary keys: which table allocates them, and the pools children draw from.
"""

import math

#: Larger means more children on few parents; 1 would be uniform.
SKEW = 2.0

AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")


class Pool:
    """Key values of a model's rows, as a few concatenated sequences."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def add(self, values):
        if len(values):
            self.parts.append(values)
            self.size += len(values)

    def __len__(self):
        return self.size

    def __iter__(self):
        for part in self.parts:
            yield from part

    def __getitem__(self, index):
        for part in self.parts:
            if index < len(part):
                return part[index]
            index -= len(part)
        raise IndexError(index)

    def take(self, indices):
        """The keys at ``indices``, without a call per key when there is one part."""
        if len(self.parts) == 1:
            part = self.parts[0]
            return [part[i] for i in indices]
        return [self[i] for i in indices]


class Spread:
    """Choose parents unevenly: a few get many children, many get few."""

    def __init__(self, size, rng):
        self.size = size
        factor = rng.randrange(1, max(2, size)) | 1
        while size and math.gcd(factor, size) != 1:
            factor += 2
        self.factor, self.offset = factor, rng.randrange(max(1, size))

    def index(self, rng):
        size = self.size
        return (int(size * rng.random() ** SKEW) * self.factor + self.offset) % size

    def indices(self, rng, n):
        """n draws of :meth:`index`, in one loop."""
        size, factor, offset, random = self.size, self.factor, self.offset, rng.random
        draws = [random() for _ in range(n)]
        if SKEW == 2:  # x * x is x ** 2.0, at a third of the cost.
            return [(int(size * x * x) * factor + offset) % size for x in draws]
        return [(int(size * x**SKEW) * factor + offset) % size for x in draws]


def is_auto(model):
    """Whether the database would number ``model``'s rows itself."""
    return model._meta.pk.get_internal_type() in AUTO_FIELDS


def root_of(model):
    """The model whose table allocates ``model``'s primary key."""
    while model._meta.pk.remote_field and model._meta.pk.remote_field.parent_link:
        model = model._meta.pk.related_model._meta.concrete_model
    return model


def tables_of(model):
    """The model and its concrete ancestors, ancestors first."""
    chain = [model, *model._meta.get_parent_list()]
    return sorted(chain, key=lambda m: len(m._meta.get_parent_list()))


def roots_of(model):
    return list(dict.fromkeys(root_of(t) for t in tables_of(model)))


def coalesce(parts):
    """One range for consecutive ranges of keys (the usual case), else a list."""
    if all(isinstance(p, range) for p in parts) and all(
        a.stop == b.start for a, b in zip(parts, parts[1:])
    ):
        return range(parts[0].start, parts[-1].stop) if parts else range(0)
    return [key for part in parts for key in part]
