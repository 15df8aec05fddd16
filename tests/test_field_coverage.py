"""
Every concrete field class Django ships (django.db.models and
django.contrib.postgres; django.contrib.gis when GDAL is installed) has a
generator: a new Django field fails here until one is added.
"""

import datetime
import importlib
import random

import pytest
from django.db import connection, models
from django.db.models.fields.related import RelatedField
from django.test.utils import isolate_apps

from seeding.columns import ValueContext
from seeding.values import column_for

MODULES = [
    "django.db.models",
    "django.contrib.contenttypes.fields",
    "django.contrib.postgres.fields",
    "django.contrib.postgres.search",
]
try:
    importlib.import_module("django.contrib.gis.db.models")
except Exception:  # No GDAL: the GIS fields cannot even be imported.
    pass
else:
    MODULES.append("django.contrib.gis.db.models")
for module in MODULES:
    importlib.import_module(module)

#: Fields the engine fills without a generator of values, or that a model
#: never holds as a column of its own, and why.
NOT_VALUES = {
    models.CompositePrimaryKey: "a set of other columns, not a column",
    models.GeneratedField: "the database computes it; the engine never writes it",
}
#: Arguments a field cannot be made without.
ARGUMENTS = {
    "CharField": {"max_length": 20},
    "DecimalField": {"max_digits": 7, "decimal_places": 2},
    "FilePathField": {"path": "/tmp"},
    "ArrayField": {"base_field": models.IntegerField()},
}


def subclasses(klass):
    for sub in klass.__subclasses__():
        yield sub
        yield from subclasses(sub)


def shipped_fields():
    """Django's concrete field classes that a model may use today."""
    found = set()
    for klass in subclasses(models.Field):
        if (
            klass.__module__.startswith("django.")
            and not klass.__name__.startswith("_")
            # Removed fields live on for old migrations only.
            and not getattr(klass, "system_check_removed_details", None)
            # Keys and generic keys are the engine's, not values.
            and not issubclass(klass, RelatedField)
            and not klass.many_to_one  # GenericForeignKey
            and klass not in NOT_VALUES
            and not _abstract_range(klass)
        ):
            found.add(klass)
    return sorted(found, key=lambda k: (k.__module__, k.__name__))


def _abstract_range(klass):
    """RangeField and ContinuousRangeField: bases of the range fields."""
    return klass.__name__ in ("RangeField", "ContinuousRangeField")


def made(klass):
    options = next(
        (ARGUMENTS[k.__name__] for k in klass.__mro__ if k.__name__ in ARGUMENTS), {}
    )
    field = klass(**options)
    if isinstance(field, models.AutoField):
        field.primary_key = True
    return field


@pytest.mark.parametrize("klass", shipped_fields(), ids=lambda k: k.__name__)
@isolate_apps("tests.corpus")
def test_every_field_class_django_ships_has_a_generator(klass):
    field = made(klass)
    attrs = {"__module__": "tests.corpus.models", "value": field}
    type("Holder", (models.Model,), attrs)
    context = ValueContext(1, "en_US", datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), connection)
    column = column_for(field, context)
    assert column is not None, f"{klass.__module__}.{klass.__name__} has no generator"
    for value in column.sample(random.Random(0), 5):
        field.get_db_prep_save(value, connection)


def test_the_search_covers_contrib_postgres():
    names = {klass.__name__ for klass in shipped_fields()}
    assert {"SearchVectorField", "ArrayField", "HStoreField", "DateRangeField"} <= names
