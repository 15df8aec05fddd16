"""
Empty the tables that ``seed`` fills: children before parents, in one
transaction, with foreign keys enforced again afterwards.

``purge_models()`` decides which tables go, ``introspection.count_rows()``
says how many rows they hold, and ``purge()`` empties them. None of them takes the
advisory lock or checks for a production database: ``seeding.purge()``
does both (``seeding.safety``), and ``seeding.seed(fresh=True)`` calls them
under the lock it holds.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import AutoField, Q

from . import baseline
from .exceptions import ConfigurationError, PlanError
from .graph import DependencyGraph
from .introspection import (
    Treatment,
    all_models,
    classify,
    count_rows,
    forward_relations,
    generic_foreign_keys,
    parse_labels,
    stored_on,
)

FRAMEWORK = (Treatment.REUSED, Treatment.FRAMEWORK)


def purge_models(using, config, only=(), exclude=(), include_framework=False):
    """
    Return the models whose tables ``purge()`` empties, children first.

    These are the models ``seed`` fills (``only`` and ``exclude`` are the
    same labels), auto-created many-to-many tables included; content types,
    permissions, sessions and the admin log too if ``include_framework``.
    A table outside that choice whose foreign keys point into it goes as
    well, or its rows would point at nothing: ``--only school`` also empties
    the messages users sent, and any purge of users the admin log; so does
    a table whose generic keys point at rows of it (an audit log). Raise
    ConfigurationError if such a table is one that ``exclude`` or
    SEEDING['EXCLUDE'] asked to keep.
    """
    treatments = classify(using, config, only=only, exclude=exclude)
    chosen = {model for model, treatment in treatments.items() if treatment.seeded}
    kept = parse_labels([*config.exclude, *exclude])
    if include_framework:
        picked = parse_labels(only) if only else None
        chosen.update(
            model
            for model, treatment in treatments.items()
            if treatment in FRAMEWORK
            and model not in kept
            and (picked is None or model in picked)
        )
    while dependents := referencing(using, chosen):
        excluded = sorted(
            model._meta.label
            for model in dependents
            if model in kept or treatments[model] is Treatment.EXCLUDED
        )
        if excluded:
            names = ", ".join(excluded)
            raise ConfigurationError(
                f"Cannot keep {names}: their rows point into tables this purge "
                f"empties. Stop excluding them, or exclude what they point at."
            )
        chosen |= dependents
    return list(reversed(DependencyGraph(chosen).order))


def referencing(using, models):
    """Models of ``using``, outside ``models``, with a foreign key into them,
    or with generic keys that point into them now."""
    inside = {model._meta.concrete_model for model in models}
    outside = [
        model
        for model in all_models()
        if model not in inside and stored_on(using, model)
    ]
    return {
        model
        for model in outside
        if any(
            field.related_model._meta.concrete_model in inside
            for field in forward_relations(model)
        )
    } | generic_referencing(using, outside, inside)


def generic_referencing(using, candidates, inside):
    """
    The ``candidates`` holding a generic key that points at a row of a model
    ``inside``. Any generic key could, so only rows that do count: a table
    of comments goes with the tags it is about, not with every purge.
    """
    holders = [model for model in candidates if generic_foreign_keys(model)]
    if not holders or not apps.is_installed("django.contrib.contenttypes"):
        return set()
    from django.contrib.contenttypes.models import ContentType

    targets = [
        pk
        for pk, app_label, name in ContentType.objects.db_manager(using).values_list(
            "pk", "app_label", "model"
        )
        if _concrete(app_label, name) in inside
    ]
    if not targets:
        return set()
    return {
        model
        for model in holders
        if any(
            model._base_manager.using(using)
            .filter(**{f"{key.ct_field}__in": targets})
            .exists()
            for key in generic_foreign_keys(model)
        )
    }


def _concrete(app_label, name):
    """The concrete model a content type names, or None for a stale one."""
    try:
        return apps.get_model(app_label, name)._meta.concrete_model
    except LookupError:
        return None


def rows_to_go(using, models):
    """How many rows ``purge()`` would delete from ``models``' tables."""
    kept = sum(
        model._base_manager.using(using).filter(rows).count()
        for model, rows in baseline.kept(using, models).items()
    )
    return sum(count_rows(using, models).values()) - kept


