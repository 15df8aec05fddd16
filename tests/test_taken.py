"""Taken: the combinations of a unique rule, moved to disk past a limit."""

import pytest

from seeding import taken as module
from seeding.taken import Taken


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(module, "LIMIT", 4)


def test_combinations_stay_taken_after_moving_to_disk():
    taken = Taken(range(10))
    assert taken.store is not None
    assert len(taken.recent) < 4
    assert all(value in taken for value in range(10))
    assert 10 not in taken


def test_a_prefetched_batch_is_answered_without_a_query(monkeypatch):
    taken = Taken(range(10))
    taken.prefetch([3, 42])
    monkeypatch.setattr(taken, "_look_up", pytest.fail)
    assert 3 in taken
    assert 42 not in taken


def test_a_value_not_prefetched_is_looked_up_on_disk():
    taken = Taken(range(10))
    taken.prefetch([42])
    assert 5 in taken
    assert 11 not in taken


def test_a_prefetched_value_that_moves_to_disk_stays_taken():
    taken = Taken(range(10))
    taken.prefetch([100, 101])
    taken.add(100)
    taken.add(102)  # four in memory: enough to move
    taken.settle()
    assert 100 not in taken.recent
    assert 100 in taken
    assert 101 not in taken


def test_the_whole_range_of_packed_pairs_fits_on_disk():
    edges = [0, 1, 2**63 - 1, 2**63, 2**64 - 1]
    taken = Taken([*edges, 5, 6, 7])
    assert not taken.recent
    assert all(value in taken for value in edges)


def test_text_combinations_stay_in_memory():
    rows = [("a", i) for i in range(10)] + [2**64, -1]
    taken = Taken(rows)
    assert taken.store is None
    assert taken.recent == set(rows)


def test_a_set_that_cannot_move_is_not_rescanned_at_every_batch(monkeypatch):
    taken = Taken([("a", i) for i in range(4)])
    scans = []
    monkeypatch.setattr(taken, "_spill", lambda: scans.append(1))
    for i in range(3):
        taken.add(("b", i))
        taken.prefetch([("b", i + 1)])
    assert not scans


def test_combinations_move_to_disk_between_batches_only():
    taken = Taken()
    for value in range(10):
        taken.add(value)
    assert taken.store is None
    taken.prefetch([])
    assert taken.store is not None


def test_an_empty_set_is_false_and_one_on_disk_is_true():
    assert not Taken()
    taken = Taken(range(8))
    taken.recent.clear()
    assert taken
