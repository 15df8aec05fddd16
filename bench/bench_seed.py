"""
How fast seed fills a school-shaped schema, compared with other ways of
filling the same tables with the same number of rows.

    python bench/bench_seed.py --rows 10000 100000 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_seed \\
        --database-url mysql://root@127.0.0.1:3306/bench_seed \\
        --server-rows 100000 --repeat 3 --profile

The tables are those of ``bench.benchapp``, twelve models with no seeds
module (people, teachers, students, terms, classes, enrollments, exams,
results, invoices with a UUID key, invoice lines, payments); ``--rows`` is
the total over all twelve, split in fixed shares. Methods:

- seed: ``manage.py seed --only benchapp --count ...``, end to end: planning,
  Faker pools, keys, uniqueness, inserts, one transaction;
- raw: the very rows seed produced, read back with SELECT (not timed) and
  inserted into the empty tables with the driver's ``executemany``, or
  ``COPY`` on PostgreSQL, in one transaction: the limit of the database and
  driver;
- bulk_create: model instances whose values are sampled from pools of Faker
  values, saved with ``bulk_create``, in one transaction;
- baker.make: model_bakery creating one row at a time, in one transaction,
  with the foreign keys handed to it so that it creates no extra rows;
- demo: ``manage.py seed`` of the demo project itself, with its domain seed
  modules, at the scale that gives about ``--rows`` rows (its own tables, so
  it has no raw figure to compare with), at every size; then
  ``seed_report`` and ``purge --truncate`` on the database it filled, each
  timed against the demo seed's seconds.

Every run of a method is a subprocess of its own, started on an empty
database (a fresh copy of a migrated SQLite file, or the server database
with the tables emptied first): its peak RSS and its import costs are its
own. "seconds" times the work only, after Django is set up, and "CPU s" is
the process's CPU time over the same span; "peak RSS" is the subprocess's
ru_maxrss; "process s" is the whole subprocess. Above --compare-up-to rows
only seed, raw and the demo run. SQLite runs always; a server database runs for each
``--database-url``, which must name an existing throwaway database: it is
migrated, and its tables are emptied. bench/README.md explains the figures.
"""

import argparse
import contextlib
import datetime
import decimal
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS = "bench.settings"
SEED = 1

#: Share of the rows of each table, in an order where parents come first.
SHARES = {
    "Person": 0.10,
    "Department": 0.0005,
    "Teacher": 0.005,
    "Student": 0.08,
    "Term": 0.0002,
    "SchoolClass": 0.004,
    "Enrollment": 0.12,
    "Exam": 0.02,
    "ExamResult": 0.30,
    "Invoice": 0.10,
    "InvoiceLine": None,  # the rest
    "Payment": 0.10,
}
#: Rows the demo project's seed modules write per unit of --scale (measured
#: at --scale 41: 944,938 rows; a few tables do not grow with the scale).
DEMO_ROWS_PER_SCALE = 23_000
POOL_SIZE = 512
BATCH_SIZE = 2000
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)

METHODS = {
    "seed": "seed",
    "raw": "raw",  # the label depends on the database
    "bulk": "bulk_create, Faker pools",
    "baker": "baker.make, one by one",
    "demo": "seed (demo, domain seeds)",
}
#: What runs on the database each demo run leaves, timed against that run.
AFTER_DEMO = {
    "report": "seed_report (demo)",
    "purge": "purge --truncate (demo)",
}
RAW_LABELS = {
    "sqlite": "raw executemany",
    "postgresql": "raw COPY",
    "mysql": "raw executemany",
}


def counts_for(rows):
    """{model name: rows} for a total of ``rows``, parents never empty."""
    counts = {
        name: max(1, round(rows * share))
        for name, share in SHARES.items()
        if share is not None
    }
    counts["InvoiceLine"] = max(1, rows - sum(counts.values()))
    return {name: counts[name] for name in SHARES}


