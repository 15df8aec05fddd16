"""The seed command: determinism, re-runs, selection, plans and bad input."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.core.management.base import CommandError

import seeding
from seeding import registry
from seeding.engine import PAGE_CACHE, Run
from seeding.exceptions import SeedFailed
from seeding.taken import Taken
from tests.corpus import models as corpus

pytestmark = pytest.mark.django_db


def dump(*labels):
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out, indent=None)
    return json.loads(out.getvalue())


def seeded_twice(between=lambda: None):
    """The corpus's dumps after two runs with seed 11 on an emptied database,
    ``between()`` called between them."""
    call_command("seed", "--seed", "11", "--only", "corpus", "--no-migrate", verbosity=0)
    first = dump("corpus")
    # purge keeps content types, which generic keys point at; flush would
    # recreate them with other ids.
    call_command("purge", "--only", "corpus", "--truncate", "--noinput", verbosity=0)
    between()
    call_command("seed", "--seed", "11", "--only", "corpus", "--no-migrate", verbosity=0)
    return first, dump("corpus")


@pytest.mark.django_db(transaction=True)
def test_same_seed_on_an_empty_database_gives_identical_data():
    """Two runs with one seed dump byte for byte the same."""
    first, second = seeded_twice()
    assert second == first


@pytest.mark.django_db(transaction=True)
def test_different_seeds_give_different_data():
    """Another seed number gives other values."""
    call_command("seed", "--seed", "11", "--only", "corpus.Author", "--no-migrate", verbosity=0)
    first = dump("corpus.Author")
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed", "--seed", "12", "--only", "corpus.Author", "--no-migrate", verbosity=0)
    assert dump("corpus.Author") != first


def test_top_up_reaches_the_count_and_then_changes_nothing():
    """--top-up fills up to the count; a second run adds no row."""
    args = ("seed", "--seed", "1", "--only", "corpus.Tag", "--count", "corpus.Tag=15", "--top-up", "--no-migrate")
    call_command(*args, verbosity=0)
    assert corpus.Tag.objects.count() == 15
    call_command(*args, verbosity=0)
    assert corpus.Tag.objects.count() == 15


def test_a_second_seed_adds_rows_and_links_them_to_existing_parents():
    """Seeding a seeded database adds rows without breaking unique rules."""
    for seed in ("1", "2"):
        call_command("seed", "--seed", seed, "--only", "corpus.Book", "--no-migrate", verbosity=0)
    assert corpus.Book.objects.count() == 40
    isbns = list(corpus.Book.objects.values_list("isbn", flat=True))
    assert len(isbns) == len(set(isbns))


def test_only_seeds_the_dependencies_a_model_needs():
    """--only corpus.Book seeds authors too, since a book needs one."""
    call_command("seed", "--seed", "1", "--only", "corpus.Book", "--no-migrate", verbosity=0)
    assert corpus.Author.objects.exists()
    assert not corpus.Club.objects.exists()


def test_plan_writes_nothing_and_lists_the_order():
    """--plan prints the ordered plan and leaves the database alone."""
    out = io.StringIO()
    call_command("seed", "--plan", "--seed", "1", "--only", "corpus", stdout=out)
    text = out.getvalue()
    assert text.index("corpus.Author") < text.index("corpus.Book ")
    assert "cycle broken at corpus.Hen.hatched_from -> corpus.Egg" in text
    assert not corpus.Author.objects.exists()


def test_infeasible_count_stops_before_writing():
    """More one-to-one children than parents is a plan problem, not a crash."""
    with pytest.raises(CommandError, match="one-to-one"):
        call_command(
            "seed", "--strict", "--only", "corpus.Passport", "--count", "corpus.Author=5",
            "--count", "corpus.Passport=9", "--no-migrate", verbosity=0,
        )
    assert not corpus.Author.objects.exists()


class Exploding(seeding.Seed):
    def rows(self, ctx):
        yield {"slug": "first"}
        raise RuntimeError("the recipe broke")


def test_a_failing_seed_module_rolls_everything_back(monkeypatch):
    """An error mid-run leaves the database as it was and names the module."""
    seeds = {**registry.site._registry, "corpus.Tag": (Exploding, "tests.test_seed_command")}
    # Replace the whole dict: autodiscovery swaps in copies of it, which a
    # setitem would leak into.
    monkeypatch.setattr(registry.site, "_registry", seeds)
    with pytest.raises(CommandError) as error:
        call_command("seed", "--strict", "--only", "corpus.Author", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    assert "corpus.Tag" in str(error.value) and "tests.test_seed_command" in str(error.value)
    assert not corpus.Author.objects.exists() and not corpus.Tag.objects.exists()


class TagRecipe(seeding.Seed):
    count = 3

    @property
    def recipe(self):
        from model_bakery.recipe import Recipe, seq

        return Recipe(corpus.Tag, slug=seq("topic-"))


def test_recipe_values_win_over_the_engine(monkeypatch):
    """A recipe's seq() decides the slugs; the count comes from the Seed."""
    seeds = {**registry.site._registry, "corpus.Tag": (TagRecipe, "tests.test_seed_command")}
    monkeypatch.setattr(registry.site, "_registry", seeds)
    call_command("seed", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    assert sorted(corpus.Tag.objects.values_list("slug", flat=True)) == ["topic-1", "topic-2", "topic-3"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--only", "nosuchapp"], "nosuchapp"),
        (["--only", "corpus.Nope"], "corpus.Nope"),
        (["--count", "corpus.Tag"], "app_label.Model=N"),
        (["--count", "corpus.Tag=many"], "not a whole number"),
        (["--count", "corpus.Tag=-1"], "must not be negative"),
        (["--count", "corpus.Tag=999999999999"], "is not a seed"),
        (["--scale", "0"], "--scale"),
        (["--scale", "-2"], "--scale"),
        (["--database", "nowhere"], "Unknown database 'nowhere'"),
    ],
)
def test_bad_input_is_a_one_line_command_error(arguments, message):
    """Each malformed option names the problem and writes nothing."""
    with pytest.raises(CommandError, match=message):
        call_command("seed", "--no-migrate", *arguments, verbosity=0)
    assert not corpus.Tag.objects.exists()


