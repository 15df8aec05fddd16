"""
Invariants a model keeps in its own ``clean()`` rather than in the schema (a
child row needs a parent of the right kind, a type needs the value it reads).
Before a batch is written, each of its rows is built as an unsaved instance
and cleaned; a row clean() rejects takes, one column at a time, the values of
a row it accepted, until clean() accepts it. Models that keep Django's
``Model.clean`` cost nothing, and a step whose first ``SAMPLE`` rows clean()
accepts as drawn is not checked further: its batches are drawn alike, and
building every row of a large step as an instance would cost more than the
rest of its seed.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects

#: Rows clean() accepted that a rejected row may take values from, tried in turn.
TRIES = 8
#: Accepted rows of earlier batches kept to take values from.
KEPT = 32
#: Rows clean() must accept as drawn before the rest of a step goes unchecked.
SAMPLE = 2000


def overrides_clean(model):
    """Whether ``model`` keeps invariants in a clean() of its own."""
    return model.clean is not models.Model.clean


class CleanChecks:
    """Makes a step's rows ones its model's clean() accepts."""

    def __init__(self, table, using, recipe):
        self.table = table
        self.model = table.model
        self.using = using
        self.active = overrides_clean(self.model)
        # Columns whose values are decided elsewhere: keys, unique rules,
        # the values other tables point at, and what a recipe or a
        # structure gives. A rejected row keeps its own.
        fixed = {*table.primary, *table.parent_links, *table.gfk_columns, *recipe}
        for names in table.uniques:
            fixed.update(names)
        for rule in table.conditional_uniques:
            fixed.update(rule[0])
        for relation in table.multi_column:
            fixed.update(f.attname for f in relation.local_related_fields)
        fixed.update(field.attname for field in table.key_targets)
        self.fixed = fixed
        self.selfs = {
            attname: field
            for attname, (field, kind) in table.relations.items()
            if kind == "self"
        }
        self.prefetched = [
            field.name
            for field, kind in table.relations.values()
            if kind in ("parent", "self")
        ]
        self.kept = []
        # Rows judged so far, and whether clean() rejected any as drawn.
        self.judged, self.rejected = 0, False

    def check(self, data, n, rng, given):
        """Give the rows clean() rejects values of rows it accepts."""
        if not self.active or n == 0:
            return
        free = [a for a in data if a not in self.fixed and a not in given]
        if not free:
            # Every value is decided elsewhere (a seed module's rows give
            # them all): no row could take another's, so none is built.
            return
        instances = self._instances(data, n)
        accepted = [accepts(instance) for instance in instances]
        batch = [{a: data[a][j] for a in free} for j in range(n) if accepted[j]]
        donors = self.kept + batch
        positions = self._positions(data)
        changed = False
        for i in range(n):
            # A row may point at one an earlier fix changed: judge it again.
            if not donors or (accepted[i] and not changed) or accepts(instances[i]):
                continue
            for donor in rng.sample(donors, min(TRIES, len(donors))):
                if self._take(instances, data, i, donor, free, rng, positions):
                    changed = True
                    break
        self.kept = (self.kept + batch)[-KEPT:]
        self.judged += n
        self.rejected = self.rejected or len(batch) < n
        self.active = self.rejected or self.judged < SAMPLE

    def _instances(self, data, n):
        """The batch's rows as unsaved instances, each key to another row
        of the batch bound to that row's instance."""
        attnames = [f.attname for f in self.table.fields if f.attname in data]
        instances = []
        for i in range(n):
            instance = self.model(**{a: data[a][i] for a in attnames})
            instance._state.db = self.using
            instances.append(instance)
        if self.prefetched:
            try:
                prefetch_related_objects(instances, *self.prefetched)
            except Exception:  # clean() reads them one by one instead.
                pass
        for attname, field in self.selfs.items():
            column = field.target_field.attname
            rows = {data[column][i]: instances[i] for i in range(n)}
            for instance in instances:
                target = rows.get(getattr(instance, attname))
                if target is not None:
                    field.set_cached_value(instance, target)
        return instances

    def _positions(self, data):
        """Per self-reference: {value it may hold: its row in the batch}."""
        positions = {}
        for attname, field in self.selfs.items():
            column = data[field.target_field.attname]
            positions[attname] = {value: i for i, value in enumerate(column)}
        return positions

    def _take(self, instances, data, i, donor, free, rng, positions):
        """Copy the donor's values into row ``i`` one column at a time, in
        a seeded order, until clean() and the check constraints accept it;
        False, the row as it was, if they never do."""
        instance = instances[i]
        row = {a: data[a][i] for a in data}
        order = list(free)
        rng.shuffle(order)
        taken = []
        for attname in order:
            value = donor[attname]
            if value == row[attname] or not self._may_hold(attname, value, i, positions):
                continue
            row[attname] = value
            self._set(instance, instances, attname, value, positions)
            taken.append(attname)
            if self._accepts(instance, row):
                # Keep of the donor's values only those the row needs.
                for attname in taken[:-1]:
                    self._set(instance, instances, attname, data[attname][i], positions)
                    row[attname] = data[attname][i]
                    if not self._accepts(instance, row):
                        row[attname] = donor[attname]
                        self._set(instance, instances, attname, row[attname], positions)
                for a in taken:
                    data[a][i] = row[a]
                return True
        for attname in taken:
            self._set(instance, instances, attname, data[attname][i], positions)
        return False

    def _accepts(self, instance, row):
        return accepts(instance) and all(c(row) for c in self.table.conditions)

    def _may_hold(self, attname, value, i, positions):
        """A self-reference points only at rows written before its own (its
        own too, when required), as relations draws them."""
        if attname not in positions or value is None:
            return True
        j = positions[attname].get(value)
        return j is None or j < i or (j == i and not self.selfs[attname].null)

    def _set(self, instance, instances, attname, value, positions):
        """Give the instance a value, bound to its row when a self-reference
        points into the batch."""
        setattr(instance, attname, value)
        field = self.selfs.get(attname)
        j = positions[attname].get(value) if field is not None else None
        if j is not None:
            field.set_cached_value(instance, instances[j])


def accepts(instance):
    """Whether clean() accepts the unsaved row; a clean() that fails for
    another reason cannot judge one, and the row stands."""
    try:
        instance.clean()
    except ValidationError:
        return False
    except Exception:
        return True
    return True
