"""
``seeding.seed()`` and ``seeding.purge()``: what the ``seed`` and ``purge``
commands do, as Python calls. Each checks the production guard, holds the
database's advisory lock and writes in one transaction; the commands only
turn options into a call and its result into output.
"""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from . import baseline, emptying, engine
from .conf import get_config
from .exceptions import (
    Cancelled,
    ConfigurationError,
    PlanError,
    PurgeFailed,
    one_line,
)
from .introspection import seedable
from .keys import tables_of
from .plan import build_plan, parse_counts
from .safety import exclusive, lock_timeout, refuse_production


@dataclass
class Seeded:
    """What one ``seed()`` did."""

    #: The random seed used: the one given, or a new one.
    seed: int
    plan: object
    #: {model: rows inserted}.
    inserted: dict
    #: {model: rows removed} by ``fresh``; empty without it.
    purged: dict = field(default_factory=dict)
    #: Whether ``superuser`` was created (False: it existed already).
    superuser_created: bool | None = None

    @property
    def rows(self):
        """Rows written: a row of an inheriting model is a row of each of its
        tables, as purge counts them."""
        return sum(self._per_table().values())

    @property
    def tables(self):
        """Tables that received rows."""
        return sum(1 for rows in self._per_table().values() if rows)

    def _per_table(self):
        written = {}
        for model, rows in self.inserted.items():
            for table in tables_of(model):
                written[table] = written.get(table, 0) + rows
        return written


def seed(
    using=DEFAULT_DB_ALIAS,
    *,
    seed=None,
    scale=1,
    counts=None,
    only=(),
    exclude=(),
    top_up=False,
    fresh=False,
    allow_production=False,
    superuser=None,
    confirm=None,
    reporter=None,
    strict=True,
):
    """
    Seed database ``using`` and return :class:`Seeded`; all or nothing, or,
    unless ``strict``, all but the models that cannot be seeded, which the
    plan lists in ``skipped`` with the models that need them.

    ``seed`` fixes the random seed (the same seed, counts and schema give the
    same rows); ``scale`` multiplies the default counts and ``counts``, as
    {"app_label.Model" or model: rows}, sets some. ``only`` and ``exclude``
    take app or model labels; ``top_up`` makes each model reach its count
    without exceeding it. ``fresh`` first empties the tables seed fills, in
    the same transaction, after ``confirm(rows, tables)`` agrees if given.
    ``superuser`` names a superuser to create with the seed password;
    ``reporter`` (an ``engine.Reporter``) hears of the progress. Raises a
    SeedingError, with the database unchanged, for bad input or a failure.
    """
    config = _config_for(using)
    refuse_production(config, using, allow_production)
    if superuser and not config.password:
        # Found out before the seed, not after it.
        raise ConfigurationError(
            "--superuser needs SEED_PASSWORD (or SEEDING['PASSWORD']) to be set."
        )
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    reporter = reporter or engine.Reporter()
    choice = dict(only=only, exclude=exclude, top_up=top_up, strict=strict)
    # Plan under the lock, from the rows another run may just have added;
    # purge in the seed's transaction, so that a failure keeps the rows
    # fresh would have removed.
    with (
        exclusive(using, timeout=config.lock_timeout),
        transaction.atomic(using=using),
        lock_timeout(using, config.lock_timeout),
    ):
        # Before any write, fresh's purge included: what the tables hold now
        # is what purge will keep.
        baseline.record(using, seedable(using, config))
        purged = _fresh(using, config, only, exclude, confirm, reporter) if fresh else {}
        plan = build_plan(using, config, seed=seed, scale=scale, counts=_counts(counts), **choice)
        if plan.problems:
            raise PlanError(plan.problems)
        reporter.begin(plan)
        inserted = engine.seed(plan, reporter, strict=strict)
        created = _superuser(using, config, superuser) if superuser else None
    return Seeded(seed, plan, inserted, purged, created)


