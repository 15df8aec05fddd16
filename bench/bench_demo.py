"""
How fast the demo project seeds, with its seed modules and DEBUG on as it
ships, compared with the driver inserting the very rows it wrote.

    python bench/bench_demo.py --rows 100000 [--repeat 3] \\
        [--database-url postgres://postgres@127.0.0.1:5432/bench_demo]

Each measurement is a subprocess of its own on a migrated, empty database
(a fresh SQLite file in a temporary folder unless --database-url names a
throwaway server database, which is migrated and emptied):

- demo: ``seeding.seed()`` of the demo at the scale that gives about
  ``--rows`` rows, timed from the call to its return (the seeds modules are
  imported before, as Django's set-up is not timed either);
- raw: the rows that seed wrote, read back with SELECT (not timed), the
  tables emptied, then inserted again with the driver's ``executemany`` (or
  ``COPY`` on PostgreSQL) in one transaction, timed.

It prints each method's median seconds and rows per second, the ratio
demo / raw of the rates, and the length of Django's query log after the
demo seed: with DEBUG on it must stay small, whatever the rows.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Rows the demo's seed modules write per unit of --scale, about.
ROWS_PER_SCALE = 24_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return work(args)
    for rows in args.rows:
        measure(rows, args)


def measure(rows, args):
    runs = {"demo": [], "raw": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            url = args.database_url or f"sqlite:///{folder}/demo.sqlite3"
            if not args.database_url:
                Path(folder, "demo.sqlite3").unlink(missing_ok=True)
            for command in ("migrate -v0", "flush --noinput -v0"):
                subprocess.run(
                    [sys.executable, "manage.py", *command.split()],
                    cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True,
                )
            for method in ("demo", "raw"):
                runs[method].append(worker(method, url, rows))
    demo, raw = (statistics.median(r["seconds"] for r in runs[m]) for m in runs)
    written = runs["demo"][0]["rows"]
    title = args.database_url.split(":")[0] if args.database_url else "sqlite"
    print(f"{title}, {written:,} rows, DEBUG on, median of {args.repeat}:")
    print(f"  demo seed  {demo:7.2f} s  {written / demo:>10,.0f} rows/s")
    print(f"  raw        {raw:7.2f} s  {written / raw:>10,.0f} rows/s")
    print(f"  demo / raw {raw / demo:7.2f}")
    print(f"  query log after the seed: {runs['demo'][0]['queries']} entries")


def worker(method, url, rows):
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        subprocess.run(
            [sys.executable, __file__, "--worker", method, "--url", url,
             "--rows", str(rows)],
            cwd=ROOT, check=True,
            env={**os.environ, "DATABASE_URL": url, "RESULT": result.name},
        )
        return json.loads(Path(result.name).read_text())


def work(args):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    import django

    django.setup()
    from django.conf import settings

    assert settings.DEBUG, "the demo ships with DEBUG on; measure it so"
    outcome = (time_demo if args.worker == "demo" else time_raw)(args.rows[0])
    Path(os.environ["RESULT"]).write_text(json.dumps(outcome))


def demo_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in ("seeding", "contenttypes", "sessions", "admin")
        and model._meta.managed
        and not model._meta.proxy
        and not (model._meta.app_label == "auth" and model.__name__ == "Permission")
    ]


def time_demo(rows):
    from django.db import connection

    import seeding
    import seeding.api

    scale = round(rows / ROWS_PER_SCALE, 3)
    # Importing the seeds modules, and the module of the function timed, is
    # set-up, as django.setup() is: the raw inserts are not charged for
    # importing the driver or insert_raw() either. Where bytecode is not
    # cached (PYTHONDONTWRITEBYTECODE), an import compiles from source.
    seeding.autodiscover()
    started = time.perf_counter()
    result = seeding.seed(seed=1, scale=scale)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": result.rows, "queries": len(connection.queries)}


def time_raw(rows):
    """Insert the rows the demo seed wrote, read back beforehand, with the driver."""
    from django.db import connection, transaction

    from bench_seed import insert_raw

    tables = []
    with connection.cursor() as cursor:
        for model in demo_models():
            columns = [f.column for f in model._meta.local_concrete_fields]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {names} FROM {table}")
            tables.append((model, columns, cursor.fetchall()))
    empty([model for model, *_ in tables])
    connection.ensure_connection()
    started = time.perf_counter()
    with transaction.atomic(), connection.constraint_checks_disabled():
        written = insert_raw(connection, tables)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": written, "queries": 0}


def empty(models):
    from django.core.management.color import no_style
    from django.db import connection

    tables = [m._meta.db_table for m in models]
    with connection.constraint_checks_disabled():
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=True,
                                     allow_cascade=True)
        )


if __name__ == "__main__":
    main()
