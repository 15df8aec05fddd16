"""
Unique rules and check constraints, read from ``_meta`` and kept in Python.

Rows that break a CheckConstraint are never sent to the database. Where a
condition bounds a column (price >= 0, or price <= F("cap") with a cap that
validators bound), the column draws its values inside the bounds
(``bounds``). Conditions made of comparisons (with constants or other
fields), ranges, ``in`` and ``isnull`` are evaluated for each generated row
and the offending values are repaired. Conditions beyond that are reported
by the plan.
"""

import datetime
import decimal
import json
import math
import operator
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db.models import (
    CheckConstraint,
    DateTimeField,
    DecimalField,
    F,
    Q,
    UniqueConstraint,
)
from django.utils import timezone


def unique_sets(model):
    """Tuples of attnames that must be unique together, the pk excluded."""
    meta = model._meta
    pk = tuple(f.attname for f in meta.pk_fields)
    sets = []
    if meta.is_composite_pk:
        sets.append(pk)
    for field in meta.local_concrete_fields:
        if field.unique and not field.primary_key:
            sets.append((field.attname,))
    for names in meta.unique_together:
        sets.append(tuple(meta.get_field(n).attname for n in names))
    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.condition is None:
            # An expression constraint (Lower("name")) is kept as a plain one
            # over its fields: stricter, and always satisfied.
            names = constraint.fields or _expression_fields(constraint.expressions)
            if names:
                sets.append(tuple(meta.get_field(n).attname for n in names))
    # A set that holds the primary key or a smaller unique set is implied by
    # it; one that repeats another in a different order is the same rule.
    smaller = [set(pk), *map(set, sets)]
    kept = {}
    for names in sets:
        if not any(other < set(names) for other in smaller):
            kept.setdefault(frozenset(names), names)
    return list(kept.values())


class WrittenRules:
    """
    The unique rules the rows of one model must keep: its own table's and,
    under multi-table inheritance, those of every ancestor table its rows are
    written into too, each read against all the rows that table holds.
    """

    def __init__(self, model, connection):
        #: The table that holds each rule's rows, by the rule's attnames.
        self.owners = {}
        self.sets, self.conditional, nulls_equal = [], [], set()
        for table in [model, *model._meta.get_parent_list()]:
            for names in unique_sets(table):
                if self.owners.setdefault(names, table) is table:
                    self.sets.append(names)
            for rule in conditional_unique_sets(table):
                if self.owners.setdefault(rule[0], table) is table:
                    self.conditional.append(rule)
            nulls_equal |= nulls_equal_sets(table, connection)
        self.nulls_equal = frozenset(nulls_equal)


def nulls_equal_sets(model, connection):
    """
    The unique sets, as frozensets of attnames, whose NULLs count as equal
    (``nulls_distinct=False``) on a database that honours it: there a NULL
    is a value like any other, which the set may hold once.
    """
    if not connection.features.supports_nulls_distinct_unique_constraints:
        return frozenset()
    meta = model._meta
    return frozenset(
        frozenset(meta.get_field(n).attname for n in constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and constraint.nulls_distinct is False
        and constraint.condition is None
        and constraint.fields
    )


def combination(values, row, predicate=None, nulls_equal=False):
    """
    The ``values`` a row (attname -> value) holds in a unique set, as a set
    member; None when the rule does not bind the row: a NULL never repeats
    in SQL (unless the set counts NULLs as equal), and a conditional rule
    binds only the rows that meet it.
    """
    if None in values and not nulls_equal:
        return None
    if predicate is not None and predicate(row) is not True:
        return None
    return hashable(values)


def hashable(values):
    """
    A row of unique values as a set member. Rows of several small whole
    numbers and dates (foreign keys, days) are packed into one int: a third
    of the memory of a tuple, for sets that hold every row of a table, and
    what :class:`~seeding.taken.Taken` can move to disk.
    """
    row = values if type(values) in (list, tuple) else tuple(values)
    if len(row) > 1:
        key = 0
        for value in row:
            if type(value) is datetime.date:
                value = value.toordinal()
            if type(value) in WHOLE and 0 <= value <= 0xFFFFFFFF:
                key = key << 32 | value
            else:
                return as_tuple(row)
        return key
    return as_tuple(row)


WHOLE = frozenset((int, bool))


def batch_keys(columns, nulls_equal=False):
    """
    hashable() of each row of ``columns``, None for a row holding a NULL
    unless NULLs count as equal. Two columns of small whole numbers (a pair
    of keys, the usual unique set of many rows) are packed in one pass.
    """
    if len(columns) == 2 and all(map(_small_whole, columns)):
        return [a << 32 | b for a, b in zip(*columns)]
    if nulls_equal:
        return [hashable(row) for row in zip(*columns)]
    return [None if None in row else hashable(row) for row in zip(*columns)]


def _small_whole(values):
    return (
        bool(values)
        and set(map(type, values)) <= WHOLE
        and 0 <= min(values)
        and max(values) <= 0xFFFFFFFF
    )


def as_tuple(values):
    """Values as a tuple that hashes: JSON values (dicts, lists) serialised."""
    return tuple(
        json.dumps(v, sort_keys=True, default=str) if isinstance(v, (dict, list)) else v
        for v in values
    )


def conditional_unique_sets(model):
    """[(attnames, Predicate, Q)] for UniqueConstraints with a condition."""
    meta = model._meta
    sets = []
    for constraint in meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.condition is not None
        ):
            names = constraint.fields or _expression_fields(constraint.expressions)
            try:
                predicate = Predicate(model, constraint.condition)
            except (Unsupported, LookupError):
                predicate = None  # Unknown: treat every row as covered.
            names = tuple(meta.get_field(n).attname for n in names)
            sets.append((names, predicate, constraint.condition))
    return sets


