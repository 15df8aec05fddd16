"""
The plan: which models are seeded, how many rows each, in which order, and
whether that can be done at all. Nothing is written while planning; ``seed
--plan`` prints a plan and stops.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DatabaseError, connections

from . import registry
from .exceptions import ConfigurationError, SeedingError
from .graph import DependencyGraph, UnbreakableCycle
from .introspection import (
    Treatment,
    classify,
    count_rows,
    forward_relations,
    parse_labels,
    through_owner,
)
from .cleaning import overrides_clean
from .columns import ValueContext
from .keys import is_auto
from .seedchecks import counted_by, seed_module_problems
from .recipes import unhonoured
from .skips import leave_out, without_cycles
from .structures import structures_of
from .tables import describe
from .values import column_for


@dataclass
class Step:
    """How one model is seeded."""

    model: type
    treatment: Treatment
    seed: registry.Seed | None
    #: Rows to insert; None when the seed module's rows() decides.
    count: int | None
    #: Rows the table held before the run.
    existing: int = 0
    notes: list = field(default_factory=list)
    #: Library structures (trees, orderings) its rows must respect.
    structures: list = field(default_factory=list)

    @property
    def label(self):
        return self.model._meta.label

    @property
    def recipe_names(self):
        """The fields the seed module's recipe sets. Planning needs only the
        names: recipe_values() would copy the recipe's iterators."""
        if self.seed is None or self.seed.recipe is None:
            return {}
        return self.seed.recipe.attr_mapping


@dataclass
class Plan:
    using: str
    seed: int
    scale: float
    config: object
    steps: list
    treatments: dict
    graph: DependencyGraph | None
    existing: dict
    #: Existing rows whose column a to_field key names is NULL, per column.
    null_targets: dict = field(default_factory=dict)
    #: {model: tables.Table}, read by the feasibility checks and the run.
    tables: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    cautions: list = field(default_factory=list)
    #: Whether the run only makes up what each model is missing.
    top_up: bool = False
    #: The models left out of the run (skips.Skip), planned or failed.
    skipped: list = field(default_factory=list)
    #: {model: (problem, fix)} for the problems that concern one model.
    refused: dict = field(default_factory=dict)

    def refuse(self, model, problem, fix):
        """A problem that one model has: without --strict it is left out."""
        self.problems.append(problem)
        self.refused[model] = (problem, fix)

    def step(self, model):
        return next((s for s in self.steps if s.model is model), None)

    def planned_rows(self, model):
        """Rows the model will hold: existing plus planned, MTI children included."""
        rows = self.existing.get(model, 0)
        for step in self.steps:
            if step.model is model or model in step.model._meta.get_parent_list():
                if step.count is None:
                    return None  # A seed module's rows() decides.
                rows += step.count
        return rows

    def pointable_rows(self, relation):
        """Rows ``relation`` can point at: planned rows but those holding NULL."""
        target = relation.related_model._meta.concrete_model
        rows = self.planned_rows(target)
        if rows is None:
            return None
        if not self._fills(target, relation.target_field):
            rows = self.existing.get(target, 0)
        return rows - self.null_targets.get(relation.target_field, 0)

    def _fills(self, model, column):
        """Whether the engine gives new rows of ``model`` a value in ``column``:
        always, unless it has none to give (check constraints that allow no
        value leave a nullable column NULL)."""
        step = self.step(model)
        if column.primary_key or step is None:
            return True
        if column.name in step.recipe_names or column.attname in step.recipe_names:
            return True
        return column.has_default() or column_for(column, self.values) is not None

    @cached_property
    def values(self):
        """The context columns draw values in, for questions about them."""
        return ValueContext(
            self.seed,
            self.config.locale,
            self.config.now,
            connections[self.using],
            choices=self.config.choices,
        )


def parse_counts(pairs):
    """Turn ['app.Model=N', ...] into {model: N}; raise ConfigurationError."""
    counts = {}
    for pair in pairs:
        label, sep, number = pair.partition("=")
        if not sep or not label:
            raise ConfigurationError(f"--count takes app_label.Model=N, not {pair!r}.")
        try:
            count = int(number)
        except ValueError:
            raise ConfigurationError(
                f"--count {pair}: {number!r} is not a whole number."
            ) from None
        if count < 0:
            raise ConfigurationError(f"--count {pair}: the count must not be negative.")
        if count > MAX_COUNT:
            raise ConfigurationError(
                f"--count {pair}: more than {MAX_COUNT:,} rows is not a seed."
            )
        models = parse_labels([label])
        if len(models) != 1 or "." not in label:
            raise ConfigurationError(
                f"--count needs one model, app_label.Model, not {label!r}."
            )
        counts[models.pop()] = count
    return counts


