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
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
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


class Badge(models.Model):
    """Unique rules whose NULLs count as equal (PostgreSQL 15's NULLS NOT DISTINCT)."""

    class Kind(models.TextChoices):
        GOLD = "gold"
        SILVER = "silver"
        BRONZE = "bronze"

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE)
    kind = models.CharField(max_length=6, choices=Kind, null=True)
    nickname = models.CharField(max_length=40, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "kind"],
                nulls_distinct=False,
                name="pgcorpus_badge_one_null_kind_per_listing",
            ),
            models.UniqueConstraint(
                fields=["nickname"],
                nulls_distinct=False,
                name="pgcorpus_badge_one_null_nickname",
            ),
        ]


class Sponsorship(models.Model):
    """Keys unique on their own whose NULLs count as equal: one row at most
    sponsors nothing, and one follows no other."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, null=True, related_name="sponsorships"
    )
    successor = models.ForeignKey("self", on_delete=models.CASCADE, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                nulls_distinct=False,
                name="pgcorpus_sponsorship_one_listing",
            ),
            models.UniqueConstraint(
                fields=["successor"],
                nulls_distinct=False,
                name="pgcorpus_sponsorship_one_successor",
            ),
        ]


class Article(models.Model):
    """Full-text search columns, which an application usually fills itself."""

    title = models.CharField(max_length=100)
    search = SearchVectorField()
    saved_query = SearchQueryField(null=True)
