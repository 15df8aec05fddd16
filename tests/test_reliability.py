"""
Reliability and safety: faults leave nothing half-written, runs do not
interleave, production and secrets are guarded, bad input fails cleanly.

The tests that need a database another process can see use ``scratch``, a
migrated database of its own (a file on SQLite, a database created and
dropped on PostgreSQL and MariaDB): the test database is inside a
transaction that no subprocess can see.
"""

import contextlib
import functools
import logging
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connection,
    connections,
    transaction,
)

import seeding
from seeding import registry, safety
from tests.corpus.models import Author, Book, Tag

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = "postgres://postgres@127.0.0.1:1/x"
LOCK_BUSY = "Another seed or purge is running"

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's file lock, not an advisory lock"
)
server_lock_only = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite takes no advisory lock: its file lock excludes other writers",
)


# Subprocesses


def environment(url, pythonpath=None, **variables):
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1", **variables}
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(ROOT)])
    return env


def command_line(args, settings):
    return [sys.executable, "manage.py", *args, "--settings", settings]


def manage(*args, url, settings="tests.settings", pythonpath=None, **variables):
    """Run manage.py to completion; return the CompletedProcess."""
    return subprocess.run(
        command_line(args, settings),
        cwd=ROOT,
        env=environment(url, pythonpath, **variables),
        capture_output=True,
        text=True,
        timeout=180,
    )


def start(*args, url, settings="tests.settings"):
    """Start manage.py; return the Popen, its output readable as text."""
    return subprocess.Popen(
        command_line(args, settings),
        cwd=ROOT,
        env=environment(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell starts background jobs ignoring SIGINT, and Python keeps an
        # ignored SIGINT ignored: give the command Ctrl-C's usual effect.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_line(process, prefix, timeout=60):
    """Return the first line ``process`` writes that starts with ``prefix``."""
    lines = queue.Queue()

    def read():
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        if line.startswith(prefix):
            return line
    return None


# A database that subprocesses can see


class Scratch:
    """A migrated database outside the test transaction."""

    def __init__(self, name, url):
        self.name = name
        self.url = url
        self.vendor = connection.vendor

    def connect(self):
        return self._wrapper(self.name)

    def _wrapper(self, name):
        # A connection of its own, outside the test's transaction; NAME None
        # connects to the server without choosing a database.
        settings = {**connection.settings_dict, "NAME": name}
        wrapper = type(connections[DEFAULT_DB_ALIAS])(settings, alias="scratch")
        # django.contrib.postgres looks a new connection up by its alias.
        connections["scratch"] = wrapper
        return wrapper

    def query(self, sql, params=()):
        wrapper = self.connect()
        try:
            with wrapper.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            wrapper.close()

    def execute(self, *statements):
        wrapper = self.connect()
        try:
            with wrapper.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        finally:
            wrapper.close()

    def counts(self):
        """{table: rows} for every table of the database."""
        wrapper = self.connect()
        try:
            with wrapper.cursor() as cursor:
                counts = {}
                for table in wrapper.introspection.table_names(cursor):
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}"
                    )
                    counts[table] = cursor.fetchone()[0]
                return counts
        finally:
            wrapper.close()

    def tags(self):
        """(rows, distinct slugs) of corpus.Tag."""
        return self.query("SELECT COUNT(*), COUNT(DISTINCT slug) FROM corpus_tag")[0]

    def server(self, sql):
        """Run ``sql`` connected to the server rather than to a database."""
        wrapper = self._wrapper(None)
        try:
            with wrapper.cursor() as cursor:
                cursor.execute(sql)
        finally:
            wrapper.close()

    def create(self):
        self.drop()
        if self.vendor == "mysql":
            self.server(f"CREATE DATABASE {self.quoted} CHARACTER SET utf8mb4")
        elif self.vendor != "sqlite":
            self.server(f"CREATE DATABASE {self.quoted}")

    def drop(self):
        if self.vendor == "postgresql":
            self.server(f"DROP DATABASE IF EXISTS {self.quoted} WITH (FORCE)")
        elif self.vendor == "mysql":
            self.server(f"DROP DATABASE IF EXISTS {self.quoted}")

    @property
    def quoted(self):
        return connection.ops.quote_name(self.name)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, django_db_blocker):
    """The Scratch database of this module, dropped at its end."""
    if connection.vendor == "sqlite":
        path = tmp_path_factory.mktemp("scratch") / "db.sqlite3"
        database = Scratch(str(path), f"sqlite:///{path}")
    else:
        if "DATABASE_URL" not in os.environ:
            pytest.skip("needs DATABASE_URL to point subprocesses at the server")
        name = f"seeding_reliability_{os.getpid()}"
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
        database = Scratch(name, url)
    with django_db_blocker.unblock():
        database.create()
        try:
            migrated = manage("migrate", "-v", "0", url=database.url)
            assert migrated.returncode == 0, migrated.stderr
            yield database
        finally:
            database.drop()


