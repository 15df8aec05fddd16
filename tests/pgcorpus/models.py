"""
PostgreSQL's own field types, installed only when the tests run there
(tests/settings.py).
"""

from django.contrib.postgres.fields import (
    ArrayField,
    DateRangeField,
    DateTimeRangeField,
    DecimalRangeField,
    HStoreField,
    IntegerRangeField,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Listing(models.Model):
    tags = ArrayField(models.CharField(max_length=20))
    ratings = ArrayField(
        models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)]),
        size=5,
    )
    grid = ArrayField(ArrayField(models.IntegerField(), size=2), size=2, null=True)
    attributes = HStoreField()
    available = DateRangeField()
    opening = DateTimeRangeField(null=True)
    guests = IntegerRangeField()
    price_band = DecimalRangeField()
    codes = ArrayField(models.CharField(max_length=8), unique=True)
