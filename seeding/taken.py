"""
The combinations a unique rule's rows already hold, in bounded memory.

A unique rule is checked against every row the step has written, so its
combinations are kept until the step ends: one per row. Up to ``LIMIT`` of
them live in a Python set. Beyond that the whole numbers among them (what
:func:`~seeding.constraints.hashable` packs a row of keys and dates into)
move to a private temporary SQLite file, whose page cache is all the memory
they keep; a batch looks up its candidates there with a query per thousand.
Other combinations (text, several large numbers) stay in memory.
"""

import contextlib
import itertools
import sqlite3

#: Combinations kept in memory before whole numbers move to disk.
LIMIT = 200_000

#: Variables in one SQLite statement, at most (SQLite's oldest limit).
CHUNK = 999

#: Packed combinations fill 64 bits; SQLite keys are signed 64-bit integers.
SHIFT = 1 << 63
SPAN = 1 << 64


class Taken:
    """
    A set of combinations that can grow past memory. ``add(value)`` and
    ``contains(value)`` (or ``in``) are the set's own methods until some
    move to disk; :meth:`prefetch`, called before each batch, moves them
    once there are too many and looks the batch's candidates up at once.
    """

    def __init__(self, values=()):
        self.store = None
        self.limit = LIMIT
        # The prefetched candidates, and those among them that are on disk.
        self.asked = self.found = frozenset()
        self._keep(set())
        values = iter(values)
        while chunk := list(itertools.islice(values, LIMIT)):
            self.recent.update(chunk)
            self.settle()

    def __contains__(self, value):
        return self.contains(value)

    def __bool__(self):
        return bool(self.recent) or self.store is not None

    def prefetch(self, values):
        """Move combinations to disk if there are too many, then look
        ``values`` up there at once, so that testing each costs no query."""
        self.settle()
        if self.store is not None:
            self.asked = frozenset(values)
            self.found = frozenset(self._look_up(self.asked))

    def holds_none_of(self, values):
        """Whether none of ``values`` (a set, prefetched) is held."""
        if self.store is not None and not self.asked >= values:
            return not any(map(self._contains, values))
        return self.recent.isdisjoint(values) and self.found.isdisjoint(values)

    def update(self, values):
        """Add ``values``, none of which is held."""
        self.recent.update(values)

    def settle(self):
        if len(self.recent) >= self.limit:
            self._spill()

    def close(self):
        if self.store is not None:
            self.store.close()
            self.store = None

    def _keep(self, recent):
        self.recent = recent
        self.add = recent.add
        # While nothing is on disk the set answers alone, at C speed.
        self.contains = recent.__contains__ if self.store is None else self._contains

    def _contains(self, value):
        if value in self.recent:
            return True
        if value in self.asked:
            return value in self.found
        return bool(self._look_up([value]))

    def _spill(self):
        movable = [v for v in self.recent if _movable(v)]
        # What cannot move (text) stays, and the next attempt waits until as
        # many again have come.
        self.limit = len(self.recent) - len(movable) + LIMIT
        if not movable:
            return
        if self.store is None:
            # An empty name is a private database on disk, deleted on close;
            # pages stay in memory up to the cache size only. It is thrown
            # away with the step, so it needs no journal.
            self.store = sqlite3.connect("")
            self.store.execute("PRAGMA journal_mode = OFF")
            self.store.execute("PRAGMA synchronous = OFF")
            self.store.execute("CREATE TABLE taken (key INTEGER PRIMARY KEY)")
        movable.sort()  # Appending in key order keeps the B-tree's pages full.
        with self.store:
            self.store.executemany(
                "INSERT INTO taken VALUES (?)", ((v - SHIFT,) for v in movable)
            )
        # A new set: one emptied in place keeps its table at the full size.
        self._keep({v for v in self.recent if not _movable(v)})
        # Prefetched answers stay true: what was on disk still is, and what
        # just moved there was not on disk when they were looked up.
        self.found = self.found | self.asked.intersection(movable)

    def _look_up(self, values):
        """Those of ``values`` that are on disk."""
        keys = [v - SHIFT for v in values if _movable(v)]
        found = []
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            with contextlib.closing(self.store.cursor()) as cursor:
                cursor.execute(f"SELECT key FROM taken WHERE key IN ({marks})", chunk)
                found += [key + SHIFT for (key,) in cursor]
        return found


def _movable(value):
    return type(value) is int and 0 <= value < SPAN