def purge(using, models, truncate=False):
    """
    Empty the tables of ``models``, given children first as
    ``purge_models()`` returns them, and return {model: rows removed}.

    Without ``truncate``, one DELETE per table in one transaction: the ids
    go on counting. With it, each backend's fast path resets the ids too
    (the counts are measured just before). Either way a failure leaves
    every row in place, except with ``truncate`` on MySQL/MariaDB, whose
    TRUNCATE commits on its own: do not call it there inside a transaction
    you mean to roll back.

    Foreign key checks are switched off around the deletes, and on again
    whatever happens, where the backend allows it: on MySQL, which cannot
    defer them to the commit as PostgreSQL does, so that cycles and
    self-references need no particular order; on SQLite outside a
    transaction, where it lets DELETE skip the rows' checks. That is safe
    only because no table outside ``models`` points into them: raise
    PlanError before writing anything otherwise.
    """
    dependents = referencing(using, models)
    if dependents:
        names = ", ".join(sorted(m._meta.label for m in dependents))
        raise PlanError([f"Purge {names} as well: their rows point into the tables."])
    connection = connections[using]
    # The rows that were there before the first seed stay (see baseline.py).
    keep = baseline.kept(using, models)
    with connection.constraint_checks_disabled():
        if truncate:
            removed = _truncate(connection, models, keep)
        else:
            removed = _delete(connection, models, keep)
    for model in removed:
        if model._meta.label == "contenttypes.ContentType":
            # Its cache would hand out ids of rows that are gone.
            model.objects.clear_cache()
    return removed


def _truncate(connection, models, keep):
    """Empty the tables with the backend's TRUNCATE, but for the rows
    ``keep`` names; return {model: rows removed}."""
    using = connection.alias
    in_callers_transaction = connection.in_atomic_block
    # Every table pointing into these is among them, so PostgreSQL needs no
    # CASCADE, which would silently empty tables beyond the list. The
    # savepoint choice is execute_sql_flush()'s own: MySQL commits a
    # TRUNCATE, and with it any savepoint.
    with transaction.atomic(using=using, savepoint=connection.features.can_rollback_ddl):
        if in_callers_transaction:
            # PostgreSQL refuses to TRUNCATE a table with deferred checks
            # pending from the caller's writes: run them now.
            connection.check_constraints(
                table_names=[model._meta.db_table for model in models]
            )
        emptied, deleted = _truncated(models, keep)
        removed = count_rows(using, emptied)
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(
                no_style(),
                [model._meta.db_table for model in emptied],
                reset_sequences=True,
            )
        )
        # MySQL's flush statements switch foreign key checks back on; the
        # kept tables' rows may point at each other (a tree under its root).
        with connection.constraint_checks_disabled():
            removed.update(_delete_all_but(using, deleted))
        _restart_ids_after(connection, list(deleted))
    return removed


def _delete(connection, models, keep):
    """One DELETE per table, but for the rows ``keep`` names, in one
    transaction; return {model: rows removed}."""
    removed = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for model in models:
            if model in keep:
                removed.update(_delete_all_but(connection.alias, {model: keep[model]}))
                continue
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            removed[model] = cursor.rowcount
    return removed


def _truncated(models, keep):
    """
    Split ``models`` into those TRUNCATE empties and {model: rows kept} for
    the others: the tables that keep rows, and those their keys point at,
    step by step, which PostgreSQL truncates only together with every table
    pointing there.
    """
    deleted = set(keep)
    while True:
        pointed_at = {
            field.related_model._meta.concrete_model
            for model in deleted
            for field in forward_relations(model)
        }
        more = {m for m in models if m._meta.concrete_model in pointed_at} - deleted
        if not more:
            break
        deleted |= more
    emptied = [model for model in models if model not in deleted]
    return emptied, {model: keep.get(model, Q()) for model in models if model in deleted}


def _delete_all_but(using, keep):
    """Delete the rows of each model but those ``keep`` names; return
    {model: rows removed}."""
    # A raw delete, as the DELETE of a whole table: no signals, no cascade
    # (the tables pointing here are purged too).
    return {
        model: model._base_manager.using(using).exclude(rows)._raw_delete(using)
        for model, rows in keep.items()
    }


def _restart_ids_after(connection, models):
    """Make the next id of each model's table follow the largest one left."""
    style = no_style()
    # PostgreSQL sets each sequence to its table's largest id; SQLite and
    # MySQL reset theirs to the start, which they read as "after the
    # largest id".
    statements = connection.ops.sequence_reset_sql(style, models)
    if not statements:
        statements = connection.ops.sequence_reset_by_name_sql(
            style,
            [
                {"table": model._meta.db_table, "column": model._meta.pk.column}
                for model in models
                if isinstance(model._meta.pk, AutoField)
            ],
        )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
