"""
The rows of one step, a batch at a time: the recipe of a batch reads keys and
relations (``relations``), column values, recipe values and the values a seed
module gave, then unique rules (``uniques``), check constraints (``repairs``)
and the model's own clean() (``cleaning``), then one insert per table
(``inserts``). The step's new keys and the keys left to back-fill go back to
the run when it closes.
"""

from operator import itemgetter

from django.db import connections, models

from .cleaning import CleanChecks
from .columns import any_is, rng_for
from .exceptions import SeedFailed
from .inserts import Inserts
from .keys import coalesce, pack, tables_of
from .recipes import RecipeColumns
from .relations import Relations
from .repairs import CheckRepairs
from .uniques import UniqueRules

MISSING = object()


class Writer:
    """Generates and inserts the batches of one step."""

    def __init__(self, plan, step, table, keys, password):
        self.step = step
        self.table = table
        self.model = model = step.model
        self.label = table.label
        self.seed = plan.seed
        self.ratio = plan.config.optional_ratio
        self.by_name = table.by_name
        self.primary = table.primary
        self.columns = table.columns
        self.key_targets = table.key_targets
        self.recipe = self._recipe_values(plan.using)
        self.recipe_columns = RecipeColumns(
            self.recipe, plan.config.locale, plan.config.now
        )
        self.keys = keys
        self.rules = UniqueRules(table, self.recipe, step.existing, plan.using)
        self.links = Relations(
            table, step, keys, plan, self.recipe, self.rules.null_allowed
        )
        self.repairs = CheckRepairs(table, self.rules, step.existing)
        self.password = password if model is _user_model() else None
        #: The column every new user's password hash goes to, if any.
        self.password_column = (
            "password"
            if self.password is not None and "password" in table.by_name
            else None
        )
        decided = {*self.recipe, self.password_column} - {None}
        self.cleaning = CleanChecks(table, plan.using, decided)
        self.inserts = Inserts(model, table.fields, connections[plan.using])
        self.new_keys = {}
        #: The columns of the batch for which every row has a given value.
        self.whole = set()
        # The keys of the rows whose back-filled keys are NULL until later.
        self.waiting = []
        # Materialise the pools before this step adds rows to the tables
        # they read their existing keys from.
        for part in tables_of(model):
            if not table.composite:
                keys.pool(part)

    def _recipe_values(self, using):
        """The values structures and the seed module's recipe give, by attname."""
        recipe = {}
        for structure in self.step.structures:
            values = structure.values(using, self.step.count, self.seed)
            for name, value in values.items():
                recipe[self.by_name[name].attname] = value
        if self.step.seed is not None:
            for name, value in self.step.seed.recipe_values().items():
                if name in self.by_name:
                    recipe[self.by_name[name].attname] = value
        return recipe

    # -- one batch -----------------------------------------------------------

    def write(self, number, offset, partials):
        n = len(partials)
        rng = lambda name: rng_for(self.seed, self.label, name, number)  # noqa: E731
        given = self._given(offset, partials)
        data, new = self.links.primary_keys(offset, n, given)
        for root, values in new.items():
            packed = pack(values, self.step.count or 0)
            self.new_keys.setdefault(root, []).append(packed)
        for attname, (field, kind) in self.table.relations.items():
            if kind == "self":
                continue
            if attname in self.whole:
                data[attname] = given[attname]
            else:
                data[attname] = self.links.relation(field, kind, rng(attname), n)
        for gfk in self.table.gfks:
            data.update(self.links.generic(gfk, rng(gfk.name), n))
        for attname, column in self.columns.items():
            if attname in self.recipe:
                continue  # The recipe's values replace them below.
            if attname in self.whole:
                # Every row has the seed module's value: drawing one (and
                # the pool it comes from) would be wasted. _give() copies it.
                data[attname] = given[attname]
                continue
            if attname == self.password_column:
                continue  # The run's one hash, below.
            data[attname] = self._column(attname, column, rng(attname), offset, n)
        for attname in self.recipe:
            if attname != self.password_column:
                data[attname] = self._recipe(attname, rng(attname), n, number)
        for relation in self.table.multi_column:
            data.update(self.links.multi_column(relation, rng(relation.name), n))
        if self.password_column is not None:
            data[self.password_column] = [self.password] * n
        self._give(data, given, list(data))
        unique = rng("unique")
        self.rules.settle_columns(data, n, unique, given)
        # Self-references may point at this batch's rows: they are drawn once
        # the values they point at (a to_field column) are final.
        for attname, (field, kind) in self.table.relations.items():
            if kind == "self":
                data[attname] = self.links.self_reference(field, rng(attname), n, data)
                self._give(data, given, [attname])
        self.rules.settle_sets(data, n, unique, given, self.links)
        self.repairs.repair(data, n, rng("check"), given)
        self.cleaning.check(data, n, rng("clean"), given)
        self.inserts.insert(data)
        if self.table.backfills:
            self.waiting.extend(data[self.model._meta.pk.attname])
        self.links.remember(data)

    def _given(self, offset, partials):
        """{attname: values} the seed module's rows gave, MISSING where a row
        gave none, and the values that keys of earlier steps point at."""
        given = {}
        for name, values in _transposed(partials).items():
            field = self.by_name.get(name)
            if field is None:
                raise SeedFailed(
                    f"{self.label} has no field {name!r} (from the seed module's rows())."
                )
            if field.is_relation and any(
                issubclass(kind, models.Model) for kind in set(map(type, values))
            ):
                values = [v.pk if isinstance(v, models.Model) else v for v in values]
            given[field.attname] = values
        # Values that keys of earlier steps point at bind like the seed module's.
        for attname, values in self.keys.previews_of(self.model).items():
            if attname not in self.primary:
                given[attname] = values[offset : offset + len(partials)]
        #: The columns for which every row of the batch has a given value.
        self.whole = {
            attname for attname, values in given.items() if not any_is(values, MISSING)
        }
        return given

    def _give(self, data, given, attnames):
        """Keep the seed module's values where it gave one."""
        for attname in attnames:
            if attname not in given:
                continue
            if attname in self.whole:
                data[attname] = list(given[attname])
            else:
                data[attname] = [
                    drawn if value is MISSING else value
                    for value, drawn in zip(given[attname], data[attname])
                ]

    def _column(self, attname, column, rng, offset, n):
        field = self.by_name[attname]
        if column is None:
            # What Django gives a field left unset: its default, else its
            # empty value (NULL, or what the field class says is empty).
            return [field.get_default() for _ in range(n)]
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
            if not field.null and _outside_choices(field, empty):
                # Choices define the domain: applications branch on them, and
                # a blank outside them is rarely what real rows hold. A NULL
                # is the schema's own "not set" and stays.
                return values
            if empty is not None or field.null:
                ratio = self.ratio
                values = [v if rng.random() < ratio else empty for v in values]
        return values

    def _recipe(self, attname, rng, n, number):
        position = f"{self.seed}:{self.label}:recipe:{attname}:{number}"
        try:
            return self.recipe_columns.draw(attname, rng, n, position)
        except Exception as exc:
            where = f"recipe value {self.by_name[attname].name!r}"
            raise SeedFailed(failure(self.step, exc, where)) from exc

    def close(self):
        """The step's new keys, {root: keys}, and the keys left to back-fill,
        [(field, model, primary keys of the rows)], for the run to take over."""
        self.rules.close()
        new_keys = {root: coalesce(parts) for root, parts in self.new_keys.items()}
        backfills = self.table.backfills
        return new_keys, [(field, self.model, self.waiting) for field in backfills]


def _transposed(partials):
    """{name: the rows' values}, MISSING where a row has none: the dicts of a
    seed module's rows as columns."""
    names = list(partials[0])
    if not names:
        return {}
    # The usual case, every row giving the same fields, a pass of C: rows of
    # one length that all hold the first row's fields hold no others.
    if all(map(len(names).__eq__, map(len, partials))):
        try:
            columns = zip(*map(itemgetter(*names, names[0]), partials))
            return dict(zip(names, map(list, columns)))
        except KeyError:
            pass
    names = {k for row in partials for k in row}
    return {name: [row.get(name, MISSING) for row in partials] for name in names}


def _outside_choices(field, empty):
    """Whether the field lists choices and the empty value is none of them."""
    if not field.choices:
        return False
    return all(value != empty for value, _ in field.flatchoices)


def failure(step, exc, where="rows"):
    """The message of a step that failed in a seed module's ``where``."""
    module = f" (seed module {step.seed.module}, {where})" if step.seed else ""
    return f"Seeding {step.label} failed{module}: {type(exc).__name__}: {exc}".strip()


def _user_model():
    from django.contrib.auth import get_user_model

    try:
        return get_user_model()
    except Exception:
        return None