# -- the orchestrator ---------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000],
                        help="total rows per run on SQLite; several sizes allowed")
    parser.add_argument("--database-url", action="append", default=[], metavar="URL",
                        help="also run on this PostgreSQL or MariaDB database; "
                        "a throwaway one: it is migrated and emptied")
    parser.add_argument("--server-rows", type=int, nargs="+",
                        help="total rows per run on the --database-url databases "
                        "(default: --rows)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each method; the median is shown")
    parser.add_argument("--methods", nargs="+", choices=list(METHODS),
                        default=list(METHODS))
    parser.add_argument("--compare-up-to", type=int, default=100_000, metavar="ROWS",
                        help="above this many rows only seed, raw and the demo run")
    parser.add_argument("--profile", action="store_true",
                        help="then profile the largest SQLite seed run with "
                        "pyinstrument into bench/results/profile.txt")
    parser.add_argument("--workdir", help="where the SQLite files go (default: a "
                        "temporary directory, removed at the end)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--source-url", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--empty-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return work(args)
    if "raw" in args.methods and "seed" not in args.methods:
        parser.error("raw re-inserts the rows of seed: keep seed in --methods")

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench_seed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    databases = [("sqlite", None, args.rows)]
    for url in args.database_url:
        vendor = "postgresql" if url.startswith(("postgres", "pgsql")) else "mysql"
        databases.append((vendor, url, args.server_rows or args.rows))
    print(machine())
    compile_sources()
    code = fingerprint()
    print(f"seeding/ at {code}")
    tables = []
    try:
        for vendor, url, sizes in databases:
            tables.append(run_database(vendor, url, sizes, args, workdir))
            print_table(*tables[-1])
        print_targets(tables)
        print(f"\nAt the end: {load()}.")
        if args.profile:
            profile(max(args.rows), workdir)
        if fingerprint() != code:
            print(f"WARNING: seeding/ changed during the run (now {fingerprint()}): "
                  f"the figures mix versions of it.")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def machine():
    from importlib.metadata import version

    with open("/proc/meminfo") as meminfo:
        total = int(meminfo.readline().split()[1]) / 1024**2
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("Django", "Faker", "model-bakery")
    )
    return (
        f"{os.cpu_count()} cores, {total:.0f} GiB RAM; "
        f"Python {sys.version.split()[0]}, {packages}; {load()}"
    )


def fingerprint():
    """The commit, and a digest of seeding/'s files as they are on disk."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "seeding").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    files = f"files {digest.hexdigest()[:12]}"
    return f"commit {head}, {files}" if head else files


def compile_sources():
    """
    Byte-compile the repository's Python files, as installing a package does.
    Where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile
    seeding/ and the demo's seeds modules from source inside its timed span
    (about 50 ms), while the libraries the other methods use come compiled.
    """
    import compileall

    for name in ("seeding", "project", "bench"):
        compileall.compile_dir(ROOT / name, quiet=1)


def load():
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def run_database(vendor, url, sizes, args, workdir):
    """Run every method at every size on one database; return its table."""
    if url is None:
        template = workdir / "template.sqlite3"
        template.unlink(missing_ok=True)
        migrate(f"sqlite:///{template}")
    else:
        template = None
        migrate(url)
    title = database_title(url or f"sqlite:///{template}")
    rows = []
    for size in sizes:
        active = [m for m in args.methods
                  if m in ("seed", "raw", "demo") or size <= args.compare_up_to]
        runs = {method: [] for method in active}
        after = []
        seeded = None
        # The methods take turns, so that with --repeat each one samples the
        # same stretches of a shared machine whose speed drifts.
        for number in range(args.repeat):
            for method in active:
                target = url
                if url is None:
                    path = workdir / f"{method}-{size}-{number}.sqlite3"
                    shutil.copyfile(template, path)
                    target = f"sqlite:///{path}"
                # A server database is shared: raw reads seed's rows before
                # it empties the tables, the others empty them first.
                source = seeded if url is None else None
                runs[method].append(run_worker(method, target, size, source=source,
                                               empty_first=url is not None and method != "raw"))
                if url is None and method == "seed":
                    if seeded is not None:
                        Path(seeded.removeprefix("sqlite:///")).unlink()
                    seeded = target
                elif method == "demo" and number == args.repeat - 1:
                    after = after_demo(target, size, args, workdir)
                elif url is None:
                    Path(target.removeprefix("sqlite:///")).unlink()
        for method in args.methods:
            label = RAW_LABELS[vendor] if method == "raw" else METHODS[method]
            rows.append((label, size, runs.get(method)))
            if method == "demo":
                rows += after
        if seeded is not None:
            Path(seeded.removeprefix("sqlite:///")).unlink()
    return title, vendor, rows


def after_demo(url, size, args, workdir):
    """
    Time seed_report (--repeat times: it only reads) and purge --truncate
    (once on a server, whose database the demo left; on a copy of the file
    for each repeat on SQLite) on the database the last demo run filled.
    """
    reports = [run_worker("report", url, size) for _ in range(args.repeat)]
    purges = []
    if url.startswith("sqlite:///"):
        demo = Path(url.removeprefix("sqlite:///"))
        for number in range(args.repeat):
            copy = workdir / f"purge-{size}-{number}.sqlite3"
            shutil.copyfile(demo, copy)
            purges.append(run_worker("purge", f"sqlite:///{copy}", size))
            copy.unlink()
        demo.unlink()
    else:
        purges.append(run_worker("purge", url, size))
    return [(AFTER_DEMO["report"], size, reports), (AFTER_DEMO["purge"], size, purges)]


def migrate(url):
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--settings", SETTINGS, "-v0"],
        cwd=ROOT, env=env, check=True,
    )


def database_title(url):
    code = (
        "import django; django.setup(); from django.db import connection as c; "
        "print(c.display_name, '.'.join(map(str, c.get_database_version())))"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def run_worker(method, url, size, source=None, empty_first=False):
    """Run one method in a subprocess; return its timings and peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".json") as result, \
            tempfile.TemporaryFile() as output:
        command = [sys.executable, __file__, "--worker", method, "--url", url,
                   "--rows", str(size), "--result", result.name]
        if source:
            command += ["--source-url", source]
        if empty_first:
            command.append("--empty-first")
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output)
        # wait4() gives this child's own peak RSS; RUSAGE_CHILDREN would give
        # the largest of all the children waited for so far.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if process.returncode:
            output.seek(0)
            sys.exit(f"{method} at {size:,} rows failed:\n{output.read().decode()}")
        outcome = json.loads(Path(result.name).read_text())
    expected = counts_for(size)
    if method in ("seed", "raw", "bulk", "baker") and outcome["counts"] != expected:
        sys.exit(f"{method} wrote {outcome['counts']}, not {expected}")
    # ru_maxrss is in kilobytes on Linux.
    return {**outcome, "wall": wall, "rss": usage.ru_maxrss / 1024}