def count_rows_decided(plan):
    """
    Give the steps whose seed module's rows() decides their rows the count
    they will write: the plan is run in a transaction that is rolled back,
    since rows() builds on rows the run writes before it. Return ``plan``.
    """
    if plan.problems or all(step.count is not None for step in plan.steps):
        return plan
    with exclusive(plan.using), transaction.atomic(using=plan.using):
        inserted = engine.seed(plan)
        transaction.set_rollback(True, using=plan.using)
    for step in plan.steps:
        if step.count is None:
            step.count = inserted.get(step.model, 0)
            step.notes.append(
                "counted by a run rolled back (rows() or for_each decides)"
            )
    return plan


def purge(
    using=DEFAULT_DB_ALIAS,
    *,
    only=(),
    exclude=(),
    truncate=False,
    include_framework=False,
    allow_production=False,
    confirm=None,
):
    """
    Empty the tables ``seed()`` fills in database ``using``, children first,
    and return {model: rows removed}.

    ``only`` and ``exclude`` choose as for ``seed()``; tables outside them
    that point into them go too. ``truncate`` takes each backend's fast path
    and restarts ids (on MySQL/MariaDB it cannot be rolled back);
    ``include_framework`` also empties content types and permissions.
    ``confirm(rows, tables)``, if given, may cancel (raising Cancelled)
    before the lock is taken.
    """
    config = _config_for(using)
    refuse_production(config, using, allow_production)
    try:
        models = emptying.purge_models(
            using,
            config,
            only=only,
            exclude=exclude,
            include_framework=include_framework,
        )
        rows = emptying.rows_to_go(using, models)
    except DatabaseError as exc:
        raise PurgeFailed(
            f"Database '{using}' couldn't be read; has it been migrated? {one_line(exc)}"
        ) from exc
    if confirm is not None and not confirm(rows, len(models)):
        raise Cancelled("Purge cancelled.")
    try:
        with (
            exclusive(using, timeout=config.lock_timeout),
            lock_timeout(using, config.lock_timeout),
        ):
            return emptying.purge(using, models, truncate=truncate)
    except DatabaseError as exc:
        kept = "every row is still in place"
        if truncate and not connections[using].features.can_rollback_ddl:
            kept = "the tables truncated before the failure stay empty"
        raise PurgeFailed(
            f"Database '{using}' couldn't be purged ({kept}): {exc}"
        ) from exc


def _config_for(using):
    if using not in connections:
        raise ConfigurationError(f"Unknown database '{using}'.")
    return get_config()


def _counts(counts):
    """{model: rows} from {"app_label.Model" or model: rows}, validated."""
    pairs = [
        f"{key if isinstance(key, str) else key._meta.label}={rows}"
        for key, rows in (counts or {}).items()
    ]
    return parse_counts(pairs)


def _fresh(using, config, only, exclude, confirm, reporter):
    """Empty the tables the run will seed; return {model: rows removed}."""
    models = emptying.purge_models(using, config, only=only, exclude=exclude)
    if confirm is not None:
        # Counted for the question only: purge() counts what it removes.
        rows = emptying.rows_to_go(using, models)
        if rows and not confirm(rows, len(models)):
            raise Cancelled("Seeding cancelled.")
    # MySQL's TRUNCATE commits; there DELETE stays in the transaction.
    truncate = connections[using].features.can_rollback_ddl
    purged = emptying.purge(using, models, truncate=truncate)
    reporter.purged(sum(purged.values()))
    return purged


def _superuser(using, config, username):
    """Create superuser ``username`` with the seed password; False if it exists."""
    User = get_user_model()
    manager = User._default_manager.db_manager(using)
    if manager.filter(**{User.USERNAME_FIELD: username}).exists():
        return False
    fields = {User.USERNAME_FIELD: username, "password": config.password}
    if User.EMAIL_FIELD and User.EMAIL_FIELD != User.USERNAME_FIELD:
        fields[User.EMAIL_FIELD] = f"{username}@example.com"
    manager.create_superuser(**fields)
    return True
