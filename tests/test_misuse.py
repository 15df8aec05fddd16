"""
A hostile new user's second round: options that were ignored, settings that
turned guards off, mistakes in seed modules that passed silently, and errors
that escaped as tracebacks. Each command ends with the right data or a
one-line error, a non-zero exit status and the database unchanged.
"""

import contextlib
import io
import signal
import subprocess
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from model_bakery.recipe import Recipe

import seeding
from seeding import registry
from seeding.exceptions import AlreadyRegistered
from seeding.introspection import all_models, count_rows, stored_on
from tests.corpus.models import Author, Book, Comment, StockLine, Tag
from tests.test_reliability import (  # noqa: F401 (scratch is a fixture)
    ROOT,
    UNREACHABLE,
    app_with_seeds,
    command_line,
    environment,
    manage,
    register,
    scratch,
    start,
    wait_for_line,
)

pytestmark = pytest.mark.django_db


def seed(*args, **options):
    """Run seed without migrating; return its output."""
    out = io.StringIO()
    call_command("seed", "--no-migrate", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


# Settings that replaced or switched off what they should add to


def test_reuse_adds_to_the_framework_list_instead_of_replacing_it(settings):
    """With REUSE naming one more model, content types are still reused."""
    settings.SEEDING = {"PRODUCTION": False, "REUSE": ["corpus.Tag"]}
    plan = seed("--plan", "-e", "shapes")
    assert "contenttypes.ContentType" not in plan
    assert "auth.Permission " not in plan
    assert "corpus.Tag " not in plan


def test_skip_adds_to_the_framework_list_instead_of_replacing_it(settings):
    """With SKIP naming one more model, sessions are still left alone."""
    settings.SEEDING = {"PRODUCTION": False, "SKIP": ["corpus.Tag"]}
    plan = seed("--plan", "-e", "shapes")
    assert "sessions.Session" not in plan
    assert "corpus.Tag " not in plan


def test_purge_keeps_content_types_when_reuse_names_one_more_model(settings):
    settings.SEEDING = {"PRODUCTION": False, "REUSE": ["corpus.Tag"]}
    call_command("purge", "--no-input", verbosity=0)
    assert ContentType.objects.exists()


@pytest.mark.parametrize("key", ["REUSE", "SKIP"])
def test_an_unknown_label_in_reuse_or_skip_is_an_error(settings, key):
    settings.SEEDING = {"PRODUCTION": False, key: ["corpus.Nope"]}
    with pytest.raises(CommandError, match=rf"SEEDING\['{key}'\].*corpus\.Nope"):
        seed("--plan", "--only", "corpus.Tag")


@pytest.mark.parametrize("count", [True, -1, 2.5])
def test_a_count_that_is_not_a_whole_number_of_rows_is_refused(settings, count):
    """COUNTS takes whole numbers of zero or more: True is not one row."""
    settings.SEEDING = {"PRODUCTION": False, "COUNTS": {"corpus.Tag": count}}
    with pytest.raises(CommandError, match=r"SEEDING\['COUNTS'\]"):
        seed("--plan", "--only", "corpus.Tag")


def test_an_unknown_locale_is_refused_before_planning(settings):
    settings.SEEDING = {"PRODUCTION": False, "LOCALE": "xx_YY"}
    with pytest.raises(CommandError, match=r"SEEDING\['LOCALE'\].*xx_YY"):
        seed("--plan", "--only", "corpus.Tag")


def test_an_unknown_alias_in_production_is_an_error(settings):
    """A mistyped alias would otherwise turn the DEBUG-off guard off."""
    settings.SEEDING = {"PRODUCTION": ["defualt"]}
    with pytest.raises(CommandError, match=r"PRODUCTION.*'defualt'.*DATABASES"):
        seed("--only", "corpus.Tag")
    assert not Tag.objects.exists()


def test_production_asks_for_database_aliases_not_app_labels(settings):
    settings.SEEDING = {"PRODUCTION": [3]}
    with pytest.raises(CommandError, match="database aliases") as caught:
        seed("--only", "corpus.Tag")
    assert "app_label" not in str(caught.value)


def test_a_plan_which_writes_nothing_runs_on_production(settings):
    settings.SEEDING = {"PRODUCTION": True}
    assert "The plan can run." in seed("--plan", "--only", "corpus.Tag")


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_the_lock_timeout_is_a_positive_number_of_seconds(settings, timeout):
    settings.SEEDING = {"PRODUCTION": False, "LOCK_TIMEOUT": timeout}
    with pytest.raises(CommandError, match=r"SEEDING\['LOCK_TIMEOUT'\]"):
        seed("--plan", "--only", "corpus.Tag")


# --count and COUNTS against seed modules whose rows() decides


class ThreeTags(seeding.Seed):
    def rows(self, ctx):
        for slug in ("one", "two", "three"):
            yield {"slug": slug}


class CountedTags(seeding.Seed):
    counted = True

    def rows(self, ctx):
        for n in range(ctx.count if ctx.count is not None else 3):
            yield {"slug": f"tag-{n}"}


class MiscountedTags(CountedTags):
    def rows(self, ctx):
        yield from super().rows(ctx)
        yield {"slug": "one-more"}


def test_a_count_for_rows_that_ignore_it_is_refused_by_the_plan(monkeypatch):
    """--plan would print 5 rows where rows() writes 3: the plan refuses,
    naming the seed module."""
    register(monkeypatch, "corpus.Tag", ThreeTags)
    with pytest.raises(CommandError, match="cannot run"):
        seed("--plan", "--only", "corpus.Tag", "--count", "corpus.Tag=5")
    with pytest.raises(CommandError, match=rf"corpus\.Tag.*{__name__}.*rows\(\)"):
        seed("--only", "corpus.Tag", "--count", "corpus.Tag=5")
    assert not Tag.objects.exists()


def test_a_counts_setting_for_rows_that_ignore_it_is_refused(monkeypatch, settings):
    register(monkeypatch, "corpus.Tag", ThreeTags)
    settings.SEEDING = {"PRODUCTION": False, "COUNTS": {"corpus.Tag": 5}}
    with pytest.raises(CommandError, match=rf"corpus\.Tag.*{__name__}"):
        seed("--only", "corpus.Tag")


def test_rows_that_take_the_count_write_what_the_plan_prints(monkeypatch):
    register(monkeypatch, "corpus.Tag", CountedTags)
    plan = seed("--plan", "--only", "corpus.Tag", "--count", "corpus.Tag=5")
    assert "5 rows" in plan
    seed("--only", "corpus.Tag", "--count", "corpus.Tag=5")
    assert Tag.objects.count() == 5


def test_rows_that_miscount_fail_and_write_nothing(monkeypatch):
    """A seed module promising the count but yielding more is named."""
    register(monkeypatch, "corpus.Tag", MiscountedTags)
    with pytest.raises(CommandError, match=rf"{__name__}.*6 rows.*5"):
        seed("--only", "corpus.Tag", "--count", "corpus.Tag=5")
    assert not Tag.objects.exists()


def test_the_demo_refuses_a_count_its_students_seed_module_ignores():
    with pytest.raises(CommandError, match="cannot run"):
        seed("--plan", "--count", "school.Student=800")


# Seed-module mistakes that passed silently


def test_a_second_registration_for_one_model_is_refused():
    seeds = registry.SeedRegistry()
    first = type("FirstTagSeed", (seeding.Seed,), {})
    second = type("SecondTagSeed", (seeding.Seed,), {})
    seeding.register(Tag, registry=seeds)(first)
    with pytest.raises(AlreadyRegistered, match=r"SecondTagSeed registers a seed for corpus\.Tag.*FirstTagSeed"):
        seeding.register("corpus.Tag", registry=seeds)(second)


TWICE = """
    import seeding


    @seeding.register("corpus.Tag")
    class TagSeed(seeding.Seed):
        count = 1


    @seeding.register("corpus.Tag")
    class OtherTagSeed(seeding.Seed):
        count = 2
"""


def test_a_seeds_module_registering_a_model_twice_is_named(scratch, app_with_seeds):
    folder = app_with_seeds(TWICE)
    args = "seed --no-migrate --only corpus.Tag".split()
    result = manage(*args, url=scratch.url, settings="reliability_settings", pythonpath=folder)
    assert one_line_error(result), result.stderr
    assert "reliability_extra/seeds.py" in result.stderr
    assert "OtherTagSeed registers a seed for corpus.Tag" in result.stderr


class MisspelledRecipe(seeding.Seed):
    count = 2
    recipe = Recipe(Tag, slugg="fixed")


class TextInAnInteger(seeding.Seed):
    count = 2
    recipe = Recipe(StockLine, quantity="many")


@pytest.mark.parametrize(
    "label, seed_class, field",
    [("corpus.Tag", MisspelledRecipe, "slugg"), ("corpus.StockLine", TextInAnInteger, "quantity")],
    ids=["unknown-field", "wrong-type"],
)
def test_a_recipe_mistake_is_a_plan_problem_naming_module_and_field(
    monkeypatch, label, seed_class, field
):
    register(monkeypatch, label, seed_class)
    with pytest.raises(CommandError, match=rf"{label}\.{field}: the recipe of {__name__}"):
        seed("--only", label)
    assert not Tag.objects.exists() and not StockLine.objects.exists()


# Plans that said "The plan can run" for runs that then failed


class BooksOfAuthors(seeding.Seed):
    def rows(self, ctx):
        for author in Author.objects.using(ctx.using):
            yield {"title": "A", "author": author, "isbn": str(author.pk)}


def test_rows_needing_an_excluded_empty_table_are_a_plan_problem(monkeypatch):
    register(monkeypatch, "corpus.Book", BooksOfAuthors)
    with pytest.raises(CommandError, match=r"cannot run"):
        seed("--plan", "--strict", "--only", "corpus.Book", "-e", "corpus.Author")
    assert not Book.objects.exists()


@pytest.mark.parametrize(
    "args, setting",
    [
        (("-e", "school"), {}),
        (("-e", "school.Student"), {}),
        ((), {"REUSE": ["school.User"]}),
        ((), {"SKIP": ["school.User"]}),
    ],
    ids=["exclude-app", "exclude-model", "reuse-users", "skip-users"],
)
def test_the_demo_plan_refuses_what_would_fail(settings, args, setting):
    settings.SEEDING = {"PRODUCTION": False, **setting}
    with pytest.raises(CommandError, match="cannot run"):
        seed("--plan", "--strict", "-e", "shapes", *args)


# Messages that disagreed with the database


def test_a_capacity_message_counts_the_rows_already_there():
    seed("--only", "corpus.Membership", "--count", "corpus.Author=2",
         "--count", "corpus.Club=2", "--count", "corpus.Membership=3")
    with pytest.raises(CommandError, match="allows 4 rows, 3 of them there already"):
        seed("--strict", "--only", "corpus.Membership", "--count", "corpus.Membership=3")


class TagsThatMustNotRun(seeding.Seed):
    count = 1

    def rows(self, ctx):
        raise AssertionError("seeded before the password was checked")


def test_a_superuser_without_password_is_refused_before_seeding(monkeypatch, settings):
    monkeypatch.delenv("SEED_PASSWORD", raising=False)
    settings.SEEDING = {"PRODUCTION": False}
    register(monkeypatch, "corpus.Tag", TagsThatMustNotRun)
    with pytest.raises(CommandError, match="--superuser needs SEED_PASSWORD"):
        seed("--only", "corpus.Tag", "--superuser", "admin")


def all_rows():
    models = [m for m in all_models() if stored_on("default", m)]
    return sum({m._meta.db_table: n for m, n in count_rows("default", models).items()}.values())


def test_the_seeded_total_counts_the_rows_of_inherited_tables():
    """Each Pizzeria is a row of three tables; the total says so, as purge does."""
    before = all_rows()
    output = seed("--only", "corpus.Pizzeria", "--count", "corpus.Pizzeria=3",
                  "--count", "corpus.Restaurant=0", "--count", "corpus.Place=0")
    assert f"Seeded {all_rows() - before:,} rows" in output


def test_purge_counts_have_thousands_separators():
    seed("--only", "corpus.Tag", "--count", "corpus.Tag=1500")
    out = io.StringIO()
    call_command("purge", "--no-input", "--only", "corpus.Tag", "-v", "2", stdout=out)
    assert "Purged 1,500 rows" in out.getvalue()
    assert "corpus_tag: 1,500 rows" in out.getvalue()


# Generic keys followed by purge as foreign keys are


def comment_on(target):
    content_type = ContentType.objects.get_for_model(target)
    return Comment.objects.create(content_type=content_type, object_id=target.pk, body="b")


def test_purge_empties_a_table_whose_generic_keys_point_into_it():
    """Comments about tags would point at nothing once the tags are gone."""
    comment_on(Tag.objects.create(slug="gone"))
    call_command("purge", "--no-input", "--only", "corpus.Tag", verbosity=0)
    assert not Comment.objects.exists()


def test_purge_keeps_a_generic_table_whose_keys_point_elsewhere():
    Tag.objects.create(slug="gone")
    comment_on(Author.objects.create(name="A", email="a@example.com"))
    call_command("purge", "--no-input", "--only", "corpus.Tag", verbosity=0)
    assert Comment.objects.count() == 1


def test_purge_refuses_to_keep_generic_keys_into_what_it_empties():
    tag = Tag.objects.create(slug="kept")
    comment_on(tag)
    with pytest.raises(CommandError, match=r"Cannot keep corpus\.Comment"):
        call_command("purge", "--no-input", "--only", "corpus.Tag", "-e", "corpus.Comment")
    assert Tag.objects.filter(pk=tag.pk).exists()


# Errors that escaped as tracebacks


def one_line_error(result):
    """Whether ``result`` ended in a one-line CommandError, non-zero."""
    lines = result.stderr.strip().splitlines()
    errors = [n for n, line in enumerate(lines) if line.startswith("CommandError: ")]
    return (
        result.returncode not in (0, None)
        and "Traceback" not in result.stderr
        and errors == [len(lines) - 1]
    )


@pytest.mark.parametrize(
    "args, url, says",
    [
        ("seed --no-migrate", UNREACHABLE, "127.0.0.1"),
        ("seed", "mysql://root@127.0.0.1:3306/", "names no database"),
        ("seed --plan", "postgres://", "names no database"),
        ("seed --plan", "notaurl", "not a database URL"),
    ],
    ids=["unreachable-no-migrate", "mysql-without-name", "postgres-bare", "not-a-url"],
)
def test_a_bad_database_url_is_a_one_line_error(args, url, says):
    result = manage(*args.split(), "--only", "corpus.Tag", url=url)
    assert one_line_error(result), result.stderr
    assert says in result.stderr


def test_a_database_url_error_does_not_echo_the_password():
    result = manage("seed", url="postgres://user:s3cr3t-pw@127.0.0.1:5432/")
    assert one_line_error(result), result.stderr
    assert "s3cr3t-pw" not in result.stderr


@pytest.mark.parametrize("now", ["0001-01-01", "9999-12-31"])
def test_a_moment_too_far_out_for_dates_to_lead_up_to_is_refused(settings, now):
    settings.SEEDING = {"PRODUCTION": False, "NOW": now}
    with pytest.raises(CommandError, match=r"SEEDING\['NOW'\]"):
        seed("--only", "corpus.Tag")


@pytest.fixture
def tags(scratch):
    """The scratch database holding 30 tags."""
    result = manage(*"seed --no-migrate --only corpus.Tag --count corpus.Tag=30".split(), url=scratch.url)
    assert result.returncode == 0, result.stderr
    yield scratch
    manage("purge", "--no-input", "--only", "corpus.Tag", url=scratch.url)


READ_ONLY = {
    "sqlite": {"init_command": "PRAGMA query_only = ON"},
    "postgresql": {"options": "-c default_transaction_read_only=on"},
    "mysql": {"init_command": "SET SESSION TRANSACTION READ ONLY"},
}
STATEMENT_TIMEOUT = {
    "postgresql": {"options": "-c statement_timeout=1"},
    "mysql": {"init_command": "SET SESSION max_statement_time = 0.001"},  # MariaDB
}


def settings_with_options(tmp_path, options):
    (tmp_path / "options_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        "from tests.settings import DATABASES\n\n"
        f"DATABASES['default'].setdefault('OPTIONS', {{}}).update({options!r})\n"
    )
    return tmp_path


@pytest.mark.parametrize("session", [READ_ONLY, STATEMENT_TIMEOUT], ids=["read-only", "statement-timeout"])
def test_a_fresh_seed_the_database_refuses_is_a_one_line_error(tags, tmp_path, session):
    if tags.vendor not in session:
        pytest.skip(f"no such session setting on {tags.vendor}")
    before = tags.counts()
    folder = settings_with_options(tmp_path, session[tags.vendor])
    # Enough rows that some statement surely outlasts a one-millisecond limit.
    args = "seed --fresh --no-input --no-migrate --only corpus.Tag --count corpus.Tag=20000"
    result = manage(*args.split(), url=tags.url, settings="options_settings", pythonpath=folder)
    assert one_line_error(result), result.stderr
    assert tags.counts() == before


def test_ctrl_c_says_nothing_was_written_and_writes_nothing(scratch):
    before = scratch.counts()
    args = "seed --no-migrate --seed 2 --only corpus.Book --count corpus.Book=200000 -v 2"
    process = start(*args.split(), url=scratch.url)
    try:
        # The first step's line: seconds of books and their tags are to come.
        written = wait_for_line(process, "  corpus.Author ")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert written
    assert process.returncode not in (0, None)
    assert stderr.strip().splitlines()[-1] == "CommandError: Interrupted: nothing was written."
    assert "Traceback" not in stderr
    assert scratch.counts() == before


@pytest.mark.parametrize("args", ["purge", "seed --fresh --no-migrate --only corpus.Tag"])
def test_end_of_input_at_a_prompt_answers_no(tags, args):
    before = tags.counts()
    result = subprocess.run(
        command_line(args.split(), "tests.settings"),
        cwd=ROOT, env=environment(tags.url), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=180,
    )
    assert "Traceback" not in result.stderr
    assert "cancelled" in result.stdout + result.stderr
    assert tags.counts() == before


# A table locked by another session


@contextlib.contextmanager
def table_locked(scratch, table):
    """Hold a lock on ``table`` of ``scratch`` from another session: a
    table lock on the servers, the write lock of the file on SQLite."""
    wrapper = scratch.connect()
    try:
        with wrapper.cursor() as cursor:
            if scratch.vendor == "postgresql":
                cursor.execute("BEGIN")
                cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            elif scratch.vendor == "mysql":
                cursor.execute(f"LOCK TABLES {table} WRITE")
            else:
                cursor.execute("BEGIN IMMEDIATE")
        yield
    finally:
        wrapper.close()


def test_a_locked_table_fails_after_the_lock_timeout_naming_it(scratch, tmp_path):
    (tmp_path / "timeout_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        "from tests.settings import SEEDING\n\n"
        "SEEDING = {**SEEDING, 'LOCK_TIMEOUT': 1}\n"
    )
    before = scratch.counts()
    args = "seed --no-migrate --only corpus.Tag --count corpus.Tag=10"
    with table_locked(scratch, "corpus_tag"):
        started = time.monotonic()
        result = manage(*args.split(), url=scratch.url, settings="timeout_settings", pythonpath=tmp_path)
        waited = time.monotonic() - started
    assert one_line_error(result), result.stderr
    assert waited < 30
    assert "1 second" in result.stderr
    if scratch.vendor == "sqlite":
        assert "seed module" not in result.stderr and "locked" in result.stderr
    else:
        assert "corpus_tag" in result.stderr
    assert scratch.counts() == before


def test_a_plan_that_cannot_run_is_a_one_line_error_pointing_at_plan():
    with pytest.raises(CommandError) as caught:
        seed("--strict", "-e", "school", "-e", "shapes")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("The plan cannot run: ") and "--plan lists them" in message


class DriverMessage(seeding.Seed):
    count = 1

    def rows(self, ctx):
        raise RuntimeError("first line\nCONTEXT: second line")


def test_an_error_message_over_several_lines_is_put_on_one(monkeypatch):
    register(monkeypatch, "corpus.Tag", DriverMessage)
    with pytest.raises(CommandError) as caught:
        seed("--strict", "--only", "corpus.Tag")
    assert "first line CONTEXT: second line" in str(caught.value)
