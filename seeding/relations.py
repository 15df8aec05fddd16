"""
The keys of a batch's rows: primary keys and parent links, keys to the rows
of other tables (spread unevenly, one-to-one at most once), self-references,
generic relations and keys of several columns.
"""

from array import array

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .columns import rng_for
from .exceptions import SeedFailed
from .introspection import Treatment
from .keys import AUTO_FIELDS, Pool, Spread, is_auto, root_of, roots_of, tables_of
from .values import column_for


class Relations:
    """Draws the keys of one step's rows; the targets stay the same for the step."""

    def __init__(self, table, step, keys, plan, recipe, null_allowed):
        self.table = table
        self.model = table.model
        self.label = table.label
        self.count = step.count
        self.existing = step.existing
        #: The run's KeyService.
        self.keys = keys
        self.plan = plan
        self.seed = plan.seed
        self.using = plan.using
        self.ratio = plan.config.optional_ratio
        self.recipe = recipe
        #: UniqueRules.null_allowed: whether a row may hold NULL in a column.
        self.null_allowed = null_allowed
        self.target_rows = {}
        self.spreads = {}
        self.one_to_one = {}
        # Per self one-to-one key: the rows no key points at yet.
        self.unpointed = {}
        self.targets = {}
        # Per table: the keys its rows hold, and per generic relation: the
        # models and content types it may point at; read once per step.
        self.held = {}
        self.generic_targets = {}
        # The values self-references point at, in the rows of earlier batches.
        self.earlier = {
            field.target_field.attname: []
            for field, kind in self.table.relations.values()
            if kind == "self"
        }

    def remember(self, data):
        """Keep the values the batch's rows offer later self-references."""
        for attname, values in self.earlier.items():
            values.extend(data[attname])

    def primary_keys(self, offset, n, given):
        """Primary keys and parent links of every table of the batch, and
        the new keys of each table that allocates them."""
        if self.table.composite:
            # Its key is its columns, made unique with the other unique sets.
            return {}, {}
        keys, new = {}, {}
        own = root_of(self.model)
        for root in roots_of(self.model):
            if root is own and self.count is not None:
                # Decided for the whole step at once, as other steps'
                # keys may already point at them.
                pk = self.model._meta.pk
                values = self.keys.preview(self.model, pk)[offset : offset + n]
            elif root is own and root._meta.pk.attname in given:
                values = given[root._meta.pk.attname]
            elif root._meta.pk.is_relation:
                # A one-to-one primary key: the key is the parent's.
                field = root._meta.pk
                rng = rng_for(self.seed, self.label, field.name, offset)
                values = self._one_to_one(field, self._targets(field), rng, n)
            elif is_auto(root):
                values = self.keys.allocate(root, n)
            else:
                column = column_for(root._meta.pk, self.keys.values)
                rng = rng_for(self.seed, self.label, "pk", offset)
                existing = self.plan.existing.get(root, 0)
                # The pool grows only once the step is done: one set per step.
                if root not in self.held:
                    self.held[root] = set(self.keys.pool(root))
                values = self.keys.distinct(
                    column, rng, existing + offset, n, self.held[root]
                )
            keys[root] = list(values)
            new[root] = values
        data = {}
        for table in tables_of(self.model):
            data[table._meta.pk.attname] = keys[root_of(table)]
        for attname, field in self.table.parent_links.items():
            data[attname] = keys[root_of(field.related_model._meta.concrete_model)]
        return data, new

    def relation(self, field, kind, rng, n):
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
        if field.attname in self.table.alone:
            return self._one_to_one(field, pool, rng, n)
        spread = self._spread(field.name, len(pool))
        if not nullable:
            return pool.take(spread.indices(rng, n))
        ratio = self.ratio
        return [
            None if rng.random() >= ratio else pool[spread.index(rng)]
            for _ in range(n)
        ]

    def self_reference(self, field, rng, n, data):
        """Point at earlier rows of the model; a required key's first row at itself."""
        if field.attname in self.table.alone:
            return self._self_one_to_one(field, rng, n, data)
        column = field.target_field.attname
        existing, earlier = self._targets(field), self.earlier[column]
        own = data[column]
        values = []
        for i in range(n):
            available = len(existing) + len(earlier) + i
            if available == 0 or (field.null and rng.random() >= self.ratio):
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

    def multi_column(self, relation, rng, n):
        """Copy one target row's values into all the columns of a relation."""
        names = [f.attname for f in relation.local_related_fields]
        if any(name in self.recipe for name in names):
            return {}  # The seed module decides.
        rows = self.target_rows.get(relation.name)
        if rows is None:
            columns = [f.attname for f in relation.foreign_related_fields]
            target = relation.related_model._base_manager.using(self.using)
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
            used = set(self.keys.stored(self.model, field))
            free = [value for value in self._targets(field) if value not in used]
            self.unpointed[field.attname] = free
        own = data[field.target_field.attname]
        values = []
        for i in range(n):
            # A required key may always point at its own row, the last choice.
            choices = len(free) + (not field.null)
            if (
                not choices or (field.null and rng.random() >= self.ratio)
            ) and self.null_allowed(field.attname):
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

    def _generic_targets(self, gfk, id_field):
        """The models a generic relation may point at, and their content
        types: the pools grow only once the step is done, so read once."""
        if gfk.name not in self.generic_targets:
            targets = [
                m
                for m in _targets_for(id_field, self.plan)
                if m is not self.model and len(self.keys.pool(m))
            ]
            types = ContentType.objects.db_manager(self.using).get_for_models(
                *targets, for_concrete_models=False
            ) if targets else {}
            self.generic_targets[gfk.name] = targets, types
        return self.generic_targets[gfk.name]

    def _targets(self, field):
        """What a key may hold: the same for the whole step, so read once."""
        if field.attname not in self.targets:
            target = field.related_model._meta.concrete_model
            # A self-reference points only at rows written before its own.
            read = (
                self.keys.values_of if target is self.model else self.keys.targets
            )
            self.targets[field.attname] = read(field)
        return self.targets[field.attname]

    def _one_to_one(self, field, pool, rng, n):
        """Each parent at most once: walk a shuffled list of the free ones."""
        state = self.one_to_one.get(field.attname)
        if state is None:
            # The targets the key's table links already: its own earlier
            # rows, or those of every model writing an ancestor's table.
            owner = field.model._meta.concrete_model
            read = self.existing or owner is not self.model
            used = set(self.keys.stored(owner, field)) if read else ()
            # Shuffled positions rather than keys: 8 bytes a parent.
            order = array("q", range(len(pool)))
            rng_for(self.seed, self.label, field.name, "one-to-one").shuffle(order)
            state = self.one_to_one[field.attname] = (
                key for key in map(pool.__getitem__, order) if key not in used
            )
        values = []
        for _ in range(n):
            if field.null and rng.random() >= self.ratio:
                if self.null_allowed(field.attname):
                    values.append(None)
                    continue
            value = next(state, None)
            if value is None and not (
                field.null and self.null_allowed(field.attname)
            ):
                raise SeedFailed(
                    f"{self.label}.{field.name}: more rows than free {field.related_model._meta.label} rows for a one-to-one link."
                )
            values.append(value)
        return values

    def generic(self, gfk, rng, n):
        ct_field = self.model._meta.get_field(gfk.ct_field)
        id_field = self.model._meta.get_field(gfk.fk_field)
        targets, types = self._generic_targets(gfk, id_field)
        if not targets:
            if ct_field.null and id_field.null:
                return {ct_field.attname: [None] * n, id_field.attname: [None] * n}
            raise SeedFailed(
                f"{self.label}.{gfk.name}: no model with rows to point at."
            )
        as_text = not isinstance(id_field, (models.IntegerField, models.UUIDField))
        content_types, object_ids = [], []
        for _ in range(n):
            target = targets[rng.randrange(len(targets))]
            pool = self.keys.pool(target)
            key = pool[rng.randrange(len(pool))]
            content_types.append(types[target].pk)
            object_ids.append(str(key) if as_text else key)
        return {ct_field.attname: content_types, id_field.attname: object_ids}

    def draw(self, attname, row, rng):
        """Another value for the row's column, from those it could have had."""
        if attname in self.table.relations:
            field, kind = self.table.relations[attname]
            if kind == "self":
                targets = self._rows_before(field, row)
            else:
                targets = self._targets(field)
            return targets[rng.randrange(len(targets))]
        column = self.table.columns[attname]
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