MAX_COUNT = 100_000_000


def _check_scale(scale):
    if not (
        isinstance(scale, (int, float)) and 0 < scale <= 10_000 and math.isfinite(scale)
    ):
        raise ConfigurationError(
            f"--scale must be a number above 0 (up to 10000), not {scale}."
        )


def _order(seeded, steps, seeds, skipped=None):
    """The DependencyGraph of ``seeded``; given ``skipped``, the models of
    cycles no key can break go there instead of raising UnbreakableCycle."""
    after = {
        model: [parse_labels([label]).pop() for label in seed.after]
        for model, seed in seeds.items()
        if seed.after
    }

    def order(models):
        can_point_forward = lambda e: steps[e.target].count is not None  # noqa: E731
        return DependencyGraph(models, can_point_forward, after)

    if skipped is None:
        return order(seeded)
    return without_cycles(seeded, order, skipped)


def build_plan(
    using,
    config,
    *,
    seed=0,
    scale=1.0,
    counts=None,
    only=(),
    exclude=(),
    top_up=False,
    strict=True,
):
    """Return the Plan for one run; raise SeedingError for bad input. Unless
    ``strict``, the models it cannot seed are left out (``plan.skipped``)."""
    _check_scale(scale)
    registry.autodiscover()
    seeds = registry.site.seeds()
    treatments, existing = _treatments(using, config, only, exclude, seeds)
    seeded = [m for m, t in treatments.items() if t.seeded]
    config_counts, counts_given = _config_counts(config), counts or {}
    explicit = {
        **{m: round(c * scale) for m, c in config_counts.items()},
        **counts_given,
    }
    steps = _steps(seeded, treatments, seeds, existing)
    _count_steps(steps, explicit, config, scale, top_up)
    null_targets = _null_targets(using, seeded, existing)
    plan = Plan(
        using, seed, scale, config, [], treatments, None, existing, null_targets,
        top_up=top_up,
    )
    try:
        graph = _order(seeded, steps, seeds, None if strict else plan.skipped)
    except UnbreakableCycle as exc:
        plan.problems.append(str(exc))
        plan.steps = [steps[m] for m in seeded]
        return plan
    plan.graph = graph
    plan.steps = [steps[m] for m in graph.order]
    forward = {e.field for e in graph.forward}
    plan.tables = {
        step.model: describe(step.model, forward, plan.values, connections[using])
        for step in plan.steps
    }
    _settle_counts(plan, explicit, seeds)
    if not strict:
        leave_out(plan, lambda: _settle_counts(plan, explicit, seeds))
    for step in plan.steps:
        source = counted_by(step.model, counts_given, config_counts)
        plan.problems.extend(seed_module_problems(step, source))
    # Text pools are sized by the rows they fill, now known; the columns
    # draw them during the run.
    plan.values.rows.update({step.model: step.count for step in plan.steps})
    return plan


def _config_counts(config):
    """SEEDING['COUNTS'] as {model: rows}."""
    config_counts = {}
    for label, count in config.counts.items():
        models = parse_labels([label])
        if len(models) != 1:
            raise ConfigurationError(
                f"SEEDING['COUNTS'] names {label!r}, which is not one model."
            )
        config_counts[models.pop()] = count
    return config_counts


def _treatments(using, config, only, exclude, seeds):
    """{model: Treatment}, dependencies pulled in, and the rows tables hold."""
    treatments = classify(using, config, only, exclude)
    existing = _row_counts(
        using,
        [
            m
            for m, t in treatments.items()
            if t.seeded or t in (Treatment.REUSED, Treatment.NOT_SELECTED)
        ],
    )
    _pull_in_dependencies(treatments, existing)
    for model, treatment in treatments.items():
        if treatment.seeded and model in seeds:
            treatments[model] = (
                Treatment.RECIPE if treatment is Treatment.AUTO else treatment
            )
    return treatments, existing


def _steps(seeded, treatments, seeds, existing):
    """A Step per seeded model, its count still to decide."""
    return {
        model: Step(
            model,
            treatments[model],
            seeds.get(model),
            None,
            existing.get(model, 0),
            structures=structures_of(model),
        )
        for model in seeded
    }