def print_table(title, vendor, rows):
    print()
    print(f"{title}: bench.benchapp, 12 tables")
    header = (f"{'method':<26}{'rows':>10}{'seconds':>9}{'rows/s':>9}{'CPU s':>8}"
              f"{'peak RSS':>10}{'process s':>11}{'vs raw':>8}")
    print(header)
    print("-" * len(header))
    raw_rates = {size: rate(runs) for label, size, runs in rows
                 if runs and label == RAW_LABELS[vendor]}
    last = None
    for label, size, runs in rows:
        if last is not None and size != last:
            print()
        last = size
        if runs is None:
            print(f"{label:<26}{size:>10,}{'skipped':>9}")
            continue
        total = runs[0]["rows"]
        ratio = "-"
        if label not in (METHODS["demo"], *AFTER_DEMO.values()) and raw_rates.get(size):
            ratio = f"{rate(runs) / raw_rates[size]:.2f}"
        seconds, cpu, wall = (median(runs, k) for k in ("seconds", "cpu", "wall"))
        rss = max(r["rss"] for r in runs)
        print(
            f"{label:<26}{total:>10,}{seconds:>9.2f}{human(rate(runs)):>9}"
            f"{cpu:>8.2f}{rss:>7.0f} MB{wall:>11.2f}{ratio:>8}"
        )


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def rate(runs, key="seconds"):
    return runs[0]["rows"] / median(runs, key)


def human(number):
    if number >= 1e6:
        return f"{number / 1e6:.2f} M"
    if number >= 1e3:
        return f"{number / 1e3:.1f} k"
    return f"{number:.0f}"


#: (vendor, method, least ratio of seed's rate to the method's) from issue 7.
TARGETS = [
    ("sqlite", "raw", 1 / 3),
    ("sqlite", "baker", 20),
    ("sqlite", "bulk", 3),
    ("postgresql", "raw", None),
    ("postgresql", "bulk", None),
    ("postgresql", "baker", None),
    ("mysql", "raw", None),
    ("mysql", "bulk", None),
    ("mysql", "baker", None),
]