def _expression_fields(expressions):
    names = []
    for expression in expressions:
        for node in _walk(expression):
            if isinstance(node, F):
                names.append(node.name)
    return names


def _walk(expression):
    yield expression
    for child in getattr(expression, "get_source_expressions", lambda: [])():
        if child is not None:
            yield from _walk(child)


#: A comparison read from its other side: a > b is b < a.
FLIPPED = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class Predicate:
    """A Q object as a function of a row (attname -> value), in SQL's logic."""

    def __init__(self, model, q):
        self.model = model
        self.q = q
        self.atoms = []
        #: The attnames the predicate reads: a row that holds only these
        #: evaluates as the whole row does.
        self.reads = set()
        #: The function of each node of ``q``, by id(), for repairs by branch.
        self.parts = {}
        self.evaluate = self._compile(q)

    def __call__(self, row):
        return self.evaluate(row)

    def _compile(self, node):
        self.parts[id(node)] = compiled = self._compile_node(node)
        return compiled

    def _compile_node(self, node):
        if isinstance(node, Q):
            parts = [self._compile(child) for child in node.children]
            combine = all3 if node.connector == Q.AND else any3
            if node.negated:
                return lambda row: not3(combine(p(row) for p in parts))
            return lambda row: combine(p(row) for p in parts)
        if isinstance(node, tuple):
            return self._lookup(*node)
        raise Unsupported(node)

    def _lookup(self, path, value):
        name, _, lookup = path.partition("__")
        lookup = lookup or "exact"
        field = self.model._meta.get_field(name)
        if "__" in lookup or getattr(field, "attname", None) is None:
            raise Unsupported(path)
        attname = field.attname
        self.reads.add(attname)
        if isinstance(value, F):
            other = self.model._meta.get_field(value.name).attname
            self.reads.add(other)
            operand = lambda row: row.get(other)  # noqa: E731
        elif hasattr(value, "resolve_expression"):
            raise Unsupported(path)
        else:
            value = comparable(field, value)
            operand = lambda row: value  # noqa: E731
        if lookup in COMPARISONS:
            compare = COMPARISONS[lookup]
            self.atoms.append((attname, lookup, value))

            def test(row):
                left, right = row.get(attname), operand(row)
                if left is None or right is None:
                    return None
                return compare(left, right)

            return test
        if lookup == "isnull":
            return lambda row: (row.get(attname) is None) == bool(value)
        if lookup == "in":
            choices = [comparable(field, v) for v in value]
            return lambda row: (
                None if row.get(attname) is None else row.get(attname) in choices
            )
        if lookup == "range":
            low, high = (comparable(field, v) for v in value)
            return lambda row: (
                None if row.get(attname) is None else low <= row.get(attname) <= high
            )
        raise Unsupported(path)

    @cached_property
    def unique_attnames(self):
        return {a for names in unique_sets(self.model) for a in names}

    @cached_property
    def bounds(self):
        """{attname: bounds()} of the columns a repair may move, read once."""
        return {f.attname: bounds(f) for f in self.model._meta.concrete_fields}

    def repair(self, row, rng, fixed=frozenset(), last=frozenset()):
        """
        Move the values that break a comparison so that it holds, never past
        the moved field's bounds. Of two columns, move the one outside the
        unique rules first, as a moved value could repeat another row's;
        columns in ``last`` only when the other cannot move. Columns in
        ``fixed`` are never moved: for each broken comparison that only they
        could make hold, return their (attname, lookup, value) sides, the
        value each would have to compare with.
        """
        stuck = self._repair_comparisons(row, rng, fixed, last)
        if self.evaluate(row) is False:
            self._satisfy(self.q, row, rng, fixed)
        return stuck

    def _repair_comparisons(self, row, rng, fixed, last):
        stuck = []
        for attname, lookup, value in self.atoms:
            if lookup not in FLIPPED:
                continue
            if isinstance(value, F):
                other = self.model._meta.get_field(value.name).attname
                if _holds(row.get(attname), lookup, row.get(other)):
                    continue
                sides = [(attname, lookup, other), (other, FLIPPED[lookup], attname)]
                unique = self.unique_attnames
                if attname in unique and other not in unique:
                    sides.reverse()
                sides.sort(key=lambda side: side[0] in last)
                sides = [(a, how, row[b]) for a, how, b in sides]
            elif _holds(row.get(attname), lookup, value):
                continue
            else:
                sides = [(attname, lookup, value)]
            for left, how, right in sides:
                if left not in fixed:
                    moved = self._moved(left, how, right, rng)
                    if moved is not None:
                        row[left] = moved
                        break
            else:
                held = [side for side in sides if side[0] in fixed]
                if held:
                    stuck.append(held)
        return stuck

    def _satisfy(self, node, row, rng, fixed):
        """
        Make ``node`` hold by the values its memberships, equalities and
        ``isnull`` tests name; a disjunction through one of its branches,
        tried in random order. Return whether it holds; comparisons are
        the first pass's (_repair_comparisons).
        """
        if self.parts[id(node)](row) is not False:
            return True
        if isinstance(node, tuple):
            return self._satisfy_lookup(*node, row, rng, fixed)
        if node.negated:
            return False
        if node.connector == Q.AND:
            return all(self._satisfy(child, row, rng, fixed) for child in node.children)
        branches = list(node.children)
        rng.shuffle(branches)
        for branch in branches:
            before = dict(row)
            if self._satisfy(branch, row, rng, fixed):
                return True
            row.update(before)
        return False

    def _satisfy_lookup(self, path, value, row, rng, fixed):
        name, _, lookup = path.partition("__")
        field = self.model._meta.get_field(name)
        if field.attname in fixed:
            return False
        if lookup == "isnull" and value is True and field.null:
            row[field.attname] = None
        elif lookup == "in" and value:
            row[field.attname] = comparable(field, rng.choice(list(value)))
        elif lookup in ("", "exact") and not isinstance(value, F):
            row[field.attname] = comparable(field, value)
        else:
            return False
        return True

    def _moved(self, attname, lookup, right, rng):
        """A value for ``attname`` that compares with ``right`` as ``lookup``
        asks, inside the field's bounds; None if the draw found none."""
        field = self.model._meta.get_field(attname)
        limits = self.bounds[attname]
        up = lookup in ("gt", "gte")
        # How far the value may move: to the nearest bound on its way.
        ends = [limit for how, limit in limits if how.startswith("l" if up else "g")]
        room = None
        if ends and _number(right):
            try:
                room = min(ends) - right if up else right - max(ends)
            except TypeError:
                pass  # A Decimal and a float: the draw is checked below.
        step = _step(right, rng, lookup in ("gt", "lt"), room)
        candidates = [] if step is None else [right + step if up else right - step]
        if isinstance(field, DecimalField) and isinstance(right, decimal.Decimal):
            # Past ``right`` by less than a whole step, onto the field's own
            # places (9 > 8.5 for a field without decimals).
            quantum = decimal.Decimal(1).scaleb(-field.decimal_places)
            rounding = decimal.ROUND_FLOOR if up else decimal.ROUND_CEILING
            nearest = right.quantize(quantum, rounding=rounding)
            candidates.append(nearest + quantum if up else nearest - quantum)
        for moved in candidates:
            if (
                _holds(moved, lookup, right)
                and all(_holds(moved, how, limit) for how, limit in limits)
                and all(_fits_digits(v, moved) for v in field.validators)
            ):
                return moved
        return None


