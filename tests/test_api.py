"""seeding.seed() and seeding.purge(): what the commands do, as Python calls."""

import contextlib

import pytest
from django.db import connection

import seeding
from seeding import api
from seeding.exceptions import Cancelled, ConfigurationError, ProductionDatabase, SeedFailed
from tests.corpus import models as corpus

pytestmark = pytest.mark.django_db


def test_seed_returns_the_rows_it_inserted_and_the_seed_it_used():
    """seed() reports {model: rows} and its seed, and the rows are there."""
    result = seeding.seed("default", seed=5, only=["corpus.Tag"], counts={"corpus.Tag": 7})
    assert result.seed == 5
    assert result.inserted == {corpus.Tag: 7}
    assert corpus.Tag.objects.count() == 7


def test_seed_with_one_seed_gives_the_same_rows_as_the_command():
    """seed() and `manage.py seed` draw the same data for the same seed."""
    from django.core.management import call_command

    call_command("seed", "--seed", "4", "--only", "corpus.Tag", "--no-migrate", verbosity=0)
    by_command = list(corpus.Tag.objects.order_by("pk").values())
    seeding.purge("default", only=["corpus.Tag"], truncate=True)
    seeding.seed("default", seed=4, only=["corpus.Tag"])
    assert list(corpus.Tag.objects.order_by("pk").values()) == by_command


def test_seed_counts_take_models_as_well_as_labels():
    """counts={Model: n} is the same as counts={"app.Model": n}."""
    result = seeding.seed("default", seed=1, only=["corpus.Tag"], counts={corpus.Tag: 3})
    assert result.inserted == {corpus.Tag: 3}


def test_fresh_seed_empties_the_tables_first():
    """fresh=True purges the seeded tables, then seeds them from empty."""
    seeding.seed("default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 5})
    result = seeding.seed(
        "default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 5}, fresh=True
    )
    assert result.purged[corpus.Tag] == 5
    assert corpus.Tag.objects.count() == 5


def test_a_failing_fresh_seed_keeps_the_rows_it_would_have_purged(monkeypatch):
    """The purge of fresh=True is inside seed()'s transaction."""
    seeding.seed("default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 5})
    before = list(corpus.Tag.objects.order_by("pk").values())

    def broken(plan, reporter=None, strict=True):
        assert not corpus.Tag.objects.exists()  # Purged by now.
        raise SeedFailed("broken on purpose")

    monkeypatch.setattr(api.engine, "seed", broken)
    with pytest.raises(SeedFailed, match="broken on purpose"):
        seeding.seed("default", seed=2, only=["corpus.Tag"], fresh=True)
    assert list(corpus.Tag.objects.order_by("pk").values()) == before


def test_declining_the_fresh_purge_changes_nothing():
    """confirm() answering False cancels seed() before a row goes."""
    seeding.seed("default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 5})
    asked = []
    with pytest.raises(Cancelled):
        seeding.seed(
            "default",
            only=["corpus.Tag"],
            fresh=True,
            confirm=lambda rows, tables: asked.append((rows, tables)) or False,
        )
    assert asked == [(5, 2)]  # Tag, and the links of books to tags.
    assert corpus.Tag.objects.count() == 5


def test_seed_and_purge_hold_the_database_lock(monkeypatch):
    """Both run their writes inside safety.exclusive() on the database."""
    held = []

    @contextlib.contextmanager
    def exclusive(alias, timeout=None):
        held.append(alias)
        yield

    monkeypatch.setattr(api, "exclusive", exclusive)
    seeding.seed("default", seed=1, only=["corpus.Tag"])
    seeding.purge("default", only=["corpus.Tag"])
    assert held == ["default", "default"]


def test_seed_refuses_a_production_database(settings):
    """A database that settings mark as production needs allow_production."""
    settings.SEEDING = {**settings.SEEDING, "PRODUCTION": True}
    with pytest.raises(ProductionDatabase):
        seeding.seed("default", only=["corpus.Tag"])
    assert not corpus.Tag.objects.exists()
    seeding.seed("default", seed=1, only=["corpus.Tag"], allow_production=True)
    assert corpus.Tag.objects.exists()


def test_bad_counts_raise_before_anything_is_written():
    """A count for no model is a ConfigurationError; nothing is seeded."""
    with pytest.raises(ConfigurationError, match="corpus.Nothing"):
        seeding.seed("default", only=["corpus.Tag"], counts={"corpus.Nothing": 3})
    assert not corpus.Tag.objects.exists()


def test_purge_returns_the_rows_it_removed_per_model():
    """purge() empties the chosen tables (and those pointing into them) and
    says how many rows each held."""
    seeding.seed("default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 4})
    assert seeding.purge("default", only=["corpus.Tag"]) == {
        corpus.Book.tags.through: 0,
        corpus.Tag: 4,
    }
    assert not corpus.Tag.objects.exists()


def test_declining_a_purge_keeps_every_row():
    """purge()'s confirm() answering False raises Cancelled; no row goes."""
    seeding.seed("default", seed=1, only=["corpus.Tag"], counts={"corpus.Tag": 4})
    with pytest.raises(Cancelled):
        seeding.purge("default", only=["corpus.Tag"], confirm=lambda rows, tables: False)
    assert corpus.Tag.objects.count() == 4


def test_unknown_database_alias_is_a_configuration_error():
    """An alias settings.DATABASES lacks is named in the error."""
    with pytest.raises(ConfigurationError, match="'nowhere'"):
        seeding.seed("nowhere")
    with pytest.raises(ConfigurationError, match="'nowhere'"):
        seeding.purge("nowhere")
    assert connection.alias == "default"
