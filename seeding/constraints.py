"""
Unique rules and check constraints, read from ``_meta`` and kept in Python.

Rows that break a CheckConstraint are never sent to the database: conditions
made of comparisons (with constants or other fields), ranges, ``in`` and
``isnull`` are evaluated for each generated row and the offending values are
repaired. Conditions beyond that are reported by the plan.
"""

import datetime
import decimal
import json
import operator

from django.db.models import CheckConstraint, F, Q, UniqueConstraint


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
        self.atoms = []
        self.evaluate = self._compile(q)

    def __call__(self, row):
        return self.evaluate(row)

    def _compile(self, node):
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
        if isinstance(value, F):
            other = self.model._meta.get_field(value.name).attname
            operand = lambda row: row.get(other)  # noqa: E731
        elif hasattr(value, "resolve_expression"):
            raise Unsupported(path)
        else:
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
            choices = list(value)
            return lambda row: (
                None if row.get(attname) is None else row.get(attname) in choices
            )
        if lookup == "range":
            low, high = value
            return lambda row: (
                None if row.get(attname) is None else low <= row.get(attname) <= high
            )
        raise Unsupported(path)

    def repair(self, row, rng):
        """Move the values that break a comparison so that it holds."""
        for attname, lookup, value in self.atoms:
            other = (
                row.get(self.model._meta.get_field(value.name).attname)
                if isinstance(value, F)
                else value
            )
            left = row.get(attname)
            if left is None or other is None:
                continue
            if lookup in ("gt", "gte") and not COMPARISONS[lookup](left, other):
                row[attname] = other + _step(other, rng, strict=lookup == "gt")
            elif lookup in ("lt", "lte") and not COMPARISONS[lookup](left, other):
                row[attname] = other - _step(other, rng, strict=lookup == "lt")


class Condition(Predicate):
    """A CheckConstraint's condition."""

    def __init__(self, model, constraint):
        self.constraint = constraint
        super().__init__(model, constraint.condition)

    def __call__(self, row):
        # SQL CHECK passes unless the condition is false; NULL is not false.
        return self.evaluate(row) is not False


def _step(value, rng, strict):
    if isinstance(value, datetime.datetime):
        return datetime.timedelta(minutes=rng.randint(30 if strict else 0, 240))
    if isinstance(value, datetime.date):
        return datetime.timedelta(days=rng.randint(1 if strict else 0, 60))
    if isinstance(value, decimal.Decimal):
        return decimal.Decimal(rng.randint(1 if strict else 0, 100))
    return type(value)(rng.randint(1 if strict else 0, 10))


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
