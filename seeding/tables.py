"""
What a run knows of one model's table, worked out once: its fields, its
relations by kind, its unique rules and check constraints, and the column
that draws each plain field's values. Frozen, so that every part of the
write path reads the same description.
"""

from dataclasses import dataclass

from .constraints import WrittenRules, check_conditions
from .implied import period_conditions, slug_rules
from .introspection import (
    forward_relations,
    generic_foreign_keys,
    key_targets,
    multi_column_relations,
)
from .keys import tables_of
from .values import column_for


@dataclass(frozen=True, eq=False)
class Table:
    """One model's table as a run writes it."""

    model: type
    label: str
    #: The concrete fields a row is written with (generated columns aside).
    fields: list
    #: Those fields by name and by attname.
    by_name: dict
    gfks: list
    #: The content type and object id columns of the generic relations.
    gfk_columns: dict
    multi_column: list
    #: Multi-table inheritance: {attname: link to the parent table}.
    parent_links: dict
    composite: bool
    #: {primary key attname: table}, for the model and its ancestors.
    primary: dict
    #: {attname: (field, kind)}; kind is "parent" (a table written before),
    #: "self", "forward" (a table written later) or "backfill" (a forward
    #: key that stays NULL until its table is written).
    relations: dict
    #: Whether a required key points at rows written after its own.
    points_forward: bool
    backfills: list
    #: The fields other tables' keys point at.
    key_targets: object
    #: {attname: Column or None} for the fields that are no relation.
    columns: dict
    uniques: list
    #: {attnames: table} for every unique rule, the ancestors' included.
    unique_owners: dict
    #: Columns unique on their own.
    alone: set
    nulls_equal: set
    conditional_uniques: list
    #: The check constraints evaluated in Python, and those that cannot be.
    conditions: list
    unsupported_checks: list

    def generic_columns(self, gfk):
        meta = self.model._meta
        return [meta.get_field(n).attname for n in (gfk.ct_field, gfk.fk_field)]


def describe(model, forward, values, connection):
    """The Table of ``model``; ``forward`` holds the keys the plan's order
    makes point forward, ``values`` is the run's ValueContext."""
    fields = [
        f for f in model._meta.concrete_fields if not getattr(f, "generated", False)
    ]
    gfks = generic_foreign_keys(model)
    gfk_columns = {
        model._meta.get_field(n).attname: g
        for g in gfks
        for n in (g.ct_field, g.fk_field)
    }
    parent_links = {
        f.attname: f for f in fields if f.remote_field and f.remote_field.parent_link
    }
    composite = model._meta.is_composite_pk
    primary = {} if composite else {t._meta.pk.attname: t for t in tables_of(model)}
    relations, points_forward = _relations(model, forward, parent_links, gfk_columns)
    rules = WrittenRules(model, connection)
    implied = {n: t for n, t in slug_rules(model).items() if n not in rules.owners}
    uniques = rules.sets + list(implied)
    conditions, unsupported_checks = check_conditions(model)
    conditions += period_conditions(model, conditions)
    return Table(
        model=model,
        label=model._meta.label,
        fields=fields,
        by_name={f.name: f for f in fields} | {f.attname: f for f in fields},
        gfks=gfks,
        gfk_columns=gfk_columns,
        multi_column=multi_column_relations(model),
        parent_links=parent_links,
        composite=composite,
        primary=primary,
        relations=relations,
        points_forward=points_forward,
        backfills=[field for field, kind in relations.values() if kind == "backfill"],
        key_targets=key_targets(model),
        columns={
            field.attname: column_for(field, values)
            for field in fields
            if not (
                field.is_relation
                or field.attname in gfk_columns
                or field.attname in primary
            )
        },
        uniques=uniques,
        unique_owners={**rules.owners, **implied},
        # Keys unique on their own, by unique=True or by a one-column unique
        # rule: each links one target at most, as a one-to-one key does.
        alone={names[0] for names in uniques if len(names) == 1},
        nulls_equal=rules.nulls_equal,
        conditional_uniques=rules.conditional,
        conditions=conditions,
        unsupported_checks=unsupported_checks,
    )


def _relations(model, forward, parent_links, gfk_columns):
    """The model's plain keys by kind, and whether one points forward."""
    relations = {}
    points_forward = False
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
        points_forward |= kind in ("self", "forward") and not field.null
        if not (
            field.attname in parent_links
            or field.attname in gfk_columns
            or field.primary_key
        ):
            relations[field.attname] = (field, kind)
    return relations, points_forward