def print_targets(tables):
    print()
    print("seed's rate divided by each method's, by wall-clock seconds (and, on")
    print("SQLite, whose work is all in the process, by CPU seconds); the targets")
    print("are issue 7's:")
    for title, vendor, rows in tables:
        by_label = {(label, size): runs for label, size, runs in rows}
        for size in sorted({size for _, size, _ in rows}):
            seed = by_label.get((METHODS["seed"], size))
            if not seed:
                continue
            for target_vendor, method, least in TARGETS:
                label = RAW_LABELS[vendor] if method == "raw" else METHODS[method]
                if target_vendor != vendor or (label, size) not in by_label:
                    continue
                other = by_label[(label, size)]
                line = f"  {title.split()[0]:<11}{size:>10,}  seed / {label:<25}"
                if other is None:
                    print(f"{line}{'skipped':>7}")
                    continue
                line += f"{rate(seed) / rate(other):>7.2f}"
                if vendor == "sqlite":
                    line += f"  (CPU {rate(seed, 'cpu') / rate(other, 'cpu'):.2f})"
                if least is not None:
                    met = "met" if rate(seed) / rate(other) >= least else "MISSED"
                    line += f"  target >= {least:.2f}: {met}"
                print(line)
    if not any(label in AFTER_DEMO.values() for _, _, rows in tables for label, _, _ in rows):
        return
    print()
    print("Seconds of each command on the database a demo seed filled, divided by")
    print(f"that seed's seconds; issue 7's target, at most {AFTER_DEMO_SHARE:.2f}, is for")
    print("a million rows and more (below, fixed costs weigh on the report):")
    for title, vendor, rows in tables:
        by_label = {(label, size): runs for label, size, runs in rows}
        for size in sorted({size for _, size, _ in rows}):
            demo = by_label.get((METHODS["demo"], size))
            for label in AFTER_DEMO.values():
                runs = by_label.get((label, size))
                if not demo or not runs:
                    continue
                share = median(runs, "seconds") / median(demo, "seconds")
                line = f"  {title.split()[0]:<11}{demo[0]['rows']:>10,}  {label:<25}{share:>7.3f}"
                if size >= 1_000_000:
                    met = "met" if share <= AFTER_DEMO_SHARE else "MISSED"
                    line += f"  target <= {AFTER_DEMO_SHARE:.2f}: {met}"
                print(line)


#: The most of a demo seed's time that seed_report or purge --truncate may take.
AFTER_DEMO_SHARE = 0.1


def profile(size, workdir):
    """Profile one seed run of ``size`` rows on SQLite with pyinstrument."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = workdir / "profile.sqlite3"
    shutil.copyfile(workdir / "template.sqlite3", path)
    session = RESULTS / "profile.pyisession"
    command = [sys.executable, "-m", "pyinstrument", "-r", "pyisession",
               "-o", str(session), "manage.py", *seed_arguments(size),
               "--settings", SETTINGS]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    print()
    print("Profiling:", f"DATABASE_URL=sqlite:///{path}",
          " ".join(c if c != sys.executable else "python" for c in command))
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    for name, options in (("profile.txt", []), ("profile-flat.txt", ["-p", "flat"])):
        subprocess.run(
            [sys.executable, "-m", "pyinstrument", "--load", str(session), "-r", "text",
             "--no-color", "--unicode", *options, "-o", str(RESULTS / name)],
            cwd=ROOT, check=True,
        )
    path.unlink()
    print(f"Wrote {RESULTS / 'profile.txt'} and {RESULTS / 'profile-flat.txt'}.")


def seed_arguments(size):
    counts = [f"--count=benchapp.{name}={n}" for name, n in counts_for(size).items()]
    return ["seed", f"--seed={SEED}", "--no-migrate", "--noinput", "--only=benchapp",
            *counts]


# -- the workers ------------------------------------------------------------


def work(args):
    """Run one method in this process; write its timing to args.result."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = args.url
    if args.source_url:
        os.environ["BENCH_SOURCE_URL"] = args.source_url
    import django

    django.setup()
    from django.apps import apps

    size = args.rows[0]
    counts = counts_for(size)
    models = [apps.get_model("benchapp", name) for name in counts]
    method = {
        "seed": time_seed, "raw": time_raw, "bulk": time_bulk_create,
        "baker": time_baker, "demo": time_demo, "report": time_report,
        "purge": time_purge,
    }[args.worker]
    if args.empty_first:
        empty(models if args.worker != "demo" else None)
    if args.worker in ("seed", "raw", "bulk", "baker"):
        same_page_cache()
    clock, rows = method(size, counts, models, args)
    written = {m.__name__: m._base_manager.count() for m in models}
    if rows is None:
        rows = sum(written.values())
    outcome = {"seconds": clock.wall, "cpu": clock.cpu, "rows": rows, "counts": written}
    Path(args.result).write_text(json.dumps(outcome))


