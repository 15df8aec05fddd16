"""
The rows of one step, a batch at a time: keys, relations, generic relations,
column values, recipe values and the values a seed module gave, then unique
rules and check constraints, then one insert per table.
"""

import collections
import datetime
import functools
import itertools
import operator
import random
from array import array
from dataclasses import dataclass

import faker
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from model_bakery import random_gen

from .constraints import (
    COMPARISONS,
    WrittenRules,
    as_tuple,
    batch_keys,
    check_conditions,
    combination,
    hashable,
)
from .exceptions import SeedFailed
from .introspection import (
    Treatment,
    forward_relations,
    generic_foreign_keys,
    key_targets,
    multi_column_relations,
)
from .keys import (
    AUTO_FIELDS,
    Pool,
    Spread,
    coalesce,
    is_auto,
    pack,
    root_of,
    roots_of,
    tables_of,
)
from .taken import Taken
from .values import column_for, rng_for

PLAIN = {
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.CharField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.URLField,
    models.BooleanField,
}


class Writer:
    """Generates and inserts the batches of one step."""

    def __init__(self, run, step):
        self.run = run
        self.step = step
        self.model = model = step.model
        self.label = model._meta.label
        self.seed = run.plan.seed
        self.fields = [
            f for f in model._meta.concrete_fields if not getattr(f, "generated", False)
        ]
        self.by_name = {f.name: f for f in self.fields} | {
            f.attname: f for f in self.fields
        }
        self.recipe = {}
        for structure in step.structures:
            values = structure.values(run.using, step.count, self.seed)
            for name, value in values.items():
                self.recipe[self.by_name[name].attname] = value
        if step.seed is not None:
            for name, value in step.seed.recipe_values().items():
                if name in self.by_name:
                    self.recipe[self.by_name[name].attname] = value
        self.gfks = generic_foreign_keys(model)
        self.multi_column = multi_column_relations(model)
        self.target_rows = {}
        self.gfk_columns = gfk_columns = {
            model._meta.get_field(n).attname: g
            for g in self.gfks
            for n in (g.ct_field, g.fk_field)
        }
        self.parent_links = {
            f.attname: f
            for f in self.fields
            if f.remote_field and f.remote_field.parent_link
        }
        self.composite = model._meta.is_composite_pk
        self.primary = (
            {} if self.composite else {t._meta.pk.attname: t for t in tables_of(model)}
        )
        forward = {e.field for e in run.plan.graph.forward}
        self.relations = {}
        self.points_forward = False
        for field in forward_relations(model):
            target = field.related_model._meta.concrete_model
            if target is model:
                kind = "self"
            elif field in forward:
                kind = "backfill" if field.null else "forward"
            else:
                kind = "parent"
            # MySQL checks a key as soon as its row is written: rows that
            # point at rows written after them, by their primary key too,
            # need the checks off.
            self.points_forward |= kind in ("self", "forward") and not field.null
            if not (
                field.attname in self.parent_links
                or field.attname in gfk_columns
                or field.primary_key
            ):
                self.relations[field.attname] = (field, kind)
        self.backfills = [
            field for field, kind in self.relations.values() if kind == "backfill"
        ]
        # The keys of the rows whose back-filled keys are NULL until later.
        self.waiting = []
        self.key_targets = key_targets(model)
        self.columns = {}
        for field in self.fields:
            if (
                field.is_relation
                or field.attname in gfk_columns
                or field.attname in self.primary
            ):
                continue
            self.columns[field.attname] = column_for(field, run.values)
        self.rules = rules = WrittenRules(model, run.connection)
        self.uniques = rules.sets
        # Keys unique on their own, by unique=True or by a one-column unique
        # rule: each links one target at most, as a one-to-one key does.
        self.alone = {names[0] for names in self.uniques if len(names) == 1}
        self.nulls_equal = rules.nulls_equal
        # The columns whose one NULL a row already holds, where NULLs are equal.
        self.null_held = set()
        self.conditional_uniques = rules.conditional
        self.conditions, _ = check_conditions(model)
        self.spreads = {}
        self.one_to_one = {}
        # Per self one-to-one key: the rows no key points at yet.
        self.unpointed = {}
        self.groups = {}
        self.taken = {}
        self.targets = {}
        self.new_keys = {}
        # The values self-references point at, in the rows of earlier batches.
        self.earlier = {
            field.target_field.attname: []
            for field, kind in self.relations.values()
            if kind == "self"
        }
        self._load_taken(rules.owners if step.existing else rules.inherited())
        self.prep = {f.attname: self._prep(f) for f in self.fields}
        qn = run.connection.ops.quote_name
        self.statements = []
        for table in tables_of(model):
            local = [
                f
                for f in table._meta.local_concrete_fields
                if not getattr(f, "generated", False)
            ]
            table_name = qn(table._meta.db_table)
            columns = ", ".join(qn(f.column) for f in local)
            sql = f"INSERT INTO {table_name} ({columns}) VALUES ({', '.join(['%s'] * len(local))})"
            # PostgreSQL's COPY is about twice as fast as batched INSERTs;
            # psycopg 3 streams it from Python rows.
            copy = (
                f"COPY {table_name} ({columns}) FROM STDIN"
                if _can_copy(run.connection)
                else None
            )
            self.statements.append((sql, copy, [f.attname for f in local]))
        self.is_user = model is _user_model()
        # Materialise the pools before this step adds rows to the tables
        # they read their existing keys from.
        for table in tables_of(model):
            if not self.composite:
                run.pool(table)

    def _prep(self, field):
        target = field.target_field if field.is_relation else field
        # Django's own plain fields pass Python values through unchanged;
        # a subclass may not (it is a custom field for a reason).
        if type(target) in PLAIN or isinstance(target, models.AutoField):
            return None
        connection = self.run.connection
        if type(target) is models.UUIDField:
            if connection.features.has_native_uuid_field:
                return None
            return operator.attrgetter("hex")
        adapt = _adapter(target, connection.ops)
        if adapt is AS_IS:
            return None
        if adapt is not None:
            # The values are generated valid and aware: skip the layers of
            # get_db_prep_save that validate and warn, go to the adapter.
            return adapt
        return lambda value: field.get_db_prep_save(value, connection)

    def _load_taken(self, owners):
        """Values of the unique rules in ``owners`` (attnames: table) that
        rows already use: rows of earlier runs, and rows that earlier steps
        wrote into an ancestor's table."""
        conditions = {names: rule for names, _, rule in self.conditional_uniques}
        for names, table in owners.items():
            rows = table._base_manager.using(self.run.using)
            if names in conditions:
                rows = rows.filter(conditions[names])
            # Streamed: Taken keeps a bounded part of them in memory.
            self.taken[names] = Taken(
                hashable(row) for row in rows.values_list(*names).iterator()
            )
            if table is not self.model and len(names) == 1:
                # A column's distinct values are the same sequence for every
                # model writing the table: go on after the rows it holds.
                self.groups[names[0]] = rows.count()

    # -- one batch -----------------------------------------------------------

    def write(self, number, offset, partials):
        n = len(partials)
        rng = lambda name: rng_for(self.seed, self.label, name, number)  # noqa: E731
        data = {}
        given = {}
        for name in {k for row in partials for k in row}:
            field = self.by_name.get(name)
            if field is None:
                raise SeedFailed(
                    f"{self.label} has no field {name!r} (from the seed module's rows())."
                )
            values = [row.get(name, MISSING) for row in partials]
            if field.is_relation:
                values = [v.pk if isinstance(v, models.Model) else v for v in values]
            given[field.attname] = values
        # Values that keys of earlier steps point at bind like the seed module's.
        for attname, values in self.run.previews.get(self.model, {}).items():
            if attname not in self.primary:
                given[attname] = values[offset : offset + n]
        data.update(self._keys(offset, n, given))
        for attname, (field, kind) in self.relations.items():
            if kind != "self":
                data[attname] = self._relation(field, kind, rng(attname), n)
        for gfk in self.gfks:
            data.update(self._generic(gfk, rng(gfk.name), n))
        for attname, column in self.columns.items():
            data[attname] = self._column(attname, column, rng(attname), offset, n)
        for attname, values in self._recipe(n, number).items():
            data[attname] = values
        for relation in self.multi_column:
            data.update(self._multi_column(relation, rng(relation.name), n))
        self._give(data, given, list(data))
        if self.is_user and "password" in data and "password" not in given:
            data["password"] = [self.run.password] * n
        unique = rng("unique")
        self._unique_columns(data, n, unique, given)
        # Self-references may point at this batch's rows: they are drawn once
        # the values they point at (a to_field column) are final.
        for attname, (field, kind) in self.relations.items():
            if kind == "self":
                data[attname] = self._self_reference(field, rng(attname), n, data)
                self._give(data, given, [attname])
        self._unique_sets(data, n, unique, given)
        self._check(data, n, rng("check"), given)
        self._insert(data, n)
        for attname, values in self.earlier.items():
            values.extend(data[attname])

    def _give(self, data, given, attnames):
        """Keep the seed module's values where it gave one."""
        for attname in attnames:
            if attname in given:
                data[attname] = [
                    drawn if value is MISSING else value
                    for value, drawn in zip(given[attname], data[attname])
                ]

    def _keys(self, offset, n, given):
        """Primary keys and parent links of every table of the batch."""
        if self.composite:
            # Its key is its columns, made unique with the other unique sets.
            return {}
        keys = {}
        own = root_of(self.model)
        for root in roots_of(self.model):
            if root is own and self.step.count is not None:
                # Decided for the whole step at once, as other steps'
                # keys may already point at them.
                pk = self.model._meta.pk
                values = self.run.preview(self.model, pk)[offset : offset + n]
            elif root is own and root._meta.pk.attname in given:
                values = given[root._meta.pk.attname]
            elif root._meta.pk.is_relation:
                # A one-to-one primary key: the key is the parent's.
                field = root._meta.pk
                rng = rng_for(self.seed, self.label, field.name, offset)
                values = self._one_to_one(field, self._targets(field), rng, n)
            elif is_auto(root):
                values = self.run._allocate(root, n)
            else:
                column = column_for(root._meta.pk, self.run.values)
                rng = rng_for(self.seed, self.label, "pk", offset)
                existing = self.run.plan.existing.get(root, 0)
                taken = set(self.run.pool(root))
                values = self.run._distinct(column, rng, existing + offset, n, taken)
            keys[root] = list(values)
            self.new_keys.setdefault(root, []).append(pack(values, self.step.count or 0))
        data = {}
        for table in tables_of(self.model):
            data[table._meta.pk.attname] = keys[root_of(table)]
        for attname, field in self.parent_links.items():
            data[attname] = keys[root_of(field.related_model._meta.concrete_model)]
        return data

    def _relation(self, field, kind, rng, n):
        if kind == "backfill":
            return [None] * n
        pool = self._targets(field)
        nullable = field.null
        if not len(pool):
            if nullable:
                return [None] * n
            target = field.related_model._meta.label
            raise SeedFailed(
                f"{self.label}.{field.name} needs a row of {target}; there is none."
            )
        if field.attname in self.alone:
            return self._one_to_one(field, pool, rng, n)
        spread = self._spread(field.name, len(pool))
        if not nullable:
            return pool.take(spread.indices(rng, n))
        ratio = self.run.ratio
        return [
            None if rng.random() >= ratio else pool[spread.index(rng)]
            for _ in range(n)
        ]

    def _self_reference(self, field, rng, n, data):
        """Point at earlier rows of the model; a required key's first row at itself."""
        if field.attname in self.alone:
            return self._self_one_to_one(field, rng, n, data)
        column = field.target_field.attname
        existing, earlier = self._targets(field), self.earlier[column]
        own = data[column]
        values = []
        for i in range(n):
            available = len(existing) + len(earlier) + i
            if available == 0 or (field.null and rng.random() >= self.run.ratio):
                values.append(None if field.null else own[i])
                continue
            index = rng.randrange(available)
            if index < len(existing):
                values.append(existing[index])
            elif index - len(existing) < len(earlier):
                values.append(earlier[index - len(existing)])
            else:
                values.append(own[index - len(existing) - len(earlier)])
        return values

    def _multi_column(self, relation, rng, n):
        """Copy one target row's values into all the columns of a relation."""
        names = [f.attname for f in relation.local_related_fields]
        if any(name in self.recipe for name in names):
            return {}  # The seed module decides.
        rows = self.target_rows.get(relation.name)
        if rows is None:
            columns = [f.attname for f in relation.foreign_related_fields]
            target = relation.related_model._base_manager.using(self.run.using)
            rows = list(target.order_by(*columns).values_list(*columns))
            self.target_rows[relation.name] = rows
        if not rows:
            return {}
        spread = self._spread(relation.name, len(rows))
        chosen = [rows[i] for i in spread.indices(rng, n)]
        return {name: [row[i] for row in chosen] for i, name in enumerate(names)}

    def _spread(self, name, size):
        """The uneven spread of relation ``name`` over ``size`` targets; the
        same for the step while the targets stay the same."""
        spread = self.spreads.get(name)
        if spread is None or spread.size != size:
            spread = self.spreads[name] = Spread(
                size, rng_for(self.seed, self.label, name, "spread")
            )
        return spread

    def _self_one_to_one(self, field, rng, n, data):
        """Each row pointed at once at most: by itself, or by a later row."""
        free = self.unpointed.get(field.attname)
        if free is None:
            used = set(self.run.stored(self.model, field))
            free = [value for value in self._targets(field) if value not in used]
            self.unpointed[field.attname] = free
        own = data[field.target_field.attname]
        values = []
        for i in range(n):
            # A required key may always point at its own row, the last choice.
            choices = len(free) + (not field.null)
            if (
                not choices or (field.null and rng.random() >= self.run.ratio)
            ) and self._null_allowed(field.attname):
                values.append(None)
            elif not choices:
                raise SeedFailed(
                    f"{self.label}.{field.name}: more rows than rows to point at, "
                    f"and its unique rule allows one NULL."
                )
            elif (index := rng.randrange(choices)) < len(free):
                free[index], free[-1] = free[-1], free[index]
                values.append(free.pop())
            else:
                values.append(own[i])
                continue  # The row points at itself: no later row may.
            free.append(own[i])
        return values

    def _targets(self, field):
        """What a key may hold: the same for the whole step, so read once."""
        if field.attname not in self.targets:
            target = field.related_model._meta.concrete_model
            # A self-reference points only at rows written before its own.
            read = self.run.values_of if target is self.model else self.run.targets
            self.targets[field.attname] = read(field)
        return self.targets[field.attname]

    def _one_to_one(self, field, pool, rng, n):
        """Each parent at most once: walk a shuffled list of the free ones."""
        state = self.one_to_one.get(field.attname)
        if state is None:
            # The targets the key's table links already: its own earlier
            # rows, or those of every model writing an ancestor's table.
            owner = field.model._meta.concrete_model
            read = self.step.existing or owner is not self.model
            used = set(self.run.stored(owner, field)) if read else ()
            # Shuffled positions rather than keys: 8 bytes a parent.
            order = array("q", range(len(pool)))
            rng_for(self.seed, self.label, field.name, "one-to-one").shuffle(order)
            state = self.one_to_one[field.attname] = (
                key for key in map(pool.__getitem__, order) if key not in used
            )
        values = []
        for _ in range(n):
            if field.null and rng.random() >= self.run.ratio:
                if self._null_allowed(field.attname):
                    values.append(None)
                    continue
            value = next(state, None)
            if value is None and not (
                field.null and self._null_allowed(field.attname)
            ):
                raise SeedFailed(
                    f"{self.label}.{field.name}: more rows than free {field.related_model._meta.label} rows for a one-to-one link."
                )
            values.append(value)
        return values

    def _generic(self, gfk, rng, n):
        ct_field = self.model._meta.get_field(gfk.ct_field)
        id_field = self.model._meta.get_field(gfk.fk_field)
        targets = [
            m
            for m in _targets_for(id_field, self.run.plan)
            if m is not self.model and len(self.run.pool(m))
        ]
        if not targets:
            if ct_field.null and id_field.null:
                return {ct_field.attname: [None] * n, id_field.attname: [None] * n}
            raise SeedFailed(
                f"{self.label}.{gfk.name}: no model with rows to point at."
            )
        types = ContentType.objects.db_manager(self.run.using).get_for_models(
            *targets, for_concrete_models=False
        )
        as_text = not isinstance(id_field, (models.IntegerField, models.UUIDField))
        content_types, object_ids = [], []
        for _ in range(n):
            target = targets[rng.randrange(len(targets))]
            pool = self.run.pool(target)
            key = pool[rng.randrange(len(pool))]
            content_types.append(types[target].pk)
            object_ids.append(str(key) if as_text else key)
        return {ct_field.attname: content_types, id_field.attname: object_ids}

    def _column(self, attname, column, rng, offset, n):
        field = self.by_name[attname]
        if column is None:
            if field.has_default():
                return [field.get_default() for _ in range(n)]
            return [None] * n
        if (
            isinstance(field, models.BooleanField)
            and field.has_default()
            and not callable(field.default)
        ):
            return [field.default] * n
        values = column.sample(rng, n)
        # A NULL where keys point would be a row no key can point at.
        if (field.null or field.blank) and field not in self.key_targets:
            empty = (
                None
                if field.null
                else (
                    ""
                    if isinstance(field, (models.CharField, models.TextField))
                    else None
                )
            )
            if empty is not None or field.null:
                ratio = self.run.ratio
                values = [v if rng.random() < ratio else empty for v in values]
        return values

    def _recipe(self, n, number):
        if not self.recipe:
            return {}
        # Recipe callables may draw from the global generators: seed them by
        # position, as every other value is.
        position = f"{self.seed}:{self.label}:recipe:{number}"
        random.seed(position)
        random_gen.baker_random.seed(position)
        faker.Faker.seed(position)
        values = {}
        for attname, value in self.recipe.items():
            try:
                if callable(value):
                    values[attname] = [value() for _ in range(n)]
                elif hasattr(value, "__next__"):
                    values[attname] = [next(value) for _ in range(n)]
                else:
                    values[attname] = [value] * n
            except Exception as exc:
                where = f"recipe value {self.by_name[attname].name!r}"
                raise SeedFailed(self.run._failure(self.step, exc, where)) from exc
            values[attname] = [
                v.pk if isinstance(v, models.Model) else v for v in values[attname]
            ]
        return values

    # -- rules ---------------------------------------------------------------

    def _unique_columns(self, data, n, rng, given):
        """Rewrite the values that unique columns would reject."""
        for names in self.uniques:
            if len(names) == 1:
                self._unique_column(names[0], data, n, rng, given)

    def _unique_sets(self, data, n, rng, given):
        """Give each row combinations no unique set holds yet, all sets at once."""
        rules = self._set_rules(given)
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
        for i in range(n):
            if plain and _take_as_drawn(as_drawn, i):
                continue
            held, counts = self._settle(Row(data, i), checked, counted, rng, given)
            for rule, values in held:
                if values is not None:
                    self.taken[rule.names].add(values)
            for rule, (group, k, value) in counts.items():
                self.groups.setdefault(rule.names, {})[group] = k
                data[rule.counter][i] = value

    def _settle(self, row, checked, counted, rng, given):
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
                counts = {rule: self._count(rule, row, rng) for rule in counted}
                clashes = [rule for rule, count in counts.items() if count is None]
            if not clashes:
                return held, counts
            if attempt == MAX_ATTEMPTS or not self._redraw(clashes, row, rng, given):
                raise SeedFailed(
                    f"{self.label}: cannot find a new combination for unique "
                    f"({', '.join(clashes[0].names)}) after {attempt} attempts."
                )

    def _set_rules(self, given):
        """The unique sets of more than one column, and the column each counts."""
        sets = [names for names in self.uniques if len(names) > 1]
        conditional = [(names, p) for names, p, _ in self.conditional_uniques]
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
                    nulls_equal=frozenset(names) in self.nulls_equal,
                )
            )
        rules += [SetRule(names, predicate) for names, predicate in conditional]
        return rules

    def _free(self, names, given):
        """The columns of a unique set with values the engine draws from no list."""
        return [
            a
            for a in names
            if a not in given
            and a not in self.recipe
            and self.columns.get(a) is not None
            and self.columns[a].domain is None
        ]

    def _counts_through(self, attname, given):
        """Whether the engine gives a unique column the values of its
        column's distinct sequence (not a seed module, a key or a NULL)."""
        return (
            attname not in given
            and attname not in self.recipe
            and self.columns.get(attname) is not None
        )

    def _unique_column(self, attname, data, n, rng, given):
        if not self._counts_through(attname, given):
            return
        column = self.columns[attname]
        taken = self.taken.get((attname,), ())
        start = self.groups.get(attname, self.step.existing)
        values, index = [], start
        field = self.by_name[attname]
        if not taken and not (field.null and None in data[attname]):
            # Nothing to skip: the batch's values are the next n at once.
            self.groups[attname] = start + n
            data[attname] = column.distinct(rng, start, n)
            return
        for i in range(n):
            if field.null and data[attname][i] is None:
                if self._null_allowed(attname):
                    values.append(None)
                    continue
            value = column.distinct(rng, index, 1)[0]
            index += 1
            while (value,) in taken:
                value = column.distinct(rng, index, 1)[0]
                index += 1
            values.append(value)
        self.groups[attname] = index
        data[attname] = values

    def _null_allowed(self, attname):
        """Whether a row may hold NULL in a column unique on its own: always,
        unless NULLs count as equal there and a row already holds one (the
        rows that drew another NULL then get a value)."""
        if frozenset((attname,)) not in self.nulls_equal:
            return True
        if attname in self.null_held or (None,) in self.taken.get((attname,), ()):
            return False
        self.null_held.add(attname)
        return True

    def _count(self, rule, row, rng):
        """(group, next count, value): the row's counter, counted up within the
        group of its other columns; None once the group has no value left."""
        column = self.columns[rule.counter]
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

    def _redraw(self, rules, row, rng, given):
        """Draw again the row's values that the rules' combinations are made of,
        where the engine chose them; False when it chose none."""
        fixed = {*given, *self.recipe}
        names = dict.fromkeys(
            a for rule in rules for a in rule.names if a != rule.counter
        )
        redrawn = False
        for attname in names:
            if attname not in fixed and self._redrawable(attname):
                row.data[attname][row.i] = self._draw(attname, row, rng)
                redrawn = True
        # A generic relation's two columns are redrawn together, as a pair.
        gfks = dict.fromkeys(
            self.gfk_columns[a] for a in names if a in self.gfk_columns
        )
        for gfk in gfks:
            if not fixed & set(self._generic_columns(gfk)):
                for a, values in self._generic(gfk, rng, 1).items():
                    row.data[a][row.i] = values[0]
                redrawn = True
        return redrawn

    def _redrawable(self, attname):
        """Whether a unique set may have the engine draw the column again."""
        if (attname,) in self.uniques:
            return False  # Distinct already, and needs to stay so.
        if attname in self.relations:
            # A back-filled key is NULL until its target's rows exist.
            return self.relations[attname][1] != "backfill"
        return self.columns.get(attname) is not None

    def _draw(self, attname, row, rng):
        """Another value for the row's column, from those it could have had."""
        if attname in self.relations:
            field, kind = self.relations[attname]
            if kind == "self":
                targets = self._rows_before(field, row)
            else:
                targets = self._targets(field)
            return targets[rng.randrange(len(targets))]
        column = self.columns[attname]
        if column.domain is None:
            return column.sample(rng, 1)[0]
        return column.domain[rng.randrange(len(column.domain))]

    def _rows_before(self, field, row):
        """What a self-reference of ``row`` may hold: the rows before it, and
        the row itself when the key is required."""
        column = field.target_field.attname
        targets = Pool()
        targets.add(self._targets(field))
        targets.add(self.earlier[column])
        targets.add(row.data[column][: row.i + (not field.null)])
        return targets

    def _generic_columns(self, gfk):
        meta = self.model._meta
        return [meta.get_field(n).attname for n in (gfk.ct_field, gfk.fk_field)]

    def _check(self, data, n, rng, given):
        # A unique column the engine counts through is not moved by a repair,
        # which could repeat a value: it takes its next value instead.
        counted = {a for a in self.alone if self._counts_through(a, given)}
        rules = self._set_rules(given) if self.conditions else []
        # A moved counter might repeat a count of its group: move it last.
        counters = {rule.counter for rule in rules if rule.counter is not None}
        for condition in self.conditions:
            for i in range(n):
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
                count = self._count(rule, row, rng)
                if count is None:
                    return False
                counts.append((rule, count))
                continue
            values = [row[a] for a in rule.names]
            key = combination(values, row, rule.predicate, rule.nulls_equal)
            if key is not None:
                if self.taken[rule.names].contains(key):
                    return False
                held.append((rule, key))
        for rule, key in held:
            self.taken[rule.names].add(key)
        for rule, (group, k, value) in counts:
            self.groups.setdefault(rule.names, {})[group] = k
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
        column = self.columns[attname]
        taken = self.taken.get((attname,), ())
        index = self.groups.get(attname, self.step.existing)
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
                self.groups[attname] = i + 1
                row[attname] = value
                return True
        return False

    # -- writing ---------------------------------------------------------------

    def _insert(self, data, n):
        with self.run.connection.cursor() as cursor:
            for sql, copy, attnames in self.statements:
                columns = []
                for attname in attnames:
                    values = data[attname]
                    prep = self.prep[attname]
                    if prep is None:
                        columns.append(values)
                    elif _holds_none(values):
                        columns.append([None if v is None else prep(v) for v in values])
                    else:
                        columns.append(list(map(prep, values)))
                rows = zip(*columns)
                if copy is not None:
                    with cursor.cursor.copy(copy) as stream:
                        for row in rows:
                            stream.write_row(row)
                else:
                    cursor.executemany(sql, list(rows))
        if self.backfills:
            self.waiting.extend(data[self.model._meta.pk.attname])

    def close(self):
        """Offer the new keys to the models that point at this one, and leave
        the keys to back-fill to the run."""
        for root, parts in self.new_keys.items():
            keys = coalesce(parts)
            for model in [self.model, *self.model._meta.get_parent_list()]:
                if root_of(model) is root:
                    self.run.pool(model).add(keys)
        for field in self.backfills:
            self.run.pending_backfills.append((field, self.model, self.waiting))
        for taken in self.taken.values():
            taken.close()


