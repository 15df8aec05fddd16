"""
Running a plan: rows are generated a batch at a time, a column at a time, and
written with one ``executemany`` per batch and table, in one transaction.

Primary keys are decided by the run (``keys.KeyService``) rather than by the
database: integer keys are allocated from the table's current maximum, other
keys generated. Knowing every key up front is what lets a row point at rows
of a cycle that are inserted later, lets multi-table inheritance write each
ancestor table with the same key, and keeps the data identical for the same
seed. A column that such a key names instead (``to_field``) is decided up
front the same way. Each step's rows come from a ``batches.Writer``, which
hands its new keys and the keys left to back-fill back to the run.
"""

import contextlib
import gc
import random
import time
from dataclasses import dataclass, field

import faker
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.color import no_style
from django.db import connections, transaction
from model_bakery import random_gen

from .batches import Writer, failure
from .constraints import combination
from .exceptions import SeedFailed
from .introspection import parse_labels
from .inserts import update_rows
from .keys import KeyService, Spread, coalesce, root_of, tables_of
from .skips import attempt, dependent_skip, needed
from .stepwise import reread_rows
from .tables import describe
from .columns import fast_faker, rng_for


@dataclass
class SeedContext:
    """
    What a seed module's rows() and finish() get to work with.

    ``using`` is the database of the run, ``rng`` and ``faker`` are seeded by
    the run's seed and the model, ``now`` is the moment the data leads up to
    (``SEEDING["NOW"]``), ``count`` the rows the plan asks for (None when
    rows() decides). ``existing`` is how many rows the table held before the
    run and ``top_up`` whether the run only makes up what is missing: a
    rows() that writes fixed rows (reference data) yields those not there
    yet, one that writes a population writes ``top_up`` the part missing.
    """

    using: str
    rng: random.Random
    faker: faker.Faker
    now: object
    scale: float
    count: int | None
    plan: object
    inserted: dict
    existing: int = 0
    top_up: bool = False
    #: {model: keys this run inserted}.
    written: dict = field(default_factory=dict)

    def count_of(self, label):
        """Rows of another model: inserted by this run, or else planned."""
        model = parse_labels([label]).pop()
        if model in self.inserted:
            return self.inserted[model]
        step = self.plan.step(model)
        return step.count if step else 0

    def scaled(self, rows, minimum=1):
        """``rows`` at the run's scale, at least ``minimum``."""
        return max(minimum, round(rows * self.scale))

    def wanted(self, rows, minimum=1):
        """The rows to write of a model with ``rows`` at scale 1: the plan's
        count when it set one, else ``rows`` scaled, less those there
        already on a top-up."""
        if self.count is not None:
            return self.count
        wanted = self.scaled(rows, minimum)
        return max(0, wanted - self.existing) if self.top_up else wanted

    def rows(self, model, *fields, **filters):
        """
        Stream ``fields`` of the rows of ``model`` (a class or label) matching
        ``filters``, in primary-key order, on the run's database: earlier
        runs' rows and this run's alike. One field gives bare values, several
        give tuples, none the primary keys.
        """
        if isinstance(model, str):
            model = parse_labels([model]).pop()
        fields = fields or ("pk",)
        queryset = (
            model._base_manager.using(self.using).filter(**filters).order_by("pk")
        )
        return queryset.values_list(*fields, flat=len(fields) == 1).iterator()

    def missing(self, model, rows, *natural_key):
        """The ``rows`` (dicts) whose ``natural_key`` fields match no row of
        ``model`` yet: reference data is written once, then reused."""
        held = set(self.rows(model, *natural_key))
        if len(natural_key) == 1:
            return [row for row in rows if row[natural_key[0]] not in held]
        return [row for row in rows if tuple(row[k] for k in natural_key) not in held]

    def new_rows(self, model, *fields, **filters):
        """As :meth:`rows`, but only the rows this run inserted: what a module
        that builds on another model's rows reads, so that a second run builds
        on the second run's rows and leaves the first run's as they are."""
        if isinstance(model, str):
            model = parse_labels([model]).pop()
        model = model._meta.concrete_model
        keys = self.written.get(model, ())
        if not len(keys):
            return iter(())
        if not self.plan.existing.get(model):
            # The table was empty: all its rows are this run's.
            return self.rows(model, *fields, **filters)
        if isinstance(keys, range):
            return self.rows(
                model, *fields, pk__gte=keys.start, pk__lt=keys.stop, **filters
            )
        # Keys that are not consecutive (UUIDs): told apart here, since a
        # query listing them would be as long as the table.
        keys = set(keys)
        rows = self.rows(model, "pk", *(fields or ("pk",)), **filters)
        if len(fields) > 1:
            return (row[1:] for row in rows if row[0] in keys)
        return (row[1] for row in rows if row[0] in keys)


class Reporter:
    """Hooks for progress; the command prints, the engine only calls."""

    def purged(self, rows):
        """``fresh`` emptied the tables of ``rows`` rows."""

    def begin(self, plan):
        """The plan is made and about to run."""

    def start(self, step):
        pass

    def advance(self, step, rows):
        pass

    def end(self, step, rows, seconds):
        pass


