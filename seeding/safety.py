"""
What keeps seed and purge away from databases they must not touch, and from
each other.
"""

import contextlib
import zlib

from django.db import connections

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