#: seed's SQLite page cache in KiB (seeding.engine.PAGE_CACHE, not imported
#: here: it would import Faker outside the timed span).
PAGE_CACHE = 32 * 1024


def same_page_cache():
    """Give the methods compared with seed the page cache that seed gives
    itself on SQLite, so that the ratios compare the methods, not caches."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE}")


class Clock:
    """Wall-clock and CPU seconds of this process spent in a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def empty(models):
    """Empty ``models``' tables, or every table when models is None."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    if models is None:
        call_command("flush", interactive=False, verbosity=0)
        return
    tables = [m._meta.db_table for m in models]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    )


def timed_command(*args, **options):
    """Run a management command; return its Clock and what it wrote."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with Clock() as clock:
        call_command(*args, stdout=out, stderr=StringIO(), **options)
    return clock, out.getvalue()


def time_seed(size, counts, models, args):
    clock, _ = timed_command(*seed_arguments(size), verbosity=0)
    return clock, None


def time_demo(size, counts, models, args):
    scale = round(size / DEMO_ROWS_PER_SCALE, 3)
    clock, out = timed_command("seed", f"--seed={SEED}", f"--scale={scale}",
                               "--no-migrate", "--noinput", "--exclude=benchapp")
    return clock, int(re.search(r"Seeded ([\d,]+) rows", out)[1].replace(",", ""))


def time_report(size, counts, models, args):
    clock, out = timed_command("seed_report", "--format=json", "--exclude=benchapp")
    return clock, json.loads(out)["tables"]["rows"]


def time_purge(size, counts, models, args):
    clock, out = timed_command("purge", "--truncate", "--noinput", "--exclude=benchapp")
    return clock, int(re.search(r"Purged (\d+) rows", out)[1])


def time_raw(size, counts, models, args):
    """Insert the rows seed wrote, read back beforehand, with the bare driver."""
    from django.db import connection, connections, transaction

    source = connections["source" if args.source_url else "default"]
    if source.vendor == "sqlite":
        # A bare connection: the values as stored, dates as text. Django's
        # converters would hand back date objects that the driver must turn
        # into text again, a cost the limit should not carry.
        import sqlite3

        reader = contextlib.closing(sqlite3.connect(source.settings_dict["NAME"]))
    else:
        reader = contextlib.nullcontext(source)
    tables = []
    with reader as database, contextlib.closing(database.cursor()) as cursor:
        for model in models:
            columns = [f.column for f in model._meta.local_concrete_fields]
            names = ", ".join(source.ops.quote_name(c) for c in columns)
            table = source.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {names} FROM {table}")
            tables.append((model, columns, cursor.fetchall()))
    if not args.source_url:
        empty(models)
    connection.ensure_connection()
    with Clock() as clock, transaction.atomic():
        rows = insert_raw(connection, tables)
    return clock, rows