@pytest.fixture
def app_with_seeds(tmp_path):
    """A function writing an extra app with ``source`` as seeds.py."""

    def write(source):
        package = tmp_path / "reliability_extra"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "seeds.py").write_text(textwrap.dedent(source))
        (tmp_path / "reliability_settings.py").write_text(
            "from tests.settings import *  # noqa: F403\n"
            "from tests.settings import INSTALLED_APPS\n\n"
            "INSTALLED_APPS = [*INSTALLED_APPS, 'reliability_extra']\n"
        )
        return tmp_path

    return write


def register(monkeypatch, label, seed_class):
    """Register ``seed_class`` for ``label`` for the test's duration."""
    # autodiscover_modules() replaces the registry's dict with a copy whenever
    # an app has no seeds module: an item set on the dict would outlive the
    # test in that copy. Swap the whole dict instead.
    entries = {**registry.site._registry, label: (seed_class, __name__)}
    monkeypatch.setattr(registry.site, "_registry", entries)


DUPLICATE_SLUGS = """
    import seeding


    @seeding.register("corpus.Tag")
    class TagSeed(seeding.Seed):
        def rows(self, ctx):
            yield {"slug": "twice"}
            yield {"slug": "twice"}
"""


# Faults: nothing half-written


def test_a_killed_seed_leaves_the_database_as_it_was(scratch):
    """SIGKILL in the middle of the inserts leaves every table as it was."""
    before = scratch.counts()
    args = "seed --no-migrate --seed 2 --only corpus.Book --count corpus.Book=50000"
    process = start(*args.split(), "-v", "2", url=scratch.url)
    try:
        # Printed once the books are written, as their tags start to be.
        written = wait_for_line(process, "  corpus.Book ")
    finally:
        process.kill()
        stderr = process.communicate()[1]
    assert written, f"the run ended before its books were written: {stderr}"
    assert process.returncode == -signal.SIGKILL
    assert scratch.counts() == before
    if scratch.vendor == "sqlite":
        assert scratch.query("PRAGMA integrity_check") == [("ok",)]


class DuplicateSlugs(seeding.Seed):
    def rows(self, ctx):
        yield {"slug": "twice"}
        yield {"slug": "twice"}


def test_a_value_the_database_rejects_rolls_everything_back(monkeypatch):
    """A duplicate unique value from rows() leaves no row of any model."""
    register(monkeypatch, "corpus.Tag", DuplicateSlugs)
    args = "seed --strict --only corpus.Author --only corpus.Tag --no-migrate"
    with pytest.raises(CommandError, match="corpus.Tag"):
        call_command(*args.split(), verbosity=0)
    assert not Author.objects.exists() and not Tag.objects.exists()