def _count_steps(steps, explicit, config, scale, top_up):
    """Give each step its count; one counted per another's rows counts that one first."""
    resolving = set()

    def count_of(model):
        step = steps.get(model)
        if step is None:
            return 0
        if step.count is None and model not in resolving:
            resolving.add(model)
            step.count = _count(step, explicit, config, scale, count_of)
        return step.count or 0

    for model, step in steps.items():
        count_of(model)
        if top_up and step.count is not None:
            step.count = max(0, step.count - step.existing)
        _describe_structures(step)
        if overrides_clean(model):
            step.notes.append("rows checked with the model's clean()")


def _settle_counts(plan, explicit, seeds):
    """Check feasibility until no count moves: a clamp can starve a model
    checked earlier (one that points forward into it)."""
    for _ in range(len(plan.steps) + 1):
        counts = [step.count for step in plan.steps]
        plan.problems.clear()
        plan.cautions.clear()
        plan.refused.clear()
        _check_feasibility(plan, explicit, seeds)
        if counts == [step.count for step in plan.steps]:
            break


def _describe_structures(step):
    recipe = step.recipe_names
    for structure in step.structures:
        note = structure.describe(step.count)
        given = [name for name in structure.fields if name in recipe]
        if given:
            note += f"; the seed module's recipe sets {', '.join(given)}"
        step.notes.append(note)


def _row_counts(using, models):
    connection = connections[using]
    try:
        present = set(connection.introspection.table_names(include_views=True))
        missing = sorted({m._meta.db_table for m in models} - present)
        if missing:
            raise SeedingError(
                f"Database '{using}' has no table {', '.join(missing)}. "
                f"Is it migrated? Run without --no-migrate."
            )
        return count_rows(using, models)
    except DatabaseError as exc:
        connection.close()
        raise SeedingError(
            f"Cannot read the tables of database '{using}': {exc}. "
            f"Is the database reachable and migrated? Run without --no-migrate."
        ) from exc


def _null_targets(using, models, existing):
    """Count the existing rows that hold NULL where the models' keys point."""
    counts = {}
    for model in models:
        for relation in forward_relations(model):
            column = relation.target_field
            target = relation.related_model._meta.concrete_model
            if column.null and existing.get(target) and column not in counts:
                nulls = target._base_manager.using(using).filter(
                    **{f"{column.attname}__isnull": True}
                )
                counts[column] = nulls.count()
    return counts


def _pull_in_dependencies(treatments, existing):
    """Seed the unselected parents that a selected model cannot do without."""
    queue = [m for m, t in treatments.items() if t.seeded]
    while queue:
        model = queue.pop()
        for relation in forward_relations(model):
            target = relation.related_model._meta.concrete_model
            if relation.null or target is model:
                continue
            if treatments.get(target) is Treatment.NOT_SELECTED and not existing.get(
                target
            ):
                treatments[target] = Treatment.DEPENDENCY
                queue.append(target)


def _count(step, explicit, config, scale, count_of):
    model, seed = step.model, step.seed
    if model in explicit:
        return explicit[model]
    if seed is not None and seed.per is not None:
        label, factor = seed.per
        other = parse_labels([label]).pop()
        return round(count_of(other) * factor)
    if seed is not None and seed.count is not None:
        return round(seed.count * scale)
    if seed is not None and seed.decides_count:
        return None
    owner = through_owner(model)
    if owner is not None:
        # About two links per row of the model that declares the M2M field.
        return 2 * count_of(owner)
    return round(config.default_count * scale)


def _check_feasibility(plan, explicit, seeds):
    """Clamp automatic counts to what the schema allows; report the rest."""
    for step in plan.steps:
        table = plan.tables[step.model]
        limits = [*_key_limits(plan, step, table), *_unique_limits(plan, step, table)]
        _check_required_values(plan, step, table)
        for constraint in table.unsupported_checks:
            plan.cautions.append(
                f"{step.label}: check constraint {constraint.name} is not evaluated "
                f"before insert; rows that break it make the run fail."
            )
        if step.seed is not None and step.seed.recipe is not None:
            for name in unhonoured(step.seed.recipe):
                plan.cautions.append(
                    f"{step.label}.{name}: the recipe of {step.seed.module} makes a "
                    f"parent (foreign_key() or related()), which seed does not: rows "
                    f"point at parents that exist or are seeded."
                )
        fixed = step.model in explicit or step.seed is not None
        for limit, reason in limits:
            if step.count is not None and step.count > limit:
                if fixed:
                    plan.refuse(
                        step.model,
                        f"{step.label}: {step.count} rows planned, but {reason}.",
                        f"--count {step.label}={max(limit, 0)}, or -e {step.label}",
                    )
                else:
                    step.notes.append(f"{step.count} -> {max(limit, 0)} rows: {reason}")
                    step.count = max(limit, 0)


