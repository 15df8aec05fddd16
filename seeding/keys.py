"""
Primary keys: which table allocates them, the service that allocates and
previews them in a run, and the pools children draw from.

A pool holds a key per row of its table for the whole run, so large pools
keep their keys packed: consecutive integers as a range, other integers in
an array of 64-bit ints and UUIDs as their 16 bytes, a tenth of the memory
of objects.
"""

import math
import uuid
from array import array

from django.db import models

from .columns import rng_for
from .values import column_for

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
            if isinstance(part, UUIDs):
                return part.take(indices)
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


class UUIDs:
    """UUIDs packed into bytes, 16 each, read back as UUID objects."""

    def __init__(self, data=b""):
        self.data = data

    def __len__(self):
        return len(self.data) // 16

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return UUIDs(self.data[start * 16 : stop * 16])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return uuid.UUID(bytes=self.data[index * 16 : index * 16 + 16])

    def __iter__(self):
        data = self.data
        for start in range(0, len(data), 16):
            yield uuid.UUID(bytes=data[start : start + 16])

    def take(self, indices):
        """The UUIDs at ``indices`` (none negative), in one loop."""
        data, UUID = self.data, uuid.UUID
        return [UUID(bytes=data[i * 16 : i * 16 + 16]) for i in indices]


#: The range of an array("q") item.
SMALLEST, LARGEST = -(2**63), 2**63 - 1

#: Keys a sequence holds before it is packed. Below, objects cost little
#: memory (5 MB of UUIDs at most) and are drawn without building one each.
PACKED_FROM = 50_000


def pack(values, size=None):
    """``values`` in the least memory that gives them back unchanged, when
    they are, or are part of, ``size`` keys (by default their own number)
    of at least PACKED_FROM."""
    if isinstance(values, (range, array, UUIDs)):
        return values
    if (len(values) if size is None else size) < PACKED_FROM:
        return values
    if all(type(v) is int for v in values) and (
        not values or SMALLEST <= min(values) and max(values) <= LARGEST
    ):
        return array("q", values)
    if values and all(type(v) is uuid.UUID for v in values):
        return UUIDs(b"".join(v.bytes for v in values))
    return values


def coalesce(parts):
    """Parts of keys as one sequence: one range for consecutive ranges (the
    usual case), else a list, or packed as :func:`pack` would."""
    if all(isinstance(p, range) for p in parts) and all(
        a.stop == b.start for a, b in zip(parts, parts[1:])
    ):
        return range(parts[0].start, parts[-1].stop) if parts else range(0)
    size = sum(map(len, parts))
    if size < PACKED_FROM:
        return [key for part in parts for key in part]
    parts = [array("q", p) if isinstance(p, range) else pack(p, size) for p in parts]
    if all(isinstance(p, array) for p in parts):
        whole = array("q")
        for part in parts:
            whole.extend(part)
        return whole
    if all(isinstance(p, UUIDs) for p in parts):
        return UUIDs(b"".join(p.data for p in parts))
    return [key for part in parts for key in part]


