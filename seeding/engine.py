"""
Running a plan: rows are generated a batch at a time, a column at a time, and
written with one ``executemany`` per batch and table, in one transaction.

Primary keys are decided here rather than by the database: integer keys are
allocated from the table's current maximum, other keys generated. Knowing
every key up front is what lets a row point at rows of a cycle that are
inserted later, lets multi-table inheritance write each ancestor table with
the same key, and keeps the data identical for the same seed.
"""

import contextlib
import random
import time
from dataclasses import dataclass

import faker
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.color import no_style
from django.db import connections, models, transaction
from model_bakery import random_gen

from .batches import Writer
from .exceptions import SeedFailed
from .introspection import parse_labels
from .keys import Pool, Spread, is_auto, iterate, root_of, tables_of
from .values import ValueContext, column_for, rng_for


@dataclass
class SeedContext:
    """What a seed module's rows() and finish() get to work with."""

    using: str
    rng: random.Random
    faker: faker.Faker
    now: object
    scale: float
    count: int | None
    plan: object
    inserted: dict

    def count_of(self, label):
        """Rows of another model: inserted by this run, or else planned."""
        model = parse_labels([label]).pop()
        if model in self.inserted:
            return self.inserted[model]
        step = self.plan.step(model)
        return step.count if step else 0


class Reporter:
    """Hooks for progress; the command prints, the engine only calls."""

    def start(self, step):
        pass

    def advance(self, step, rows):
        pass

    def end(self, step, rows, seconds):
        pass


def seed(plan, reporter=None):
    """Execute ``plan``; return {model: rows inserted}. All or nothing."""
    reporter = reporter or Reporter()
    state = random.getstate(), random_gen.baker_random.getstate()
    try:
        with transaction.atomic(using=plan.using):
            run = Run(plan, reporter)
            return run.execute()
    finally:
        random.setstate(state[0])
        random_gen.baker_random.setstate(state[1])


class Run:
    def __init__(self, plan, reporter):
        self.plan = plan
        self.using = plan.using
        self.connection = connections[plan.using]
        self.reporter = reporter
        config = plan.config
        self.ratio = config.optional_ratio
        self.batch_size = config.batch_size
        self.values = ValueContext(
            plan.seed, config.locale, config.now, self.connection
        )
        self.pools = {}
        self.next_pk = {}
        self.allocated = {}
        self.done = set()
        self.pending_backfills = []
        self.unchecked_tables = []
        self.inserted = {}
        self.password = self._password(config.password)

    # Keys ------------------------------------------------------------------

    def pool(self, model):
        model = model._meta.concrete_model
        if model not in self.pools:
            pool = Pool()
            existing = self.plan.existing.get(model)
            if existing is None:
                existing = self._count(model)
            if existing:
                pool.add(
                    list(
                        model._base_manager.using(self.using)
                        .order_by("pk")
                        .values_list("pk", flat=True)
                    )
                )
            self.pools[model] = pool
        return self.pools[model]

    def _count(self, model):
        return model._base_manager.using(self.using).count()

    def _allocate(self, root, n):
        """Reserve n integer keys of ``root``'s table; return them as a range."""
        if root not in self.next_pk:
            top = root._base_manager.using(self.using).aggregate(top=models.Max("pk"))[
                "top"
            ]
            self.next_pk[root] = (top or 0) + 1
        start = self.next_pk[root]
        self.next_pk[root] += n
        return range(start, start + n)

    def preview(self, model):
        """The keys a planned model's rows will get, before they are inserted."""
        if model not in self.allocated:
            step = self.plan.step(model)
            root = root_of(model)
            if is_auto(root):
                self.allocated[model] = self._allocate(root, step.count)
            else:
                rng = rng_for(self.plan.seed, model._meta.label, "pk")
                column = column_for(root._meta.pk, self.values)
                offset = self.plan.existing.get(root, 0)
                self.allocated[model] = self._distinct(
                    column, rng, offset, step.count, root
                )
        return self.allocated[model]

    def _distinct(self, column, rng, offset, n, model):
        taken = set(self.pool(model)) if len(self.pool(model)) else ()
        values, index = [], offset
        while len(values) < n:
            wanted = n - len(values)
            for value in column.distinct(rng, index, wanted):
                if value not in taken:
                    values.append(value)
            # The next indices, none skipped: a short column has few to spare.
            index += wanted
        return values

    # Running ---------------------------------------------------------------

    def execute(self):
        for step in self.plan.steps:
            started = time.monotonic()
            self.reporter.start(step)
            try:
                rows = self._insert(step)
            except SeedFailed:
                raise
            except Exception as exc:
                raise SeedFailed(self._failure(step, exc)) from exc
            self.done.add(step.model)
            self.inserted[step.model] = rows
            try:
                self._backfill()
            except Exception as exc:
                raise SeedFailed(f"Back-filling keys that point at {step.label} failed: {exc}") from exc
            self.reporter.end(step, rows, time.monotonic() - started)
        for step in self.plan.steps:
            if step.seed is not None:
                try:
                    step.seed.finish(self._context(step))
                except Exception as exc:
                    raise SeedFailed(self._failure(step, exc, "finish()")) from exc
        self._reset_sequences()
        if self.unchecked_tables:
            self.connection.check_constraints(table_names=self.unchecked_tables)
        return self.inserted

    def _failure(self, step, exc, where="rows"):
        module = f" (seed module {step.seed.module}, {where})" if step.seed else ""
        return (
            f"Seeding {step.label} failed{module}: {type(exc).__name__}: {exc}".strip()
        )

    def _context(self, step, batch=""):
        label = step.label
        fake = faker.Faker(self.plan.config.locale)
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
        )

    def _insert(self, step):
        model = step.model
        writer = Writer(self, step)
        if step.seed is not None and step.seed.yields_rows:
            source = step.seed.rows(self._context(step)) or ()
            batches = _chunks(source, self.batch_size)
        else:
            count = step.count or 0
            batches = (
                [{}] * min(self.batch_size, count - start)
                for start in range(0, count, self.batch_size)
            )
        total = 0
        needs_checks_off = (
            writer.points_forward
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
        writer.close()
        return total

    def _backfill(self):
        """Fill the nullable keys that pointed forward, once their targets exist."""
        still = []
        for field, model, keys in self.pending_backfills:
            target = field.related_model._meta.concrete_model
            if target not in self.done:
                still.append((field, model, keys))
                continue
            pool = self.pool(target)
            if not len(pool):
                continue
            rng = rng_for(self.plan.seed, model._meta.label, field.name, "backfill")
            keys = [key for key in keys if rng.random() < self.ratio]
            if field.unique:
                # A one-to-one key: each target at most once, and none that
                # a row of an earlier run already holds.
                used = set(
                    field.model._base_manager.using(self.using)
                    .exclude(**{f"{field.attname}__isnull": True})
                    .values_list(field.attname, flat=True)
                )
                free = [key for key in iterate(pool) if key not in used]
                rng.shuffle(free)
                pairs = list(zip(free, keys))
            else:
                spread = Spread(len(pool), rng)
                pairs = [(pool[spread.index(rng)], key) for key in keys]
            table = field.model._meta
            qn = self.connection.ops.quote_name
            sql = (
                f"UPDATE {qn(table.db_table)} SET {qn(field.column)} = %s "
                f"WHERE {qn(table.pk.column)} = %s"
            )
            connection = self.connection
            pk = table.pk
            pairs = [
                (field.get_db_prep_save(value, connection), pk.get_db_prep_save(key, connection))
                for value, key in pairs
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, pairs)
        self.pending_backfills = still

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


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