def _key_limits(plan, step, table):
    """(rows, reason) limits that the rows keys can point at put on the step."""
    model, label = step.model, step.label
    limits = []
    for relation in forward_relations(model):
        if relation.remote_field.parent_link or relation.attname in table.gfk_columns:
            continue
        target = relation.related_model._meta.concrete_model
        if target is model:
            continue
        rows = plan.pointable_rows(relation)
        if rows is None:
            continue
        if rows == 0 and not relation.null:
            reason = f"{label}.{relation.name} needs rows of {target._meta.label}, which has none and is not seeded"
            if step.count is None:
                # rows() cannot yield a row that points at nothing.
                plan.refuse(model, f"{reason}.", f"-e {label}, or seed {target._meta.label}")
            limits.append((0, reason))
        if relation.unique and not relation.null and step.count is not None:
            owner = relation.model._meta.concrete_model
            free = rows - _held_before(plan, owner, step)
            limits.append(
                (
                    free,
                    f"{label}.{relation.name} is one-to-one with {target._meta.label}: {free} rows free for {step.count}",
                )
            )
    return limits


def _unique_limits(plan, step, table):
    """(rows, reason) limits that the step's unique rules put on it."""
    model = step.model
    limits = []
    for names in [*_drawn_key(model), *table.uniques]:
        capacity = 1
        for name in names:
            field_ = model._meta.get_field(_field_name(model, name))
            if field_.is_relation:
                rows = plan.pointable_rows(field_)
                if rows is None:
                    capacity = None
                    break
                if field_.null and len(names) == 1:
                    # NULLs never collide, so a nullable one-to-one key
                    # has no cap, unless they count as equal: one more.
                    if frozenset(names) not in table.nulls_equal:
                        capacity = None
                        break
                    rows += 1
                capacity *= rows
            else:
                column = _column(plan, table, field_)
                size = column.capacity() if column else None
                if size is None:
                    capacity = None
                    break
                capacity *= size
        if capacity is not None and step.count is not None:
            owner = table.unique_owners.get(names, model)
            held = _held_before(plan, owner, step)
            reason = f"unique ({', '.join(names)}) of {step.label} allows {capacity:,} rows"
            if held:
                reason += f", {held:,} of them there already"
            limits.append((capacity - held, reason))
    return limits


def _check_required_values(plan, step, table):
    """A problem for each required field the engine has no value for."""
    recipe = step.recipe_names
    for field_ in table.fields:
        if field_.is_relation or field_.primary_key:
            continue
        if (
            field_.null
            or field_.has_default()
            or (field_.blank and field_.get_default() is not None)
            or field_.name in recipe
            or field_.attname in recipe
        ):
            continue
        if _column(plan, table, field_) is None:
            label = step.label
            plan.refuse(
                step.model,
                f"{label}.{field_.name}: no value for a required "
                f"{type(field_).__name__} (a kind seeding does not know, or "
                f"validators and check constraints that allow none); "
                f"give it a default or a recipe value in a seeds module.",
                f"a recipe value for {field_.name} in a seeds module, "
                f"SEEDING['CHOICES'] for {label}.{field_.name}, or -e {label}",
            )


def _column(plan, table, field_):
    """The run's Column of ``field_``; one of its own for a column the table
    leaves out (a primary key, a generic relation's object id)."""
    if field_.attname in table.columns:
        return table.columns[field_.attname]
    return column_for(field_, plan.values)


def _held_before(plan, table, step):
    """The rows ``table`` holds when ``step`` starts: its own rows for the
    step's own table; for an ancestor's, also those the steps before it
    write there (the ancestor's own step, sibling subclasses)."""
    if table is step.model:
        return step.existing
    rows = plan.existing.get(table, 0)
    for earlier in plan.steps[: plan.steps.index(step)]:
        if table is earlier.model or table in earlier.model._meta.get_parent_list():
            rows += earlier.count or 0
    return rows


def _drawn_key(model):
    """The primary key, as a unique set, when its values are drawn from a Column."""
    pk = model._meta.pk
    if model._meta.is_composite_pk or pk.is_relation or is_auto(model):
        return []
    return [(pk.attname,)]


def _field_name(model, attname):
    for field_ in model._meta.concrete_fields:
        if field_.attname == attname:
            return field_.name
    return attname