@pytest.mark.parametrize(
    "setting, message",
    [
        ([], "SEEDING must be a dict"),
        ({"COUNTS": {"corpus.Tag": "ten"}}, "COUNTS"),
        ({"COUNTS": {"corpus.Nope": 1}}, "corpus.Nope"),
        ({"DEFAULT_COUNT": True}, "DEFAULT_COUNT"),
        ({"OPTIONAL_RATIO": 2}, "between 0 and 1"),
        ({"COLOUR": "blue"}, "Unknown SEEDING key"),
    ],
)
def test_malformed_seeding_setting_is_a_command_error(settings, setting, message):
    """Every SEEDING key is validated before anything runs."""
    settings.SEEDING = {"PRODUCTION": False, **setting} if isinstance(setting, dict) else setting
    with pytest.raises(CommandError, match=message):
        call_command("seed", "--no-migrate", "--only", "corpus.Tag", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_unique_rules_kept_on_disk_give_the_same_data(monkeypatch, settings):
    """Past its memory limit a unique rule's combinations move to disk, and
    the rows drawn against them are the same."""
    # They move between batches: several batches per step.
    settings.SEEDING = {**settings.SEEDING, "BATCH_SIZE": 4}
    spills = []
    spill = Taken._spill

    def small_limit():
        monkeypatch.setattr("seeding.taken.LIMIT", 3)
        monkeypatch.setattr(Taken, "_spill", lambda taken: spills.append(spill(taken)))

    first, second = seeded_twice(small_limit)
    assert spills
    assert second == first


@pytest.mark.django_db(transaction=True)
def test_packed_key_pools_give_the_same_data(monkeypatch):
    """Pools of integers and UUIDs, packed once they are large, hand out the
    same keys as lists of objects."""
    first, second = seeded_twice(
        lambda: monkeypatch.setattr("seeding.keys.PACKED_FROM", 1)
    )
    assert second == first


def test_a_second_seed_keeps_unique_pairs_when_the_first_run_s_are_on_disk(monkeypatch):
    """The combinations of earlier runs' rows, loaded past the memory limit,
    still bind the new rows."""
    monkeypatch.setattr("seeding.taken.LIMIT", 3)
    args = ("seed", "--only", "corpus.Membership", "--count", "corpus.Membership=30", "--no-migrate")
    for seed in ("1", "2"):
        call_command(*args, "--seed", seed, verbosity=0)
    pairs = list(corpus.Membership.objects.values_list("person", "club"))
    assert len(pairs) == 60
    assert len(pairs) == len(set(pairs))


def cache_size():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_a_run_has_a_larger_sqlite_page_cache_and_gives_it_back(monkeypatch):
    """Inserts reread index pages less with a larger cache; the connection
    has its own size again once the run is over."""
    before = cache_size()
    during = []
    execute = Run.execute
    monkeypatch.setattr(Run, "execute", lambda run: during.append(cache_size()) or execute(run))
    call_command("seed", "--seed", "1", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    assert during == [-PAGE_CACHE]
    assert cache_size() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_a_run_that_breaks_its_transaction_reports_its_own_error(monkeypatch):
    """Giving the page cache back waits for the rollback, so the error that
    broke the transaction is the one reported."""

    def broken(run):
        connection.needs_rollback = True
        raise SeedFailed("the seed module broke the transaction")

    monkeypatch.setattr(Run, "execute", broken)
    with pytest.raises(CommandError, match="broke the transaction"):
        call_command("seed", "--seed", "1", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
