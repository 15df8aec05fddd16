"""
The inserts of a batch (COPY on PostgreSQL, ``executemany`` elsewhere), with
each column's values adapted for the driver a whole column at a time, and
the updates that fill keys in later.
"""

import datetime
import functools
import itertools
import operator

from django.conf import settings
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from .keys import tables_of

PLAIN = {
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.CharField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.URLField,
    models.BooleanField,
}


class Inserts:
    """The statements that write one model's rows into each of its tables."""

    def __init__(self, model, fields, connection):
        self.connection = connection
        self.prep = {f.attname: self._prep(f) for f in fields}
        qn = connection.ops.quote_name
        self.statements = []
        for table in tables_of(model):
            local = [
                f
                for f in table._meta.local_concrete_fields
                if not getattr(f, "generated", False)
            ]
            table_name = qn(table._meta.db_table)
            columns = ", ".join(qn(f.column) for f in local)
            sql = f"INSERT INTO {table_name} ({columns}) VALUES ({', '.join(['%s'] * len(local))})"
            # PostgreSQL's COPY is about twice as fast as batched INSERTs;
            # psycopg 3 streams it from Python rows.
            copy = (
                f"COPY {table_name} ({columns}) FROM STDIN"
                if _can_copy(connection)
                else None
            )
            self.statements.append((sql, copy, [f.attname for f in local]))

    def _prep(self, field):
        target = field.target_field if field.is_relation else field
        # Django's own plain fields pass Python values through unchanged;
        # a subclass may not (it is a custom field for a reason).
        if type(target) in PLAIN or isinstance(target, models.AutoField):
            return None
        connection = self.connection
        if type(target) is models.UUIDField:
            if connection.features.has_native_uuid_field:
                return None
            return operator.attrgetter("hex")
        adapt = _adapter(target, connection.ops)
        if adapt is AS_IS:
            return None
        if adapt is not None:
            # The values are generated valid and aware: skip the layers of
            # get_db_prep_save that validate and warn, go to the adapter.
            return adapt
        return lambda value: field.get_db_prep_save(value, connection)

    def insert(self, data):
        """Write a batch: {attname: values} of the same length."""
        with self.connection.cursor() as cursor:
            for sql, copy, attnames in self.statements:
                columns = []
                for attname in attnames:
                    values = data[attname]
                    prep = self.prep[attname]
                    if prep is None:
                        columns.append(values)
                    elif _holds_none(values):
                        columns.append([None if v is None else prep(v) for v in values])
                    else:
                        columns.append(list(map(prep, values)))
                rows = zip(*columns)
                if copy is not None:
                    with cursor.cursor.copy(copy) as stream:
                        for row in rows:
                            stream.write_row(row)
                else:
                    cursor.executemany(sql, list(rows))


def _holds_none(values):
    """``None in values`` by identity: ``in`` compares with ==, and a Decimal
    compared with None asks the numbers ABCs first, at Python speed."""
    return any(map(operator.is_, values, itertools.repeat(None)))


def update_rows(connection, field, pairs):
    """Set ``field`` to value in the row of each (value, primary key) pair."""
    table = field.model._meta
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(table.db_table)} SET {qn(field.column)} = %s "
        f"WHERE {qn(table.pk.column)} = %s"
    )
    params = [
        (
            field.get_db_prep_save(value, connection),
            table.pk.get_db_prep_save(key, connection),
        )
        for value, key in pairs
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _can_copy(connection):
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return hasattr(connection.connection.cursor(), "copy")


#: What _adapter() returns for a value the driver takes unchanged.
AS_IS = object()


def _adapter(field, ops):
    """
    The backend's adapter for one of Django's own field classes: AS_IS when
    it returns values unchanged, None when there is none to call directly.
    """
    kind = type(field)
    base = BaseDatabaseOperations
    if kind is models.DateTimeField and ops.connection.vendor in ("sqlite", "mysql"):
        return _datetime_as_text(ops)
    if kind is models.DateField and type(ops).adapt_datefield_value is (
        base.adapt_datefield_value
    ):
        return str  # What it does to a date.
    if kind is models.DecimalField:
        if type(ops).adapt_decimalfield_value is base.adapt_decimalfield_value:
            # It returns the value itself. Django registers str as sqlite3's
            # adapter for Decimal; applied to a whole column at once, it
            # spares the driver an adapter lookup per value.
            return str if ops.connection.vendor == "sqlite" else AS_IS
        return functools.partial(
            ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return {
        models.DateTimeField: ops.adapt_datetimefield_value,
        models.DateField: ops.adapt_datefield_value,
        models.TimeField: ops.adapt_timefield_value,
        models.GenericIPAddressField: ops.adapt_ipaddressfield_value,
    }.get(kind)


def _datetime_as_text(ops):
    """
    SQLite's and MySQL's adapter for datetimes, with its checks done once:
    an aware datetime becomes naive text in the connection's time zone.
    """
    adapt = ops.adapt_datetimefield_value
    if not settings.USE_TZ:
        return adapt
    zone = ops.connection.timezone
    moment = datetime.datetime

    def as_text(value):
        if type(value) is moment and value.tzinfo is not None:
            return str(value.astimezone(zone).replace(tzinfo=None))
        return adapt(value)

    return as_text