class KeyService:
    """
    The keys of one run: integer keys allocated from each table's maximum,
    the pools of keys that children draw from, and the previews of the keys
    (and ``to_field`` columns) of rows still to be inserted, so that keys
    can point forward at them.
    """

    def __init__(self, plan, values):
        self.plan = plan
        self.using = plan.using
        self.seed = plan.seed
        self.values = values
        self.batch_size = plan.config.batch_size
        self.pools = {}
        self.next_pk = {}
        self.previews = {}
        self.done = set()

    def step_done(self, model, new_keys):
        """``model``'s rows are in: ``new_keys`` ({root: keys}) join the pools
        of every table they key, and keys come from the pools from now on."""
        for root, keys in new_keys.items():
            for table in [model, *model._meta.get_parent_list()]:
                if root_of(table) is root:
                    self.pool(table).add(keys)
        self.done.add(model)
        self.previews.pop(model, None)

    def previews_of(self, model):
        """{attname: values} decided so far for ``model``'s rows to come."""
        return self.previews.get(model, {})

    def pool(self, model):
        model = model._meta.concrete_model
        if model not in self.pools:
            pool = Pool()
            existing = self.plan.existing.get(model)
            if existing is None:
                existing = model._base_manager.using(self.using).count()
            if existing:
                pool.add(
                    pack(
                        list(
                            model._base_manager.using(self.using)
                            .order_by("pk")
                            .values_list("pk", flat=True)
                        )
                    )
                )
            self.pools[model] = pool
        return self.pools[model]

    def allocate(self, root, n):
        """Reserve n integer keys of ``root``'s table; return them as a range."""
        if root not in self.next_pk:
            top = root._base_manager.using(self.using).aggregate(top=models.Max("pk"))[
                "top"
            ]
            self.next_pk[root] = (top or 0) + 1
        start = self.next_pk[root]
        self.next_pk[root] += n
        return range(start, start + n)

    def values_of(self, field):
        """What a key through ``field`` can hold now: the values of its target
        column in the rows that exist."""
        target = field.related_model._meta.concrete_model
        column = field.target_field
        if column.primary_key:
            return self.pool(target)
        values = Pool()
        values.add(self.stored(target, column))
        return values

    def targets(self, field):
        """What a key through ``field`` may hold: the values of the rows that
        exist and, while the target's step is still to come, of the rows it
        will insert (a key that points forward)."""
        target = field.related_model._meta.concrete_model
        values = self.values_of(field)
        if target in self.done or self.plan.step(target) is None:
            return values
        both = Pool()
        both.add(values)
        both.add(self.preview(target, field.target_field))
        return both

    def preview(self, model, column):
        """The values of ``column`` that a planned model's rows will get,
        decided before they are inserted so that keys can point at them."""
        decided = self.previews.setdefault(model, {})
        if column.attname not in decided:
            count = self.plan.step(model).count
            if column.primary_key:
                decided[column.attname] = pack(self._new_keys(model, count))
            elif (values := column_for(column, self.values)) is None:
                decided[column.attname] = []  # The new rows hold NULL there.
            else:
                decided[column.attname] = self.distinct(
                    values,
                    rng_for(self.seed, model._meta.label, column.name),
                    self.plan.existing.get(model, 0),
                    count,
                    set(self.stored(model, column)),
                )
        return decided[column.attname]

    def _new_keys(self, model, n):
        """Primary keys for n new rows of ``model``."""
        root = root_of(model)
        if is_auto(root):
            return self.allocate(root, n)
        held = set(self.pool(root))
        rng = rng_for(self.seed, model._meta.label, "pk")
        pk = root._meta.pk
        if pk.is_relation:
            # A one-to-one primary key: keys of the target no row holds yet.
            free = [key for key in self.targets(pk) if key not in held]
            rng.shuffle(free)
            return free[:n]
        column = column_for(pk, self.values)
        return self.distinct(column, rng, self.plan.existing.get(root, 0), n, held)

    def distinct(self, column, rng, offset, n, taken):
        """n distinct values of ``column`` from index ``offset`` on, none taken."""
        parts, found, index = [], 0, offset
        while found < n:
            # A batch at a time, packed once they are many: a large step's
            # keys as objects would be the largest thing in memory.
            wanted = min(n - found, self.batch_size)
            values = [v for v in column.distinct(rng, index, wanted) if v not in taken]
            parts.append(pack(values, n))
            found += len(values)
            # The next indices, none skipped: a short column has few to spare.
            index += wanted
        return coalesce(parts)

    def stored(self, model, column):
        """The values of ``column`` in ``model``'s rows, NULL aside."""
        return list(
            model._base_manager.using(self.using)
            .exclude(**{f"{column.attname}__isnull": True})
            .order_by("pk")
            .values_list(column.attname, flat=True)
        )
