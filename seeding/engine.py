"""
Running a plan: rows are generated a batch at a time, a column at a time, and
written with one ``executemany`` per batch and table, in one transaction.

Primary keys are decided here rather than by the database: integer keys are
allocated from the table's current maximum, other keys generated. Knowing
every key up front is what lets a row point at rows of a cycle that are
inserted later, lets multi-table inheritance write each ancestor table with
the same key, and keeps the data identical for the same seed. A column that
such a key names instead (``to_field``) is decided up front the same way.
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

from .batches import Writer, update_rows
from .constraints import combination, conditional_unique_sets, unique_sets
from .exceptions import SeedFailed
from .introspection import parse_labels
from .keys import Pool, Spread, coalesce, is_auto, pack, root_of, tables_of
from .skips import attempt, dependent_skip, needed
from .stepwise import reread_rows
from .values import ValueContext, column_for, fast_faker, rng_for


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
            return run.execute()
    finally:
        random.setstate(state[0])
        random_gen.baker_random.setstate(state[1])


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
        self.values = ValueContext(
            plan.seed, config.locale, config.now, self.connection,
            rows={step.model: step.count for step in plan.steps},
            choices=config.choices,
        )
        self.pools = {}
        self.next_pk = {}
        self.previews = {}
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
                    pack(
                        list(
                            model._base_manager.using(self.using)
                            .order_by("pk")
                            .values_list("pk", flat=True)
                        )
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

    def values_of(self, field):
        """What a key through ``field`` can hold now: the values of its target
        column in the rows that exist."""
        target = field.related_model._meta.concrete_model
        column = field.target_field
        if column.primary_key:
            return self.pool(target)
        values = Pool()
        values.add(self.stored(target, column))
        return values

    def targets(self, field):
        """What a key through ``field`` may hold: the values of the rows that
        exist and, while the target's step is still to come, of the rows it
        will insert (a key that points forward)."""
        target = field.related_model._meta.concrete_model
        values = self.values_of(field)
        if target in self.done or self.plan.step(target) is None:
            return values
        both = Pool()
        both.add(values)
        both.add(self.preview(target, field.target_field))
        return both

    def preview(self, model, column):
        """The values of ``column`` that a planned model's rows will get,
        decided before they are inserted so that keys can point at them."""
        decided = self.previews.setdefault(model, {})
        if column.attname not in decided:
            count = self.plan.step(model).count
            if column.primary_key:
                decided[column.attname] = pack(self._new_keys(model, count))
            elif (values := column_for(column, self.values)) is None:
                decided[column.attname] = []  # The new rows hold NULL there.
            else:
                decided[column.attname] = self._distinct(
                    values,
                    rng_for(self.plan.seed, model._meta.label, column.name),
                    self.plan.existing.get(model, 0),
                    count,
                    set(self.stored(model, column)),
                )
        return decided[column.attname]

    def _new_keys(self, model, n):
        """Primary keys for n new rows of ``model``."""
        root = root_of(model)
        if is_auto(root):
            return self._allocate(root, n)
        held = set(self.pool(root))
        rng = rng_for(self.plan.seed, model._meta.label, "pk")
        pk = root._meta.pk
        if pk.is_relation:
            # A one-to-one primary key: keys of the target no row holds yet.
            free = [key for key in self.targets(pk) if key not in held]
            rng.shuffle(free)
            return free[:n]
        column = column_for(pk, self.values)
        return self._distinct(column, rng, self.plan.existing.get(root, 0), n, held)

    def _distinct(self, column, rng, offset, n, taken):
        """n distinct values of ``column`` from index ``offset`` on, none taken."""
        parts, found, index = [], 0, offset
        while found < n:
            # A batch at a time, packed once they are many: a large step's
            # keys as objects would be the largest thing in memory.
            wanted = min(n - found, self.batch_size)
            values = [v for v in column.distinct(rng, index, wanted) if v not in taken]
            parts.append(pack(values, n))
            found += len(values)
            # The next indices, none skipped: a short column has few to spare.
            index += wanted
        return coalesce(parts)

    def stored(self, model, column):
        """The values of ``column`` in ``model``'s rows, NULL aside."""
        return list(
            model._base_manager.using(self.using)
            .exclude(**{f"{column.attname}__isnull": True})
            .order_by("pk")
            .values_list(column.attname, flat=True)
        )

    # Running ---------------------------------------------------------------

    def execute(self):
        for step in self.plan.steps:
            skipped = {skip.model for skip in self.plan.skipped}
            cause = needed(step.model, skipped, lambda model: len(self.pool(model)))
            if cause is not None:
                self.plan.skipped.append(dependent_skip(step.model, cause))
                continue
            started = time.monotonic()
            self.reporter.start(step)
            rows = attempt(self, step, lambda: self._insert_step(step), self.strict)
            if rows is None:
                self.reporter.end(step, 0, time.monotonic() - started)
                continue
            self.done.add(step.model)
            # Keys now come from the pool; the preview was for the step.
            self.previews.pop(step.model, None)
            self.inserted[step.model] = rows
            try:
                self._backfill()
            except Exception as exc:
                raise SeedFailed(f"Back-filling keys that point at {step.label} failed: {exc}") from exc
            self.reporter.end(step, rows, time.monotonic() - started)
        for step in self.plan.steps:
            if step.seed is not None and step.model in self.done:
                try:
                    step.seed.finish(self._context(step))
                except Exception as exc:
                    raise SeedFailed(self._failure(step, exc, "finish()")) from exc
        for step in [s for s in self.plan.steps if s.model in self.done]:
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
            reread_rows(self, step)
            return self._insert(step)
        except SeedFailed:
            raise
        except Exception as exc:
            raise SeedFailed(self._failure(step, exc)) from exc

    def _failure(self, step, exc, where="rows"):
        module = f" (seed module {step.seed.module}, {where})" if step.seed else ""
        return (
            f"Seeding {step.label} failed{module}: {type(exc).__name__}: {exc}".strip()
        )

    def _context(self, step, batch=""):
        label = step.label
        fake = fast_faker(self.plan.config.locale)
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
            values = self.values_of(field)
            if not len(values):
                continue
            rng = rng_for(self.plan.seed, model._meta.label, field.name, "backfill")
            keys = [key for key in keys if rng.random() < self.ratio]
            if (field.attname,) in unique_sets(field.model):
                # A one-to-one key: each target at most once, and none that
                # a row of an earlier run already holds.
                used = set(self.stored(field.model, field))
                free = [value for value in values if value not in used]
                rng.shuffle(free)
                pairs = list(zip(free, keys))
            else:
                spread = Spread(len(values), rng)
                pairs = [(values[spread.index(rng)], key) for key in keys]
            update_rows(self.connection, field, self._without_repeats(field, pairs))
        self.pending_backfills = still

    def _without_repeats(self, field, pairs):
        """The (value, key) pairs that repeat no combination of a unique set
        holding ``field``; the rows of the others keep their NULL."""
        model = field.model
        rules = [
            (names, None)
            for names in unique_sets(model)
            if len(names) > 1 and field.attname in names
        ]
        rules += [
            (names, predicate)
            for names, predicate, _ in conditional_unique_sets(model)
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
