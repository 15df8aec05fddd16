"""
purge keeps what was there before the first seed: the rows data migrations
create (a root page, a default site, an initial admin), which the
application needs and ``migrate`` does not bring back.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from seeding.models import Baseline
from project.resources.models import Room
from tests.realshapes.models import Dosage, MenuItem
from tests.shapes.models import Category

pytestmark = pytest.mark.django_db(transaction=True)

modes = pytest.mark.parametrize("truncate", [False, True], ids=["delete", "truncate"])


@pytest.fixture(autouse=True)
def not_production(settings):
    settings.SEEDING = {**settings.SEEDING, "PRODUCTION": False}


@pytest.fixture
def migrated_rows():
    """Rows as a data migration leaves them, one pointing at the other."""
    # MySQL commits at each TRUNCATE, so an earlier test's record of these
    # tables may have outlived its transaction: this database is unseeded.
    Baseline.objects.all().delete()
    home = Dosage.objects.create(amount=Decimal("1.50"), unit="ng/mL")
    MenuItem.objects.create(title="Home", page=home, kind="page")
    return snapshot()


def snapshot():
    return {model: list(model.objects.order_by("pk").values()) for model in (Dosage, MenuItem)}


def seed(*args):
    call_command("seed", "--seed", "4", "--no-migrate", "--noinput", "--only", "realshapes", *args, stdout=StringIO())


def purge(truncate):
    call_command("purge", "--noinput", *(["--truncate"] if truncate else []), stdout=StringIO())


@modes
def test_purge_leaves_what_the_database_held_before_the_first_seed(migrated_rows, truncate):
    seed()
    assert Dosage.objects.count() > 1
    purge(truncate)
    assert snapshot() == migrated_rows


@modes
def test_later_seeds_and_fresh_seeds_leave_it_too(migrated_rows, truncate):
    seed()
    seed()
    seed("--fresh")
    assert Dosage.objects.filter(pk=migrated_rows[Dosage][0]["id"]).exists()
    purge(truncate)
    assert snapshot() == migrated_rows
    purge(truncate)
    assert snapshot() == migrated_rows


def test_truncate_restarts_ids_after_the_rows_it_keeps(migrated_rows):
    seed()
    purge(truncate=True)
    kept = migrated_rows[Dosage][-1]["id"]
    assert Dosage.objects.create(amount=1).pk == kept + 1


def test_with_no_seed_yet_purge_empties_the_tables(migrated_rows):
    """Nothing was recorded: every row is one purge may delete."""
    purge(truncate=False)
    assert snapshot() == {Dosage: [], MenuItem: []}


@modes
def test_a_kept_row_may_point_into_a_table_that_purge_empties(truncate):
    MenuItem.objects.create(title="Blog", url="https://example.com/", kind="external")
    before = snapshot()
    seed()
    purge(truncate)
    assert snapshot() == before


def test_a_first_seed_with_fresh_keeps_what_was_there(migrated_rows):
    seed("--fresh")
    purge(truncate=False)
    assert snapshot() == migrated_rows


def test_the_prompt_counts_only_the_rows_that_go(migrated_rows, monkeypatch):
    seed()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    call_command("purge", "--only", "realshapes", stdout=StringIO())
    existing = connection.introspection.table_names()
    models = apps.get_app_config("realshapes").get_models()
    seeded = sum(m.objects.count() for m in models if m._meta.db_table in existing) - 2
    assert f"DESTROY {seeded} rows" in asked[0]


@modes
def test_rows_kept_in_a_child_table_whose_key_is_its_parents(truncate):
    """A multi-table child's primary key is a one-to-one key to its parent."""
    room = Room.objects.create(name="Hall", location="Main building", capacity=300)
    call_command("seed", "--seed", "4", "--no-migrate", "--only", "resources.Room", stdout=StringIO())
    assert Room.objects.count() > 1
    purge(truncate)
    assert list(Room.objects.values_list("pk", "name")) == [(room.pk, "Hall")]


@modes
def test_kept_rows_of_a_table_whose_rows_point_at_each_other(truncate):
    """A tree under a migration's root: MySQL checks each deleted row's
    children unless told not to, and TRUNCATE's own statements turn the
    checks back on."""
    root = Category.add_root(name="Root")
    call_command(
        "seed", "--seed", "4", "--no-migrate", "--only", "shapes.Category",
        "--count", "shapes.Category=30", stdout=StringIO(),
    )
    assert Category.objects.filter(parent__isnull=False).exclude(parent=root).exists()
    purge(truncate)
    assert list(Category.objects.values_list("pk", flat=True)) == [root.pk]
