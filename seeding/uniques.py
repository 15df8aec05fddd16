"""
Unique rules within a step: columns unique on their own take the next values
of their column's distinct sequence; rows whose unique sets would repeat a
combination are redrawn, or their counter column counts on within its group.
"""

import collections
from dataclasses import dataclass

from .constraints import as_tuple, batch_keys, combination, hashable
from .exceptions import SeedFailed
from .taken import Taken

#: Draws of one row's values before a unique set is declared unsatisfiable.
MAX_ATTEMPTS = 1000


class UniqueRules:
    """The combinations a step's unique rules hold, and how rows get new ones."""

    def __init__(self, table, recipe, existing, using):
        self.table = table
        self.recipe = recipe
        self.existing = existing
        #: {names: Taken} per rule.
        self.taken = {}
        #: Counters: {attname: next index}, or {names: {group: next count}}.
        self.groups = {}
        # The columns whose one NULL a row already holds, where NULLs are equal.
        self.null_held = set()
        owners = table.unique_owners
        if not existing:
            # Only an ancestor's table can hold rows before the step's own.
            owners = {n: t for n, t in owners.items() if t is not table.model}
        self._load_taken(owners, using)

    def _load_taken(self, owners, using):
        """Values of the unique rules in ``owners`` (attnames: table) that
        rows already use: rows of earlier runs, and rows that earlier steps
        wrote into an ancestor's table."""
        model = self.table.model
        conditions = {n: rule for n, _, rule in self.table.conditional_uniques}
        for names, table in owners.items():
            rows = table._base_manager.using(using)
            if names in conditions:
                rows = rows.filter(conditions[names])
            # Streamed: Taken keeps a bounded part of them in memory.
            self.taken[names] = Taken(
                hashable(row) for row in rows.values_list(*names).iterator()
            )
            if table is not model and len(names) == 1:
                # A column's distinct values are the same sequence for every
                # model writing the table: go on after the rows it holds.
                self.groups[names[0]] = rows.count()

    def settle_columns(self, data, n, rng, given):
        """Rewrite the values that unique columns would reject."""
        for names in self.table.uniques:
            if len(names) == 1:
                self._unique_column(names[0], data, n, rng, given)

    def settle_sets(self, data, n, rng, given, relations):
        """Give each row combinations no unique set holds yet, all sets at once."""
        rules = self.set_rules(given)
        if not rules:
            return
        # The columns are read in place: a redraw writes into them.
        checked = [(r, [data[a] for a in r.names]) for r in rules if r.counter is None]
        counted = [rule for rule in rules if rule.counter is not None]
        # Each row's combination as drawn, None where it holds a NULL.
        as_drawn = []
        for rule, columns in checked:
            keys = batch_keys(columns, rule.nulls_equal)
            taken = self.taken.setdefault(rule.names, Taken())
            # Once the rule's combinations overflow to disk, the batch's are
            # looked up there at once (the generator runs only then).
            taken.prefetch(key for key in keys if key is not None)
            as_drawn.append((taken, keys))
        plain = not counted and all(rule.predicate is None for rule, _ in checked)
        if plain and _take_batch(as_drawn):
            return
        for i in range(n):
            if plain and _take_as_drawn(as_drawn, i):
                continue
            held, counts = self._settle(
                Row(data, i), checked, counted, rng, given, relations
            )
            for rule, values in held:
                if values is not None:
                    self.taken[rule.names].add(values)
            for rule, (group, k, value) in counts.items():
                self.groups.setdefault(rule.names, {})[group] = k
                data[rule.counter][i] = value

    def _settle(self, row, checked, counted, rng, given, relations):
        """Redraw the row until no set repeats a combination; return the
        combinations it holds and the counts it takes."""
        i = row.i
        for attempt in range(1, MAX_ATTEMPTS + 1):
            held = [
                (
                    rule,
                    combination(
                        [c[i] for c in columns], row, rule.predicate, rule.nulls_equal
                    ),
                )
                for rule, columns in checked
            ]
            clashes = [r for r, values in held if values in self.taken[r.names]]
            counts = {}
            if counted and not clashes:
                # Counters go last: a row's groups are known once the other
                # sets are content with it.
                counts = {rule: self.count(rule, row, rng) for rule in counted}
                clashes = [rule for rule, count in counts.items() if count is None]
            if not clashes:
                return held, counts
            if attempt == MAX_ATTEMPTS or not self._redraw(
                clashes, row, rng, given, relations
            ):
                raise SeedFailed(
                    f"{self.table.label}: cannot find a new combination for unique "
                    f"({', '.join(clashes[0].names)}) after {attempt} attempts."
                )

    def set_rules(self, given):
        """The unique sets of more than one column, and the column each counts."""
        sets = [names for names in self.table.uniques if len(names) > 1]
        conditional = [(names, p) for names, p, _ in self.table.conditional_uniques]
        # A counter belongs to one set only: counted up within the groups of
        # one set, it would repeat another's combinations.
        shares = collections.Counter(
            a for names in [*sets, *(names for names, _ in conditional)] for a in names
        )
        rules = []
        for names in sets:
            # The last free column counts (a number, a day), the others vary.
            free = [a for a in self._free(names, given) if shares[a] == 1]
            rules.append(
                SetRule(
                    names,
                    counter=free[-1] if free else None,
                    nulls_equal=frozenset(names) in self.table.nulls_equal,
                )
            )
        rules += [SetRule(names, predicate) for names, predicate in conditional]
        return rules

    def _free(self, names, given):
        """The columns of a unique set with values the engine draws from no list."""
        return [
            a
            for a in names
            if self.counts_through(a, given) and self.table.columns[a].domain is None
        ]

    def counts_through(self, attname, given):
        """Whether the engine gives a unique column the values of its
        column's distinct sequence (not a seed module, a key or a NULL)."""
        return (
            attname not in given
            and attname not in self.recipe
            and self.table.columns.get(attname) is not None
        )

    def _unique_column(self, attname, data, n, rng, given):
        if not self.counts_through(attname, given):
            return
        column = self.table.columns[attname]
        taken = self.taken.get((attname,), ())
        start = self.groups.get(attname, self.existing)
        values, index = [], start
        field = self.table.by_name[attname]
        if not taken and not (field.null and None in data[attname]):
            # Nothing to skip: the batch's values are the next n at once.
            self.groups[attname] = start + n
            data[attname] = column.distinct(rng, start, n)
            return
        for i in range(n):
            if field.null and data[attname][i] is None:
                if self.null_allowed(attname):
                    values.append(None)
                    continue
            value = column.distinct(rng, index, 1)[0]
            index += 1
            while hashable((value,)) in taken:
                value = column.distinct(rng, index, 1)[0]
                index += 1
            values.append(value)
        self.groups[attname] = index
        data[attname] = values

    def null_allowed(self, attname):
        """Whether a row may hold NULL in a column unique on its own: always,
        unless NULLs count as equal there and a row already holds one (the
        rows that drew another NULL then get a value)."""
        if frozenset((attname,)) not in self.table.nulls_equal:
            return True
        if attname in self.null_held or (None,) in self.taken.get((attname,), ()):
            return False
        self.null_held.add(attname)
        return True

    def count(self, rule, row, rng):
        """(group, next count, value): the row's counter, counted up within the
        group of its other columns; None once the group has no value left."""
        column = self.table.columns[rule.counter]
        position = rule.names.index(rule.counter)
        # A plain tuple: the counter's value is inserted into it below.
        group = as_tuple(row[a] for a in rule.names if a != rule.counter)
        taken = self.taken.get(rule.names, ())
        k = self.groups.get(rule.names, {}).get(group, 0)
        # A short column (a number capped by validators) runs out of values.
        capacity = column.capacity()
        while capacity is None or k < capacity:
            value = column.distinct(rng, k, 1)[0]
            k += 1
            values = list(group)
            values.insert(position, value)
            if hashable(values) not in taken:
                return group, k, value
        return None

    def _redraw(self, rules, row, rng, given, relations):
        """Draw again the row's values that the rules' combinations are made of,
        where the engine chose them; False when it chose none."""
        fixed = {*given, *self.recipe}
        names = dict.fromkeys(
            a for rule in rules for a in rule.names if a != rule.counter
        )
        redrawn = False
        for attname in names:
            if attname not in fixed and self._redrawable(attname):
                row.data[attname][row.i] = relations.draw(attname, row, rng)
                redrawn = True
        # A generic relation's two columns are redrawn together, as a pair.
        gfks = dict.fromkeys(
            self.table.gfk_columns[a] for a in names if a in self.table.gfk_columns
        )
        for gfk in gfks:
            if not fixed & set(self.table.generic_columns(gfk)):
                for a, values in relations.generic(gfk, rng, 1).items():
                    row.data[a][row.i] = values[0]
                redrawn = True
        return redrawn

    def _redrawable(self, attname):
        """Whether a unique set may have the engine draw the column again."""
        if (attname,) in self.table.uniques:
            return False  # Distinct already, and needs to stay so.
        if attname in self.table.relations:
            # A back-filled key is NULL until its target's rows exist.
            return self.table.relations[attname][1] != "backfill"
        return self.table.columns.get(attname) is not None

    def close(self):
        for taken in self.taken.values():
            taken.close()


