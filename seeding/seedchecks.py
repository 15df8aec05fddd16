"""
Mistakes in seed modules, found while planning rather than half-way through
a run or, worse, never: a count that rows() would ignore, a recipe naming a
field the model lacks, a recipe value its column cannot hold.
"""

from collections.abc import Iterator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models


def seed_module_problems(step, counted_by):
    """
    Return the problems of ``step``'s seed module, each naming the module.

    ``counted_by`` says where an explicit count for the model comes from
    (``--count`` or ``SEEDING['COUNTS']``), or is None if none does.
    """
    seed = step.seed
    if seed is None:
        return []
    problems = []
    if counted_by and not seed.takes_count:
        problems.append(
            f"{step.label}: {counted_by} asks for {step.count:,} rows, but the rows "
            f"of {seed.module} come from its rows(), which decides how many; drop "
            f"the count, or set counted = True on the Seed if rows() yields "
            f"ctx.count rows."
        )
    for name, value in step.recipe_names.items():
        problem = _recipe_problem(step.model, name, value)
        if problem:
            problems.append(
                f"{step.label}.{name}: the recipe of {seed.module} {problem}."
            )
    return problems


def _recipe_problem(model, name, value):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
        if field is None:
            return f"sets {name!r}, a field {model._meta.label} does not have"
    if (
        callable(value)
        or isinstance(value, (Iterator, models.Model, models.Expression))
        or field.is_relation
        or not field.concrete
    ):
        # Drawn per row, or checked by the relation: only the run can tell.
        return None
    try:
        field.to_python(value)
    except ValidationError as exc:
        reason = " ".join(exc.messages).rstrip(".")
        return f"gives {value!r}, which a {type(field).__name__} cannot hold: {reason}"
    return None


def counted_by(model, counts, config_counts):
    """Where an explicit count for ``model`` comes from, or None."""
    if model in counts:
        return "--count"
    if model in config_counts:
        return "SEEDING['COUNTS']"
    return None