def insert_raw(connection, tables):
    """Insert each (model, columns, rows) of ``tables`` with the bare driver:
    COPY on PostgreSQL, ``executemany`` elsewhere; return the rows inserted."""
    driver = connection.connection
    quote = connection.ops.quote_name
    inserted = 0
    for model, columns, values in tables:
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        if connection.vendor == "postgresql":
            with driver.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
        else:
            mark = "?" if connection.vendor == "sqlite" else "%s"
            marks = ", ".join([mark] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            cursor = driver.cursor()
            cursor.executemany(sql, values)
            cursor.close()
        inserted += len(values)
    return inserted


class Links:
    """Foreign keys for the row-by-row methods: the same shape seed gives."""

    def __init__(self, counts):
        self.counts = counts
        self.rng = random.Random(SEED)
        self.keys = {}

    def pick(self, name):
        keys = self.keys[name]
        return keys[self.rng.randrange(len(keys))]

    def pair(self, first, second, i):
        """The i-th of distinct (first, second) pairs, spread over both."""
        a, b = self.keys[first], self.keys[second]
        x = i % len(a)
        return a[x], b[(i // len(a) + x * 7919) % len(b)]

    def __call__(self, name, i):
        if name == "Teacher":
            person = self.keys["Person"][self.counts["Student"] + i]
            return {"person_id": person, "department_id": self.pick("Department")}
        if name == "Student":
            return {"person_id": self.keys["Person"][i]}
        if name == "SchoolClass":
            return {"term_id": self.pick("Term"),
                    "form_teacher_id": self.pick("Teacher")}
        if name == "Enrollment":
            student, school_class = self.pair("Student", "SchoolClass", i)
            return {"student_id": student, "school_class_id": school_class}
        if name == "Exam":
            return {"school_class_id": self.pick("SchoolClass")}
        if name == "ExamResult":
            exam, student = self.pair("Exam", "Student", i)
            return {"exam_id": exam, "student_id": student}
        if name in ("Invoice",):
            return {"student_id": self.pick("Student")}
        if name in ("InvoiceLine", "Payment"):
            return {"invoice_id": self.pick("Invoice")}
        return {}


def time_baker(size, counts, models, args):
    from django.db import transaction
    from model_bakery import baker

    baker.seed(SEED)
    links = Links(counts)
    with Clock() as clock, transaction.atomic():
        for model in models:
            name = model.__name__
            links.keys[name] = [
                baker.make(model, **links(name, i)).pk for i in range(counts[name])
            ]
    return clock, sum(counts.values())


class Pools:
    """Pools of Faker values, drawn once per provider and then sampled."""

    def __init__(self):
        from faker import Faker

        self.faker = Faker("en_US")
        self.faker.seed_instance(SEED)
        self.rng = random.Random(SEED)
        self.pools = {}

    def __call__(self, provider):
        pool = self.pools.get(provider)
        if pool is None:
            make = getattr(self.faker, provider)
            pool = self.pools[provider] = [make() for _ in range(POOL_SIZE)]
        return pool[self.rng.randrange(POOL_SIZE)]

    def day(self, days_back=730):
        return (NOW - datetime.timedelta(days=self.rng.randrange(days_back))).date()

    def moment(self):
        return NOW - datetime.timedelta(seconds=self.rng.randrange(730 * 86400))

    def money(self, top=500):
        return decimal.Decimal(self.rng.randrange(100, top * 100)) / 100


def bulk_values(name, i, pools):
    """The non-key values of row i of ``name``, sampled from the pools."""
    rng = pools.rng
    if name == "Person":
        return {
            "username": f"{pools('user_name')}{i}",
            "email": f"{i}.{pools('email')}",
            "first_name": pools("first_name"),
            "last_name": pools("last_name"),
            "date_joined": pools.moment(),
            "is_active": rng.random() < 0.9,
        }
    if name == "Department":
        return {"name": f"{pools('word').title()} {i}"}
    if name == "Teacher":
        return {"hired_on": pools.day(3650)}
    if name == "Student":
        return {
            "admission_number": f"A{i:09}",
            "date_of_birth": pools.day(365 * 18),
            "grade_level": rng.randint(1, 12),
        }
    if name == "Term":
        starts_on = datetime.date(2000 + i // 3, 1 + 4 * (i % 3), 1)
        return {"year": 2000 + i // 3, "number": 1 + i % 3, "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=100)}
    if name == "SchoolClass":
        return {"name": pools("word")[:20], "grade_level": rng.randint(1, 12)}
    if name == "Enrollment":
        return {"enrolled_on": pools.day()}
    if name == "Exam":
        return {"title": pools("sentence"), "held_on": pools.day(), "max_score": 100}
    if name == "ExamResult":
        return {"score": decimal.Decimal(rng.randrange(10001)) / 100}
    if name == "Invoice":
        issued_on = pools.day()
        return {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "number": f"INV-{i:010}",
            "issued_on": issued_on,
            "due_on": issued_on + datetime.timedelta(days=30),
            "status": rng.choice(["paid", "partly_paid", "unpaid", "overdue"]),
            "total": pools.money(),
        }
    if name == "InvoiceLine":
        return {"description": pools("sentence"), "quantity": rng.randint(1, 20),
                "unit_price": pools.money()}
    if name == "Payment":
        return {
            "amount": pools.money(),
            "method": rng.choice(["cash", "card", "bank_transfer", "cheque"]),
            "paid_at": pools.moment(),
            "reference": f"PAY-{i:012}",
        }
    raise LookupError(name)


def time_bulk_create(size, counts, models, args):
    from django.db import transaction

    links = Links(counts)
    with Clock() as clock, transaction.atomic():
        pools = Pools()
        for model in models:
            name = model.__name__
            objects = [
                model(**links(name, i), **bulk_values(name, i, pools))
                for i in range(counts[name])
            ]
            model._base_manager.bulk_create(objects, batch_size=BATCH_SIZE)
            links.keys[name] = [o.pk for o in objects]
            if links.keys[name][0] is None:
                raise RuntimeError(f"bulk_create returned no keys for {name}")
    return clock, sum(counts.values())


if __name__ == "__main__":
    sys.exit(main())
