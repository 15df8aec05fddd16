"""
Rules a schema leaves unsaid that applications rely on, which the written
rows keep as if the schema said them (the report, which judges the schema's
own rules, does not count them):

- a period's end comes no earlier than its start, for two date or datetime
  fields whose names say so (start and end, starts_at and ends_at,
  valid_from and valid_until, created and modified): a calendar computes
  occurrences from them, a timeline sorts by them;
- a slug is distinct, unique or not: applications look rows up by it
  (``get(slug__iexact=...)``), and two rows that share one break the page.
"""

from django.db import models
from django.db.models import CheckConstraint, F, Q

from .constraints import Condition

#: A word of a field name that starts a period, and the words that end it.
ENDS = {
    "start": ("end", "finish"),
    "starts": ("ends",),
    "begin": ("end",),
    "begins": ("ends",),
    "from": ("to", "until", "till"),
    "created": ("modified", "updated", "changed"),
}
#: A slug shorter than this may have too few values to be distinct.
SLUG_LENGTH = 8


def period_conditions(model, declared):
    """
    A Condition "end >= start" per pair of fields that name a period and
    that none of the ``declared`` Conditions (the model's check constraints)
    compares already: the schema's own word on a pair wins.
    """
    fields = {f.name: f for f in model._meta.concrete_fields}
    compared = {
        frozenset((attname, fields[value.name].attname))
        for condition in declared
        for attname, _, value in condition.atoms
        if isinstance(value, F) and value.name in fields
    }
    conditions = []
    for start, end in _periods(fields):
        if frozenset((fields[start].attname, fields[end].attname)) in compared:
            continue
        condition = Q(**{f"{end}__gte": F(start)})
        name = f"implied period {start} to {end}"
        conditions.append(Condition(model, CheckConstraint(condition=condition, name=name)))
    return conditions


def _periods(fields):
    for name, field in fields.items():
        words = name.split("_")
        for i, word in enumerate(words):
            for ending in ENDS.get(word, ()):
                other = fields.get("_".join([*words[:i], ending, *words[i + 1 :]]))
                if other is not None and _moment(field) and _moment(other) == _moment(field):
                    yield name, other.name


def _moment(field):
    """"datetime", "date" or None: what kind of moment a field holds."""
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    return None


def slug_rules(model):
    """{(attname,): table} for the slugs the schema lets repeat."""
    return {
        (field.attname,): field.model
        for field in model._meta.concrete_fields
        if isinstance(field, models.SlugField)
        and not field.unique
        and (field.max_length or SLUG_LENGTH) >= SLUG_LENGTH
    }