def _number(value):
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(
        value, bool
    )


def _holds(left, lookup, right):
    """Whether a comparison holds, in SQL's logic: a NULL does not break it."""
    return left is None or right is None or COMPARISONS[lookup](left, right)


def _fits_digits(validator, value):
    """Whether a DecimalValidator accepts ``value``; range validators are
    among the bounds already."""
    if not isinstance(validator, DecimalValidator):
        return True
    try:
        validator(value)
    except ValidationError:
        return False
    return True


class Condition(Predicate):
    """A CheckConstraint's condition."""

    def __init__(self, model, constraint):
        self.constraint = constraint
        super().__init__(model, constraint.condition)

    def __call__(self, row):
        # SQL CHECK passes unless the condition is false; NULL is not false.
        return self.evaluate(row) is not False


def _step(value, rng, strict, room=None):
    """A random distance from ``value``, at most ``room`` (for numbers); None
    if no distance fits in it."""
    if isinstance(value, datetime.datetime):
        return datetime.timedelta(minutes=rng.randint(30 if strict else 0, 240))
    if isinstance(value, datetime.date):
        return datetime.timedelta(days=rng.randint(1 if strict else 0, 60))
    least = 1 if strict else 0
    most = 100 if isinstance(value, decimal.Decimal) else 10
    if room is not None:
        most = min(most, math.floor(room))
        if most < least:
            return None
    if isinstance(value, decimal.Decimal):
        return decimal.Decimal(rng.randint(least, most))
    return type(value)(rng.randint(least, most))