def test_a_value_the_database_rejects_is_named_with_its_field_and_module(monkeypatch):
    """The error names the model, the unique field and the seed module."""
    register(monkeypatch, "corpus.Tag", DuplicateSlugs)
    with pytest.raises(CommandError) as error:
        call_command("seed", "--strict", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    message = str(error.value)
    assert "corpus.Tag" in message and "slug" in message and __name__ in message


class RecipeThatRaises(seeding.Seed):
    count = 3

    @property
    def recipe(self):
        from model_bakery.recipe import Recipe

        def slug():
            raise ValueError("no more values")

        return Recipe(Tag, slug=slug)


def test_a_recipe_value_that_raises_is_named_with_its_field(monkeypatch):
    """A raising recipe value is named by model, field and seed module."""
    register(monkeypatch, "corpus.Tag", RecipeThatRaises)
    with pytest.raises(CommandError) as error:
        call_command("seed", "--strict", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    message = str(error.value)
    assert "corpus.Tag" in message and __name__ in message and "slug" in message


class FinishThatRaises(seeding.Seed):
    count = 3

    def finish(self, ctx):
        raise RuntimeError("the fix-up broke")


def test_a_failing_finish_rolls_back_the_rows_already_written(monkeypatch):
    """finish() raising after every insert still leaves no row at all."""
    register(monkeypatch, "corpus.Tag", FinishThatRaises)
    with pytest.raises(CommandError, match=r"corpus\.Tag .*finish\(\)"):
        call_command("seed", "--only", "corpus.Book", "--no-migrate", verbosity=0)
    assert not (
        Author.objects.exists() or Book.objects.exists() or Tag.objects.exists()
    )


def test_a_seed_failing_mid_run_exits_1_without_a_traceback(scratch, app_with_seeds):
    """Through manage.py a failing seed is a CommandError naming its module."""
    folder = app_with_seeds(DUPLICATE_SLUGS)
    result = manage(
        *"seed --strict --no-migrate --only corpus.Tag".split(),
        url=scratch.url,
        settings="reliability_settings",
        pythonpath=folder,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failed = "CommandError: Seeding corpus.Tag failed (seed module reliability_extra"
    assert failed in result.stderr


class Exploding(seeding.Seed):
    def rows(self, ctx):
        yield {"slug": "first"}
        raise RuntimeError("the recipe broke")


@pytest.mark.django_db(transaction=True)
def test_a_failing_fresh_seed_keeps_the_rows_it_would_have_purged(monkeypatch):
    """seed --fresh that fails mid-run leaves the earlier rows in place."""
    args = "seed --seed 1 --only corpus.Tag --count corpus.Tag=5 --no-migrate"
    call_command(*args.split(), verbosity=0)
    register(monkeypatch, "corpus.Tag", Exploding)
    args = "seed --strict --fresh --no-input --only corpus.Tag --no-migrate"
    with pytest.raises(CommandError, match="the recipe broke"):
        call_command(*args.split(), verbosity=0)
    assert Tag.objects.count() == 5


# Purge faults; a purge failing with a database error is in test_purge.py.


class InterruptOn:
    """An execute wrapper: Ctrl-C as the table of ``model`` is emptied."""

    def __init__(self, model):
        self.table = connection.ops.quote_name(model._meta.db_table)

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("DELETE") and self.table in sql:
            raise KeyboardInterrupt
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_foreign_keys_are_enforced_after_an_interrupted_purge():
    """Ctrl-C in the middle of a purge still turns foreign key checks on."""
    call_command(*"seed --seed 1 --only corpus.Book --no-migrate".split(), verbosity=0)
    with (
        connection.execute_wrapper(InterruptOn(Author)),
        pytest.raises(CommandError, match="Interrupted"),
    ):
        call_command("purge", "--no-input", "--only", "corpus", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone() == (1,)
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.create(title="Orphan", isbn="0000000000000", author_id=987654321)


# Concurrent runs


@contextlib.contextmanager
def seeding_lock_held(scratch):
    """Hold seed's advisory lock on ``scratch`` from this process."""
    wrapper = scratch.connect()
    try:
        with wrapper.cursor() as cursor:
            if scratch.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_advisory_lock(%s)",
                    [zlib.crc32(safety.LOCK_NAME.encode())],
                )
            else:
                cursor.execute("SELECT GET_LOCK(%s, 10)", [safety.LOCK_NAME])
        yield wrapper
    finally:
        # Ending the session releases the lock.
        wrapper.close()


def lock_waiters(wrapper):
    """How many sessions of the database wait for an advisory lock."""
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_locks "
                "WHERE locktype = 'advisory' AND NOT granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                "WHERE DB = DATABASE() AND INFO LIKE %s",
                ["SELECT GET_LOCK%"],
            )
        return cursor.fetchone()[0]


def run_together(scratch, *args):
    """
    Start two identical runs at once; return [(exit status, stderr)].

    Both start while this process holds the lock, and it is released only
    once both wait for it (or 30 seconds passed), so that the two are surely
    under way at the same time.
    """
    with seeding_lock_held(scratch) as gate:
        processes = [start(*args, url=scratch.url) for _ in range(2)]
        deadline = time.monotonic() + 30
        while lock_waiters(gate) < 2 and time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                break
            time.sleep(0.1)
    outcomes = []
    for process in processes:
        stderr = process.communicate(timeout=120)[1]
        outcomes.append((process.returncode, stderr))
    return outcomes


def refusals(outcomes):
    """The stderr of each failed run; fail unless it is a clear refusal."""
    failed = [stderr for status, stderr in outcomes if status != 0]
    assert all(LOCK_BUSY in stderr for stderr in failed), failed
    assert len(failed) < 2, failed
    return failed


TAG_RUN = "seed --no-migrate --seed 7 --only corpus.Tag -v 0".split()

@server_lock_only
def test_two_concurrent_seeds_of_an_empty_table_do_not_interleave(scratch):
    """Two runs at once give what two in a row give, or one clear refusal."""
    scratch.execute("DELETE FROM corpus_book_tags", "DELETE FROM corpus_tag")
    outcomes = run_together(scratch, *TAG_RUN, "--count", "corpus.Tag=50000")
    rows = 50000 * (2 - len(refusals(outcomes)))
    assert scratch.tags() == (rows, rows)


@server_lock_only
def test_two_concurrent_top_ups_reach_the_count_without_exceeding_it(scratch):
    """Two --top-up runs at once leave the count, as two in a row do."""
    target = scratch.tags()[0] + 1000
    top_up = ("--top-up", "--count", f"corpus.Tag={target}")
    outcomes = run_together(scratch, *TAG_RUN, *top_up)
    refusals(outcomes)
    assert scratch.tags() == (target, target)


@sqlite_only
def test_two_concurrent_seeds_leave_sqlite_intact(scratch):
    """Two runs at once on a SQLite file leave it sound, slugs unique."""
    args = (*TAG_RUN, "--count", "corpus.Tag=20000")
    processes = [start(*args, url=scratch.url) for _ in range(2)]
    outcomes = [process.communicate(timeout=120) for process in processes]
    assert all("Traceback" not in stderr for _, stderr in outcomes)
    rows, slugs = scratch.tags()
    assert rows == slugs
    assert scratch.query("PRAGMA integrity_check") == [("ok",)]


# Where it must not run


PRODUCTION_MARKS = pytest.mark.parametrize(
    "marks",
    [
        {"DEBUG": False, "SEEDING": {}},
        {"SEEDING": {"PRODUCTION": True}},
        {"SEEDING": {"PRODUCTION": ["default"]}},
    ],
    ids=["debug-off", "production-true", "production-alias"],
)


@PRODUCTION_MARKS
def test_seed_refuses_a_production_database(settings, marks):
    """seed refuses a production database and names --allow-production."""
    for name, value in marks.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    assert not Tag.objects.exists()


def test_allow_production_unlocks_one_run_only(settings):
    """--allow-production lets one run through; the next one is refused."""
    settings.SEEDING = {"PRODUCTION": True}
    run = "seed --only corpus.Tag --count corpus.Tag=3 --no-migrate".split()
    call_command(*run, "--allow-production", verbosity=0)
    with pytest.raises(CommandError, match="--allow-production"):
        call_command(*run, verbosity=0)
    assert Tag.objects.count() == 3


@pytest.mark.parametrize(
    "args",
    [("seed", "--no-input", "--only", "corpus.Tag"), ("purge", "--no-input")],
    ids=["seed", "purge"],
)
def test_an_environment_variable_does_not_unlock_production(tmp_path, args):
    """With DEBUG off, SEEDING_ALLOW_PRODUCTION=1 alone unlocks nothing."""
    database = tmp_path / "production.sqlite3"
    result = manage(
        *args,
        url=f"sqlite:///{database}",
        settings="project.settings",
        DEBUG="False",
        SECRET_KEY="not-a-secret-" * 4,
        SEEDING_ALLOW_PRODUCTION="1",
    )
    assert result.returncode == 1
    assert "--allow-production" in result.stderr
    assert not database.exists()


# Secrets


SECRET = "Quartz-Fennel-7731-Harbour"


@pytest.mark.parametrize("source", ["setting", "environment"])
def test_seed_password_appears_in_no_output_log_or_report(
    settings, monkeypatch, caplog, capfd, source
):
    """SEED_PASSWORD is in no output, log record or report of a -v 3 run."""
    if source == "setting":
        settings.SEEDING = {**settings.SEEDING, "PASSWORD": SECRET}
        monkeypatch.delenv("SEED_PASSWORD", raising=False)
    else:
        settings.SEEDING = {**settings.SEEDING, "PASSWORD": None}
        monkeypatch.setenv("SEED_PASSWORD", SECRET)
    # DEBUG logs every SQL statement with its parameters.
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    out, err = StringIO(), StringIO()
    args = "seed --seed 1 --scale 0.05 --superuser superuser --no-migrate".split()
    call_command(*args, verbosity=3, stdout=out, stderr=err)
    for format in ("text", "json"):
        report = ("seed_report", "--format", format)
        call_command(*report, verbosity=3, stdout=out, stderr=err)
    captured = capfd.readouterr()
    everything = (
        out.getvalue() + err.getvalue() + captured.out + captured.err + caplog.text
    )
    # The password was in use, and the output and the log were captured.
    assert get_user_model().objects.get(username="superuser").check_password(SECRET)
    assert "Created superuser" in everything and "INSERT INTO" in everything
    assert SECRET not in everything


def test_a_malformed_password_setting_is_not_echoed(settings):
    """A password setting of the wrong type is refused without showing it."""
    settings.SEEDING = {"PRODUCTION": False, "PASSWORD": 77318842}
    with pytest.raises(CommandError) as error:
        call_command("seed", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    assert "PASSWORD" in str(error.value) and "77318842" not in str(error.value)


def test_a_password_failing_the_validators_is_warned_about(settings):
    """A password the project's validators reject gets a warning saying why."""
    settings.SEEDING = {"PRODUCTION": False, "PASSWORD": "123"}
    out, err = StringIO(), StringIO()
    args = "seed --seed 1 --only corpus.Tag --count corpus.Tag=2 --no-migrate"
    call_command(*args.split(), stdout=out, stderr=err)
    assert "This password is too short" in out.getvalue() + err.getvalue()


# Bad input; option and setting errors are in test_seed_command.py, and
# --graph into a missing folder in test_report.py.


UNREACHABLE_COMMANDS = {
    "seed": ("seed", "--only", "corpus.Tag"),
    "purge": ("purge", "--no-input"),
    "seed_report": ("seed_report",),
}


@functools.cache
def unreachable(command):
    """The outcome of ``command`` against a closed port, run once."""
    return manage(*UNREACHABLE_COMMANDS[command], url=UNREACHABLE)


@pytest.mark.parametrize("command", UNREACHABLE_COMMANDS)
def test_an_unreachable_database_is_a_command_error_without_traceback(command):
    """A database nobody listens for is a CommandError and exit status 1."""
    result = unreachable(command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: ")




@pytest.mark.parametrize(
    "command",
    [
        "seed",
        "purge",
        "seed_report",
    ],
)
def test_an_unreachable_database_error_is_one_line(command):
    """The CommandError for an unreachable database fits on one line."""
    assert len(unreachable(command).stderr.strip().splitlines()) == 1


def test_no_migrate_on_a_database_without_tables_says_to_migrate(tmp_path):
    """--no-migrate on an empty database says to run without it."""
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = manage(*"seed --no-migrate --only corpus.Tag".split(), url=empty)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Run without --no-migrate" in result.stderr


def test_a_seeds_module_failing_to_import_is_named(scratch, app_with_seeds):
    """A seeds.py raising on import is named by its path, without traceback."""
    folder = app_with_seeds('raise RuntimeError("cannot load")\n')
    result = manage(
        *"seed --strict --no-migrate --only corpus.Tag".split(),
        url=scratch.url,
        settings="reliability_settings",
        pythonpath=folder,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(folder / "reliability_extra" / "seeds.py") in result.stderr
    assert "cannot load" in result.stderr


class TagSeed(seeding.Seed):
    count = 3


@pytest.mark.parametrize("command", ["seed", "seed_report"])
def test_a_seed_for_a_model_that_is_not_installed_is_named(monkeypatch, command):
    """A seed for a model that is not installed is an error naming both."""
    register(monkeypatch, "nope.Model", TagSeed)
    args = ("--no-migrate", "--only", "corpus.Tag") if command == "seed" else ()
    with pytest.raises(
        CommandError, match=rf"{__name__} registers a seed for nope\.Model"
    ):
        call_command(command, *args, verbosity=0, stdout=StringIO())
