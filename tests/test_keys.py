"""Key pools: packed once they are large, giving back the same keys."""

import uuid
from array import array

import pytest

from seeding import keys
from seeding.keys import UUIDs, coalesce, pack


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(keys, "PACKED_FROM", 4)


def test_few_keys_stay_objects():
    values = [uuid.uuid4() for _ in range(3)]
    assert pack(values) is values


def test_many_integer_keys_pack_into_an_array(small):
    packed = pack([5, 1, 2**63 - 1, -(2**63)])
    assert isinstance(packed, array)
    assert list(packed) == [5, 1, 2**63 - 1, -(2**63)]


def test_many_uuids_pack_into_bytes_and_come_back_equal(small):
    values = [uuid.uuid4() for _ in range(6)]
    packed = pack(values)
    assert isinstance(packed, UUIDs)
    assert list(packed) == values
    assert packed[2] == values[2]
    assert packed[-1] == values[-1]
    assert list(packed[1:4]) == values[1:4]
    assert packed.take([5, 0]) == [values[5], values[0]]
    with pytest.raises(IndexError):
        packed[6]


def test_a_part_of_a_large_whole_packs_however_small(small):
    assert isinstance(pack([1, 2], size=10), array)


def test_mixed_or_out_of_range_keys_stay_a_list(small):
    mixed = ["a", 1, 2, 3]
    assert pack(mixed) is mixed
    huge = [2**64, 1, 2, 3]
    assert pack(huge) is huge


def test_consecutive_ranges_coalesce_into_one():
    assert coalesce([range(1, 4), range(4, 9)]) == range(1, 9)


def test_parts_coalesce_packed_once_the_whole_is_large(small):
    values = [uuid.uuid4() for _ in range(5)]
    whole = coalesce([pack(values[:2], size=5), pack(values[2:], size=5)])
    assert isinstance(whole, UUIDs)
    assert list(whole) == values
    assert list(coalesce([range(1, 3), [7, 9, 11]])) == [1, 2, 7, 9, 11]
    assert isinstance(coalesce([range(1, 3), [7, 9, 11]]), array)