def _holds_none(values):
    """``None in values`` by identity: ``in`` compares with ==, and a Decimal
    compared with None asks the numbers ABCs first, at Python speed."""
    return any(map(operator.is_, values, itertools.repeat(None)))


def _take_as_drawn(as_drawn, i):
    """Keep row i's combinations as drawn if none is taken (the usual case,
    and the cheap one); False leaves the row to Writer._settle()."""
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


MISSING = object()

#: Draws of one row's values before a unique set is declared unsatisfiable.
MAX_ATTEMPTS = 1000
#: Repairs of one row before a check constraint is declared unsatisfiable.
MAX_REPAIRS = 20


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


def update_rows(connection, field, pairs):
    """Set ``field`` to value in the row of each (value, primary key) pair."""
    table = field.model._meta
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(table.db_table)} SET {qn(field.column)} = %s "
        f"WHERE {qn(table.pk.column)} = %s"
    )
    params = [
        (
            field.get_db_prep_save(value, connection),
            table.pk.get_db_prep_save(key, connection),
        )
        for value, key in pairs
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _can_copy(connection):
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return hasattr(connection.connection.cursor(), "copy")


#: What _adapter() returns for a value the driver takes unchanged.
AS_IS = object()


def _adapter(field, ops):
    """
    The backend's adapter for one of Django's own field classes: AS_IS when
    it returns values unchanged, None when there is none to call directly.
    """
    kind = type(field)
    base = BaseDatabaseOperations
    if kind is models.DateTimeField and ops.connection.vendor in ("sqlite", "mysql"):
        return _datetime_as_text(ops)
    if kind is models.DateField and type(ops).adapt_datefield_value is (
        base.adapt_datefield_value
    ):
        return str  # What it does to a date.
    if kind is models.DecimalField:
        if type(ops).adapt_decimalfield_value is base.adapt_decimalfield_value:
            # It returns the value itself. Django registers str as sqlite3's
            # adapter for Decimal; applied to a whole column at once, it
            # spares the driver an adapter lookup per value.
            return str if ops.connection.vendor == "sqlite" else AS_IS
        return functools.partial(
            ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return {
        models.DateTimeField: ops.adapt_datetimefield_value,
        models.DateField: ops.adapt_datefield_value,
        models.TimeField: ops.adapt_timefield_value,
        models.GenericIPAddressField: ops.adapt_ipaddressfield_value,
    }.get(kind)


def _datetime_as_text(ops):
    """
    SQLite's and MySQL's adapter for datetimes, with its checks done once:
    an aware datetime becomes naive text in the connection's time zone.
    """
    adapt = ops.adapt_datetimefield_value
    if not settings.USE_TZ:
        return adapt
    zone = ops.connection.timezone
    moment = datetime.datetime

    def as_text(value):
        if type(value) is moment and value.tzinfo is not None:
            return str(value.astimezone(zone).replace(tzinfo=None))
        return adapt(value)

    return as_text


def _targets_for(id_field, plan):
    """Models whose keys fit in a generic relation's object id column."""
    models_ = [s.model for s in plan.steps]
    models_ += [m for m, t in plan.treatments.items() if t is Treatment.REUSED]
    fits = []
    for model in models_:
        pk = model._meta.pk
        if isinstance(id_field, models.UUIDField):
            ok = isinstance(pk, models.UUIDField)
        elif isinstance(id_field, models.IntegerField):
            ok = pk.get_internal_type() in (
                *AUTO_FIELDS,
                "IntegerField",
                "BigIntegerField",
                "SmallIntegerField",
                "PositiveIntegerField",
            )
        else:
            ok = (
                id_field.max_length is None
                or pk.get_internal_type() not in ("CharField", "TextField")
                or (pk.max_length or 0) <= id_field.max_length
            )
        if ok and not model._meta.auto_created and not model._meta.is_composite_pk:
            fits.append(model)
    return fits


def _user_model():
    from django.contrib.auth import get_user_model

    try:
        return get_user_model()
    except Exception:
        return None