class Unsupported(Exception):
    """A condition the engine cannot evaluate in Python."""


def all3(values):
    result = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def any3(values):
    result = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def not3(value):
    return None if value is None else not value


def bounds(field, seen=frozenset()):
    """
    The (lookup, constant) bounds on ``field``'s values, lookup one of "gt",
    "gte", "lt", "lte": its range validators', and those of CheckConstraints
    whose conditions are conjunctions. A comparison with another column
    bounds it by that column's bounds (price < F("cap") and cap <= 100: price
    < 100). Values drawn inside them need no repair, which could repeat a
    unique value, and bounds that leave no value tell the plan so.
    """
    meta = field.model._meta
    found = []
    if isinstance(field, DecimalField):
        top = decimal.Decimal(10) ** (field.max_digits - field.decimal_places) - 1
        found += [("gte", -top), ("lte", top)]
    for validator in field.validators:
        if isinstance(validator, (MinValueValidator, MaxValueValidator)):
            limit = validator.limit_value
            limit = limit() if callable(limit) else limit
            lower = isinstance(validator, MinValueValidator)
            found.append(("gte" if lower else "lte", limit))
    names = {field.name, field.attname}
    for constraint in meta.constraints:
        if not isinstance(constraint, CheckConstraint) or not isinstance(
            constraint.condition, Q
        ):
            continue
        for name, lookup, value in _conjoined(constraint.condition):
            if not isinstance(value, F):
                if name in names and not hasattr(value, "resolve_expression"):
                    found.append((lookup, comparable(field, value)))
                continue
            if name in names:
                other, how = value.name, lookup
            elif value.name in names:
                other, how = name, FLIPPED[lookup]
            else:
                continue
            if other in seen or other in names:
                continue  # Comparisons that go round bound nothing new.
            other = meta.get_field(other)
            for implied, limit in bounds(other, seen | names):
                if implied[:2] == how[:2]:  # Both upper bounds, or both lower.
                    strict = "e" not in implied or "e" not in how
                    found.append((how[:2] if strict else how[:2] + "e", limit))
    return found


def _conjoined(q):
    """The (name, lookup, value) comparisons of a condition that must all
    hold; none if it is not a conjunction."""
    if q.negated or (q.connector != Q.AND and len(q.children) > 1):
        return []
    found = []
    for child in q.children:
        if isinstance(child, Q):
            found += _conjoined(child)
            continue
        path, value = child
        name, _, lookup = path.partition("__")
        if lookup in FLIPPED:
            found.append((name, lookup, value))
        elif lookup == "range":
            found += [(name, "gte", value[0]), (name, "lte", value[1])]
    return found


def comparable(field, value):
    """
    A constant as the field's values compare with it in Python: a date or a
    naive datetime for a DateTimeField becomes a datetime, aware when USE_TZ
    is on, as the database compares it with the column.
    """
    if not isinstance(field, DateTimeField):
        return value
    if type(value) is datetime.date:
        value = datetime.datetime.combine(value, datetime.time())
    if isinstance(value, datetime.datetime):
        if settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value)
        elif not settings.USE_TZ and timezone.is_aware(value):
            value = timezone.make_naive(value)
    return value


def check_conditions(model):
    """Return ([Condition], [unsupported CheckConstraint]) for ``model``."""
    conditions, unsupported = [], []
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            try:
                conditions.append(Condition(model, constraint))
            except (Unsupported, LookupError):
                unsupported.append(constraint)
    return conditions, unsupported
