"""
Check constraints within a step: a row that fails one is repaired, a side of
a comparison moved, without repeating a combination of its unique rules; a
unique column moves to the first value of its sequence that fits.
"""

from itertools import repeat

from django.db.models import F, Q

from .columns import any_is
from .constraints import COMPARISONS, combination
from .exceptions import SeedFailed

#: Repairs of one row before a check constraint is declared unsatisfiable.
MAX_REPAIRS = 20


class CheckRepairs:
    """Makes a batch's rows satisfy the model's check constraints."""

    def __init__(self, table, rules, existing):
        self.table = table
        self.label = table.label
        #: The step's UniqueRules, whose combinations a repair keeps apart.
        self.rules = rules
        self.existing = existing
        self.conjunctions = [conjunction(c) for c in table.conditions]

    def repair(self, data, n, rng, given):
        # A unique column the engine counts through is not moved by a repair,
        # which could repeat a value: it takes its next value instead.
        counted = {a for a in self.table.alone if self.rules.counts_through(a, given)}
        rules = self.rules.set_rules(given) if self.table.conditions else []
        # A moved counter might repeat a count of its group: move it last.
        counters = {rule.counter for rule in rules if rule.counter is not None}
        for condition, atoms in zip(self.table.conditions, self.conjunctions):
            if holds_for_all(atoms, data):
                continue
            # Most rows hold: test them on the columns the condition reads,
            # and build the whole row only for the others.
            reads = [a for a in condition.reads if a in data]
            tested = zip(*[data[a] for a in reads]) if reads else repeat((), n)
            for i, held in enumerate(tested):
                if condition(dict(zip(reads, held))):
                    continue
                row = {a: values[i] for a, values in data.items()}
                tries = 0
                while not condition(row):
                    tries += 1
                    if tries > MAX_REPAIRS:
                        raise SeedFailed(
                            f"{self.label}: cannot generate a row that satisfies "
                            f"check constraint {condition.constraint.name}."
                        )
                    before = dict(row)
                    for sides in condition.repair(row, rng, counted, counters):
                        if not any(self._advance(row, *side, rng) for side in sides):
                            names = " or ".join(side[0] for side in sides)
                            raise SeedFailed(
                                f"{self.label}: no unique value left for {names} "
                                f"that satisfies check constraint "
                                f"{condition.constraint.name}."
                            )
                    if not self._keeps_sets(before, row, rules, rng):
                        row = before  # Draw another repair.
                for a in data:
                    data[a][i] = row[a]

    def _keeps_sets(self, before, row, rules, rng):
        """
        Whether a repaired row's unique sets hold combinations no row holds;
        if so, they are taken (the ones the row held before stay taken). A
        set whose counter counts within the group of its other columns counts
        again in the row's new group; a moved counter might repeat a count.
        """
        held, counts = [], []
        for rule in rules:
            if all(row[a] == before[a] for a in rule.names):
                continue
            if rule.counter is not None:
                if row[rule.counter] != before[rule.counter]:
                    return False
                count = self.rules.count(rule, row, rng)
                if count is None:
                    return False
                counts.append((rule, count))
                continue
            values = [row[a] for a in rule.names]
            key = combination(values, row, rule.predicate, rule.nulls_equal)
            if key is not None:
                if self.rules.taken[rule.names].contains(key):
                    return False
                held.append((rule, key))
        for rule, key in held:
            self.rules.taken[rule.names].add(key)
        for rule, (group, k, value) in counts:
            self.rules.groups.setdefault(rule.names, {})[group] = k
            row[rule.counter] = value
        return True

    def _advance(self, row, attname, lookup, right, rng):
        """
        Give the row the first value of a unique column's sequence, from its
        next index on, that compares with ``right`` as ``lookup`` asks; False
        if the sequence goes the other way or runs out. The sequences are
        ordered (numbers up, moments down from the reference time), so the
        value is found by doubling the stride, then halving it; the indices
        skipped are never used.
        """
        column = self.table.columns[attname]
        taken = self.rules.taken.get((attname,), ())
        index = self.rules.groups.get(attname, self.existing)
        capacity = column.capacity()
        end = capacity if capacity is not None else index + 2**62

        def fits(i):
            return COMPARISONS[lookup](column.distinct(rng, i, 1)[0], right)

        if index >= end or not COMPARISONS[lookup](
            column.distinct(rng, index, 1)[0], row[attname]
        ):
            return False  # The sequence goes the other way.
        low, stride = index, 1
        while not fits(min(low + stride, end - 1)):
            if low + stride >= end - 1:
                return False
            low, stride = low + stride, stride * 2
        high = min(low + stride, end - 1)
        while high - low > 1:  # fits(high), and fits(low) only if low == index
            middle = (low + high) // 2
            low, high = (low, middle) if fits(middle) else (middle, high)
        first = low if fits(low) else high
        for i in range(first, end):
            value = column.distinct(rng, i, 1)[0]
            if (value,) not in taken and COMPARISONS[lookup](value, right):
                self.rules.groups[attname] = i + 1
                row[attname] = value
                return True
        return False


def conjunction(predicate):
    """[(attname, lookup, the other column's attname or None, constant)] of
    a predicate that is an AND of comparisons and nothing else; else None."""
    leaves = []

    def conjunctive(node):
        if isinstance(node, Q):
            either = node.connector != Q.AND and len(node.children) > 1
            return not node.negated and not either and all(map(conjunctive, node.children))
        leaves.append(node)
        return True

    if not conjunctive(predicate.q) or len(leaves) != len(predicate.atoms):
        return None
    meta = predicate.model._meta
    return [
        (a, lookup, meta.get_field(v.name).attname, None)
        if isinstance(v, F)
        else (a, lookup, None, v)
        for a, lookup, v in predicate.atoms
    ]


def holds_for_all(atoms, columns):
    """
    Whether every row of ``columns`` ({attname: values}) satisfies the
    :func:`conjunction` ``atoms``, told a column at a time in passes of C;
    False when some row does not, or when it cannot be told so (a NULL, no
    conjunction): each row is then tested alone.
    """
    if atoms is None:
        return False
    for attname, lookup, other, value in atoms:
        left = columns.get(attname)
        right = repeat(value) if other is None else columns.get(other)
        if left is None or right is None or any_is(left, None):
            return False
        if other is not None and any_is(right, None):
            return False
        try:
            if not all(map(COMPARISONS[lookup], left, right)):
                return False
        except TypeError:
            return False
    return True
