"""
What keeps seed and purge away from databases they must not touch, and from
each other.
"""

import contextlib
import math
import zlib

from django.db import DatabaseError, connections

from .exceptions import Locked, ProductionDatabase

#: One advisory lock per database, shared by seed and purge.
LOCK_NAME = "django-seeding"
LOCK_TIMEOUT = 60


def refuse_production(config, alias, allow):
    """Raise ProductionDatabase unless ``alias`` is not production or ``allow``."""
    if config.is_production(alias) and not allow:
        raise ProductionDatabase(
            f"Database '{alias}' is marked as production (SEEDING['PRODUCTION'], "
            f"or DEBUG off). Pass --allow-production to run anyway."
        )


@contextlib.contextmanager
def exclusive(alias, timeout=LOCK_TIMEOUT):
    """
    Hold the database's advisory lock for the block, waiting up to ``timeout``
    seconds for another seed or purge to finish. SQLite needs none: its
    writers already exclude each other.
    """
    connection = connections[alias]
    vendor = connection.vendor
    if vendor == "postgresql":
        key = zlib.crc32(LOCK_NAME.encode())
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = %s", [f"{timeout}s"])
            try:
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            except Exception as exc:
                raise Locked(_busy(alias, timeout)) from exc
            finally:
                cursor.execute("RESET lock_timeout")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    elif vendor == "mysql":
        # GET_LOCK names are server-wide: name the database in it.
        name = f"{LOCK_NAME}:{connection.settings_dict['NAME']}"[:64]
        with connection.cursor() as cursor:
            cursor.execute("SELECT GET_LOCK(%s, %s)", [name, timeout])
            (acquired,) = cursor.fetchone()
        if acquired != 1:
            raise Locked(_busy(alias, timeout))
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT RELEASE_LOCK(%s)", [name])
    else:
        yield


def _busy(alias, timeout):
    return (
        f"Another seed or purge is running on database '{alias}'; "
        f"gave up after waiting {timeout} seconds."
    )


@contextlib.contextmanager
def lock_timeout(alias, seconds):
    """
    Within the block, a statement waits at most ``seconds`` for a lock that
    another session holds, then fails with Locked naming what is locked:
    without it a table locked elsewhere makes a run wait silently forever.
    On PostgreSQL the setting ends with the caller's transaction.
    """
    connection = connections[alias]
    restore = _set_lock_timeout(connection, seconds)
    own = _server_process(connection)
    try:
        yield
    except Exception as exc:
        if not is_lock_timeout(exc):
            raise
        raise Locked(
            f"Gave up after waiting {seconds:g} second(s) for {_locked(connection, own)} "
            f"of database '{alias}', locked by another session "
            f"(SEEDING['LOCK_TIMEOUT'] sets the wait)."
        ) from exc
    finally:
        try:
            restore()
        except DatabaseError:
            pass  # A failed transaction's rollback restores it.


def _set_lock_timeout(connection, seconds):
    """Set the session's wait for locks; return a function restoring it."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            local = connection.in_atomic_block
            cursor.execute("SHOW lock_timeout")
            (previous,) = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, %s)",
                [f"{math.ceil(seconds * 1000)}ms", local],
            )
            if local:
                return lambda: None
            statement, params = "SELECT set_config('lock_timeout', %s, false)", [previous]
        elif vendor == "mysql":
            cursor.execute("SELECT @@innodb_lock_wait_timeout, @@lock_wait_timeout")
            previous = list(cursor.fetchone())
            statement = "SET SESSION innodb_lock_wait_timeout = %s, lock_wait_timeout = %s"
            # Whole seconds only, at least one.
            cursor.execute(statement, [max(1, math.ceil(seconds))] * 2)
            params = previous
        else:
            cursor.execute("PRAGMA busy_timeout")
            (previous,) = cursor.fetchone()
            cursor.execute(f"PRAGMA busy_timeout = {math.ceil(seconds * 1000)}")
            statement, params = f"PRAGMA busy_timeout = {int(previous)}", []

    def restore():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return restore


#: PostgreSQL's lock_not_available; MySQL's ER_LOCK_WAIT_TIMEOUT.
LOCK_NOT_AVAILABLE, LOCK_WAIT_TIMEOUT = "55P03", 1205


def is_lock_timeout(exc):
    """Whether ``exc``, or an error it was raised from, is a lock wait given up."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
        args = getattr(exc, "args", ())
        if code == LOCK_NOT_AVAILABLE or (args and args[0] == LOCK_WAIT_TIMEOUT):
            return True
        if "database is locked" in str(exc) or "database table is locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _locked(connection, own):
    """Name what another session holds locked, asked on a connection of its
    own: the run's may be in a failed transaction."""
    if connection.vendor == "sqlite":
        return f"the database file {connection.settings_dict['NAME']}"
    probe = connections.create_connection(connection.alias)
    try:
        tables = _locked_tables(probe, own)
    except DatabaseError:
        tables = []
    finally:
        probe.close()
    if not tables:
        return "a lock on a table or row"
    return "table " + ", ".join(tables)


def _locked_tables(probe, own):
    with probe.cursor() as cursor:
        if probe.vendor == "postgresql":
            # The modes that keep INSERT, DELETE or SELECT waiting; the run's
            # own locks (a TRUNCATE of --fresh) are not the culprit.
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_locks l "
                "JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.granted AND l.pid NOT IN (pg_backend_pid(), %s) "
                "AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', "
                "'ExclusiveLock', 'AccessExclusiveLock') AND l.database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                "ORDER BY 1",
                [own],
            )
            return [name for (name,) in cursor.fetchall()]
        # MySQL shows no other session's table locks without extra plugins:
        # a read that waits past a second names the table.
        cursor.execute("SET SESSION lock_wait_timeout = 1")
        for table in probe.introspection.table_names(cursor):
            try:
                cursor.execute(f"SELECT 1 FROM {probe.ops.quote_name(table)} LIMIT 0")
            except DatabaseError as exc:
                if is_lock_timeout(exc):
                    return [table]
                raise
    return []


def _server_process(connection):
    """The run's own server process on PostgreSQL, asked while it answers."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
