"""Columns on their own: a batch of values is the values drawn one at a time."""

import datetime
import random

import pytest
from django.contrib.auth.models import Group
from django.db import connection, models

from seeding.columns import POOL_SIZE, SMALL_POOL, ValueContext
from seeding.text import folded
from seeding.values import column_for

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)


def field(kind, name, **options):
    made = kind(**options)
    made.set_attributes_from_name(name)
    made.model = Group
    return made


@pytest.mark.parametrize(
    "made",
    [
        field(models.CharField, "title", max_length=12),
        field(models.EmailField, "email", max_length=24),
        field(models.FilePathField, "attachment", path="/tmp", max_length=30),
    ],
    ids=lambda f: type(f).__name__,
)
def test_distinct_batch_is_the_values_one_index_at_a_time(made):
    """In the pool and past it, where suffixes keep cut values apart."""
    column = column_for(made, ValueContext(1, "en_US", NOW, connection, {Group: 3}))
    size = len(column.pool)
    for start, n in [(0, 5), (size - 2, 6), (size + 7, 4)]:
        one_by_one = [column.nth(random.Random(0), i) for i in range(start, start + n)]
        batch = column.distinct(random.Random(0), start, n)
        assert batch == one_by_one
    values = column.distinct(random.Random(0), 0, size + 50)
    assert len(set(values)) == len(values)
    assert all(len(v) <= made.max_length for v in values)


def test_pools_hold_twice_the_rows_within_bounds():
    made = field(models.CharField, "title", max_length=40)
    sizes = {
        rows: ValueContext(1, "en_US", NOW, connection, {Group: rows}).pool_size(made)
        for rows in (1, 100, 10_000, None)
    }
    assert sizes == {1: SMALL_POOL, 100: 200, 10_000: POOL_SIZE, None: POOL_SIZE}


def test_emails_past_the_pool_never_repeat_when_cut_to_fit():
    """Past the pool, an index is a plus address: with the local part cut to
    make room, "…fiel" + "d229" would otherwise repeat "…field" + "229"."""
    made = field(models.EmailField, "email", max_length=24)
    column = column_for(made, ValueContext(1, "en_US", NOW, connection))
    values = column.distinct(random.Random(0), 0, 100_000)
    assert len({folded(v) for v in values}) == len(values)
    assert all(len(v) <= 24 for v in values)


def test_no_pool_value_has_the_shape_of_a_value_past_the_pool():
    """A pool value ending in the separator and the hex of an index past the
    pool ("ab-5" in a pool of two) would repeat that index's value."""
    column = column_for(
        field(models.CharField, "name", max_length=20),
        ValueContext(1, "en_US", NOW, connection),
    )
    column.provider = lambda faker: faker.random_element(["ab-5", "ab"])
    values = column.distinct(random.Random(0), 0, 10)
    assert len(set(values)) == len(values)
