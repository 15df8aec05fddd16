"""
What the database held before ``seed`` first wrote to it, so that ``purge``
gives it back.

Data migrations create rows the application needs (a root page, a default
site, a locale, an initial admin) and ``migrate`` does not create them
again. Before its first write to a table, ``seed`` records the primary keys
the table holds (``record()``); ``purge`` deletes every other row
(``kept()``). A table is recorded once: later seeds, ``--fresh`` and purges
leave the record as it is, so it always says what was there before seeding.
A table recorded before any row was seeded is kept as recorded even if
``--only`` left it alone.
"""

from django.db import DatabaseError, connections
from django.db.models import Q

from .exceptions import SeedFailed, SeedingError
from .introspection import count_rows
from .models import Baseline


def record(using, models):
    """Record the keys of the rows of each of ``models`` not recorded yet;
    raise SeedFailed if the database refuses (a concurrent writer)."""
    manager = Baseline.objects.using(using)
    try:
        tables = set(connections[using].introspection.table_names())
        if Baseline._meta.db_table not in tables:
            raise SeedingError(
                f"Database '{using}' has no table {Baseline._meta.db_table}. "
                f"Is it migrated? Run without --no-migrate."
            )
        recorded = set(manager.values_list("model", flat=True))
        # A model without its table is the plan's to report.
        missing = [
            model
            for model in models
            if model._meta.label not in recorded and model._meta.db_table in tables
        ]
        counts = count_rows(using, missing)
        manager.bulk_create(
            Baseline(
                model=model._meta.label,
                keys=_packed(using, model) if counts[model] else {},
            )
            for model in missing
        )
    except DatabaseError as exc:
        raise SeedFailed(f"Recording what the tables hold before seeding failed: {exc}") from exc


def kept(using, models):
    """{model: Q of the rows purge keeps}, for those of ``models`` with any."""
    labels = {model._meta.label: model for model in models}
    records = Baseline.objects.using(using).filter(model__in=labels).exclude(keys={})
    return {labels[r.model]: _rows(labels[r.model], r.keys) for r in records}


def _packed(using, model):
    """The table's keys as JSON: whole numbers as runs of consecutive ones,
    which a table's ids nearly always are."""
    keys = list(model._base_manager.using(using).values_list("pk", flat=True))
    if all(type(key) is int for key in keys):
        runs = []
        for key in sorted(keys):
            if runs and key == runs[-1][1] + 1:
                runs[-1][1] = key
            else:
                runs.append([key, key])
        return {"runs": runs}
    # A composite key is a tuple of its columns; str() keeps UUIDs, dates
    # and decimals as their lookups read them back.
    return {"keys": [_jsonable(key) for key in keys]}


def _jsonable(key):
    if isinstance(key, tuple):
        return [_jsonable(part) for part in key]
    return key if isinstance(key, (int, str)) else str(key)


def _rows(model, keys):
    if "runs" in keys:
        found = Q()
        for first, last in keys["runs"]:
            # Not pk__range: a multi-table child's key is a one-to-one
            # field, which has no such lookup.
            found |= Q(pk__gte=first, pk__lte=last)
        return found
    if model._meta.is_composite_pk:
        return Q(pk__in=[tuple(key) for key in keys["keys"]])
    return Q(pk__in=keys["keys"])