def _take_batch(as_drawn):
    """Keep the whole batch's combinations as drawn if none repeats, within
    the batch or before it (the usual batch), in passes of C; False, having
    kept none, leaves the rows to be settled one by one."""
    batches = []
    for taken, keys in as_drawn:
        held = [key for key in keys if key is not None]  # A NULL never repeats.
        distinct = set(held)
        if len(distinct) < len(held) or not taken.holds_none_of(distinct):
            return False
        batches.append((taken, distinct))
    for taken, distinct in batches:
        taken.update(distinct)
    return True


def _take_as_drawn(as_drawn, i):
    """Keep row i's combinations as drawn if none is taken (the usual case,
    and the cheap one); False leaves the row to UniqueRules._settle()."""
    held = []
    for taken, keys in as_drawn:
        key = keys[i]
        if key is None:
            continue  # A NULL never repeats.
        if taken.contains(key):
            return False
        held.append((taken, key))
    for taken, key in held:
        taken.add(key)
    return True


@dataclass(frozen=True, eq=False)
class SetRule:
    """A unique set of several columns, as one batch keeps it."""

    names: tuple
    #: A conditional set binds only the rows that meet its condition.
    predicate: object = None
    #: The column counted up within each group of the others, if any; the
    #: other sets are redrawn until their combination is new.
    counter: str | None = None
    #: Whether a combination holding a NULL binds (nulls_distinct=False).
    nulls_equal: bool = False


class Row:
    """Row ``i`` of a batch's columns, read like a dict of attnames."""

    def __init__(self, data, i):
        self.data, self.i = data, i

    def __getitem__(self, attname):
        return self.data[attname][self.i]

    def get(self, attname, default=None):
        values = self.data.get(attname)
        return default if values is None else values[self.i]