def seed(plan, reporter=None, strict=True):
    """Execute ``plan``; return {model: rows inserted}. All or nothing when
    ``strict``; else a model whose rows fail is rolled back and left out,
    with the models that need it (``plan.skipped``)."""
    reporter = reporter or Reporter()
    state = random.getstate(), random_gen.baker_random.getstate()
    try:
        # The cache is given back once the transaction is over: a broken one
        # would refuse the PRAGMA and hide the error that broke it.
        with page_cache(connections[plan.using]), transaction.atomic(using=plan.using):
            run = Run(plan, reporter, strict)
            with heap_settled():
                return run.execute()
    finally:
        random.setstate(state[0])
        random_gen.baker_random.setstate(state[1])


@contextlib.contextmanager
def heap_settled():
    """
    Leave the objects that exist before the block out of the garbage
    collector's full passes during it. A run allocates containers by the
    million, which sets off full collections, and each walked every object
    of Django, Faker and the project again: a tenth of a seed's time. A
    caller's own gc.freeze() is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


#: SQLite's page cache during a run, in KiB. Inserts touch the pages of
#: every index of a table at random places; with SQLite's default of 2 MB a
#: million rows reread them from the file about 750,000 times.
PAGE_CACHE = 32 * 1024


@contextlib.contextmanager
def page_cache(connection):
    """On SQLite, a page cache of at least PAGE_CACHE for the block; the
    connection's own size afterwards, which frees the rest."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (own,) = cursor.fetchone()
        cursor.execute("PRAGMA page_size")
        (page,) = cursor.fetchone()
        # A positive size counts pages, a negative one KiB.
        if (-own if own < 0 else own * page // 1024) < PAGE_CACHE:
            cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {own}")


class Run:
    def __init__(self, plan, reporter, strict=True):
        self.plan = plan
        self.strict = strict
        self.using = plan.using
        self.connection = connections[plan.using]
        self.reporter = reporter
        config = plan.config
        self.ratio = config.optional_ratio
        self.batch_size = config.batch_size
        self.keys = KeyService(plan, plan.values)
        self.pending_backfills = []
        self.unchecked_tables = []
        self.inserted = {}
        self.written = {}
        # One Faker for the run, seeded afresh for each context: making one
        # costs more than many a seed module's rows.
        self.faker = fast_faker(config.locale)
        self.password = self._password(config.password)

    def execute(self):
        for step in self.plan.steps:
            skipped = {skip.model for skip in self.plan.skipped}
            cause = needed(step.model, skipped, lambda m: len(self.keys.pool(m)))
            if cause is not None:
                self.plan.skipped.append(dependent_skip(step.model, cause))
                continue
            started = time.monotonic()
            self.reporter.start(step)
            insert = lambda: self._insert_step(step)  # noqa: E731
            rows = attempt(self.keys, step, insert, self.strict)
            if rows is None:
                self.reporter.end(step, 0, time.monotonic() - started)
                continue
            check_count(step, rows)
            self.inserted[step.model] = rows
            try:
                self._backfill()
            except Exception as exc:
                raise SeedFailed(f"Back-filling keys that point at {step.label} failed: {exc}") from exc
            self.reporter.end(step, rows, time.monotonic() - started)
        for step in self.plan.steps:
            if step.seed is not None and step.model in self.keys.done:
                try:
                    step.seed.finish(self._context(step))
                except Exception as exc:
                    raise SeedFailed(failure(step, exc, "finish()")) from exc
        for step in [s for s in self.plan.steps if s.model in self.keys.done]:
            for structure in step.structures:
                try:
                    structure.finish(self.using)
                except Exception as exc:
                    raise SeedFailed(
                        f"Putting the {structure.library} fields of {step.label} "
                        f"right failed: {type(exc).__name__}: {exc}"
                    ) from exc
        self._reset_sequences()
        if self.unchecked_tables:
            self.connection.check_constraints(table_names=self.unchecked_tables)
        return self.inserted

    def _insert_step(self, step):
        try:
            reread_rows(self.keys, step)
            return self._insert(step)
        except SeedFailed:
            raise
        except Exception as exc:
            raise SeedFailed(failure(step, exc)) from exc

    def _context(self, step, batch=""):
        label = step.label
        if step.existing:
            # The same seed on a table that holds rows draws afresh: a second
            # `seed --seed 1` would otherwise repeat the first one's values,
            # unique numbers and keys included.
            batch = f"{batch}:after{step.existing}"
        fake = self.faker
        fake.seed_instance(f"{self.plan.seed}:{label}:context{batch}")
        return SeedContext(
            using=self.using,
            rng=rng_for(self.plan.seed, label, "context", batch),
            faker=fake,
            now=self.plan.config.now,
            scale=self.plan.scale,
            count=step.count,
            plan=self.plan,
            inserted=self.inserted,
            existing=step.existing,
            top_up=self.plan.top_up,
            written=self.written,
        )

    def _insert(self, step):
        model = step.model
        table = self.plan.tables[model]
        writer = Writer(self.plan, step, table, self.keys, self.password)
        if step.seed is not None and step.seed.yields_rows:
            source = step.seed.rows(self._context(step)) or ()
            batches = _chunks(source, self.batch_size)
        elif step.seed is not None and step.seed.for_each is not None:
            source = step.seed.for_each_rows(self._context(step))
            batches = _chunks(source, self.batch_size)
        else:
            count = step.count or 0
            batches = (
                [{}] * min(self.batch_size, count - start)
                for start in range(0, count, self.batch_size)
            )
        total = 0
        needs_checks_off = (
            table.points_forward
            and not self.connection.features.supports_forward_references
        )
        checks_off = (
            self.connection.constraint_checks_disabled()
            if needs_checks_off
            else contextlib.nullcontext()
        )
        with checks_off:
            for number, partials in enumerate(batches):
                if not partials:
                    continue
                writer.write(number, total, partials)
                total += len(partials)
                self.reporter.advance(step, len(partials))
        if needs_checks_off:
            self.unchecked_tables.extend(t._meta.db_table for t in tables_of(model))
        new_keys, backfills = writer.close()
        own = root_of(model)
        if own in new_keys:
            # A multi-table child's rows are rows of its ancestors' tables too.
            for table in tables_of(model):
                earlier = self.written.get(table)
                parts = [] if earlier is None else [earlier]
                self.written[table] = coalesce([*parts, new_keys[own]])
        # Keys now come from the pools; the previews were for the step.
        self.keys.step_done(model, new_keys)
        self.pending_backfills.extend(backfills)
        return total

    def _backfill(self):
        """Fill the nullable keys that pointed forward, once their targets exist."""
        still = []
        for field, model, keys in self.pending_backfills:
            target = field.related_model._meta.concrete_model
            if target not in self.keys.done:
                still.append((field, model, keys))
                continue
            values = self.keys.values_of(field)
            if not len(values):
                continue
            rng = rng_for(self.plan.seed, model._meta.label, field.name, "backfill")
            keys = [key for key in keys if rng.random() < self.ratio]
            if (field.attname,) in self._table(field.model).uniques:
                # A one-to-one key: each target at most once, and none that
                # a row of an earlier run already holds.
                used = set(self.keys.stored(field.model, field))
                free = [value for value in values if value not in used]
                rng.shuffle(free)
                pairs = list(zip(free, keys))
            else:
                spread = Spread(len(values), rng)
                pairs = [(values[spread.index(rng)], key) for key in keys]
            update_rows(self.connection, field, self._without_repeats(field, pairs))
        self.pending_backfills = still

    def _table(self, model):
        """The plan's description of ``model``'s table; one of its own for a
        table no step writes (the parent of a model seeded alone)."""
        if model in self.plan.tables:
            return self.plan.tables[model]
        return describe(model, set(), self.plan.values, self.connection)

    def _without_repeats(self, field, pairs):
        """The (value, key) pairs that repeat no combination of a unique set
        holding ``field``; the rows of the others keep their NULL."""
        model = field.model
        table = self._table(model)
        rules = [
            (names, None)
            for names in table.uniques
            if len(names) > 1 and field.attname in names
        ]
        rules += [
            (names, predicate)
            for names, predicate, _ in table.conditional_uniques
            if field.attname in names
        ]
        if not rules:
            return pairs
        attnames = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        rows = {
            row[pk]: row
            for row in model._base_manager.using(self.using).values(*attnames)
        }
        taken = {names: set() for names, _ in rules}
        for row in rows.values():
            _claim(rules, row, taken)
        return [
            (value, key)
            for value, key in pairs
            if _claim(rules, {**rows[key], field.attname: value}, taken)
        ]

    def _reset_sequences(self):
        seeded = [s.model for s in self.plan.steps]
        statements = self.connection.ops.sequence_reset_sql(no_style(), seeded)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _password(self, password):
        # Hashing is slow on purpose: once per run. A salt derived from the
        # seed keeps two runs with one seed identical.
        salt = f"seed{self.plan.seed}".ljust(12, "0")[:22]
        if password:
            return make_password(password, salt=salt)
        return UNUSABLE_PASSWORD_PREFIX + salt * 3


def check_count(step, rows):
    """Raise SeedFailed if rows() wrote other than the count the plan printed."""
    if step.count is not None and step.seed is not None and step.seed.yields_rows:
        if rows != step.count:
            raise SeedFailed(
                f"Seeding {step.label} failed: rows() of {step.seed.module} yielded "
                f"{rows:,} rows, but the plan counted {step.count:,}."
            )


def _claim(rules, row, taken):
    """Add the combinations ``row`` holds to ``taken``, unless one is there
    already; return whether they were added."""
    held = [
        (names, combination([row[a] for a in names], row, predicate))
        for names, predicate in rules
    ]
    held = [(names, values) for names, values in held if values is not None]
    if any(values in taken[names] for names, values in held):
        return False
    for names, values in held:
        taken[names].add(values)
    return True


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
