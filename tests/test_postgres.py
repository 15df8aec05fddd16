"""PostgreSQL's own field types (arrays, hstore, ranges) and rules (NULLS NOT DISTINCT),
with zero configuration."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

import seeding
from seeding.conf import get_config
from seeding.report import build_report

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's own field types"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def listings():
    seeding.seed("default", seed=2, only=["pgcorpus"])
    return list(apps.get_model("pgcorpus.Listing").objects.all())


def test_every_field_gets_a_value(listings):
    assert listings
    for listing in listings:
        assert listing.tags and listing.attributes and listing.guests


def test_array_items_respect_the_base_fields_validators_and_the_size(listings):
    for listing in listings:
        assert 1 <= len(listing.ratings) <= 5
        assert all(1 <= rating <= 5 for rating in listing.ratings)
        assert all(len(tag) <= 20 for tag in listing.tags)


def test_nested_arrays_have_the_inner_size(listings):
    grids = [listing.grid for listing in listings if listing.grid is not None]
    assert grids
    assert all(len(grid) <= 2 and all(len(row) <= 2 for row in grid) for grid in grids)


def test_hstore_maps_text_to_text(listings):
    for listing in listings:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in listing.attributes.items())


def test_ranges_are_ordered_and_not_empty(listings):
    for listing in listings:
        for value in (listing.available, listing.guests, listing.price_band):
            assert not value.isempty and value.lower < value.upper


def test_a_unique_array_repeats_no_value(listings):
    codes = [tuple(listing.codes) for listing in listings]
    assert len(codes) == len(set(codes))


def test_a_second_run_keeps_a_unique_array_apart_from_the_first(listings):
    seeding.seed("default", seed=3, only=["pgcorpus.Listing"])
    codes = [tuple(c) for c in apps.get_model("pgcorpus.Listing").objects.values_list("codes", flat=True)]
    assert len(codes) == 2 * len(listings) == len(set(codes))


def test_nulls_that_count_as_equal_appear_once_per_unique_set():
    """NULLS NOT DISTINCT (nulls_distinct=False): a NULL is a value that a
    unique set may hold once, alone or with the same other values."""
    seeding.seed(
        "default",
        seed=2,
        only=["pgcorpus.Badge"],
        counts={"pgcorpus.Badge": 300, "pgcorpus.Listing": 150},
    )
    Badge = apps.get_model("pgcorpus.Badge")
    assert Badge.objects.count() == 300
    assert Badge.objects.filter(nickname__isnull=True).count() <= 1
    null_kinds = list(Badge.objects.filter(kind__isnull=True).values_list("listing", flat=True))
    assert null_kinds
    assert len(null_kinds) == len(set(null_kinds))


def test_keys_unique_on_their_own_hold_one_null_when_nulls_count_as_equal():
    """A nullable key alone in a NULLS NOT DISTINCT rule links each target
    once and is NULL in one row at most, to another model or to its own."""
    seeding.seed(
        "default",
        seed=2,
        only=["pgcorpus.Listing", "pgcorpus.Sponsorship"],
        counts={"pgcorpus.Sponsorship": 120, "pgcorpus.Listing": 150},
    )
    Sponsorship = apps.get_model("pgcorpus.Sponsorship")
    assert Sponsorship.objects.count() == 120
    for key in ("listing", "successor"):
        values = list(Sponsorship.objects.values_list(key, flat=True))
        assert values.count(None) <= 1, key
        assert len(values) == len(set(values)), key


def test_plan_counts_one_null_for_a_key_whose_nulls_count_as_equal():
    """With no row to point at, such a key allows one row: its NULL."""
    with pytest.raises(CommandError, match=r"unique \(listing_id\) .* allows 1 rows"):
        call_command(
            "seed", "--strict", "--only", "pgcorpus.Sponsorship",
            "--count", "pgcorpus.Sponsorship=5", "--no-migrate", verbosity=0,
        )


def test_report_counts_repeated_nulls_where_they_count_as_equal(listings):
    """Rows that repeat a NULL of a NULLS NOT DISTINCT rule are duplicates,
    found even where the database lacks the constraint the model declares."""
    Badge = apps.get_model("pgcorpus.Badge")
    with connection.cursor() as cursor:
        # The fixture's rows leave deferred key checks that ALTER TABLE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE pgcorpus_badge "
            "DROP CONSTRAINT pgcorpus_badge_one_null_nickname"
        )
    Badge.objects.filter(nickname__isnull=True).delete()
    for kind in ("gold", "silver"):
        Badge.objects.create(listing=listings[0], kind=kind, nickname=None)
    result = build_report(connection.alias, get_config())
    found = next(
        d
        for d in result.integrity.unique
        if d.model is Badge and d.fields == ("nickname",)
    )
    assert (found.groups, found.rows, found.examples) == (1, 2, [[None]])


def test_text_search_columns_hold_lexemes_the_database_searches():
    """SearchVectorField and SearchQueryField get text search values: a
    vector matches a query made of one of its own words."""
    from django.contrib.postgres.search import SearchQuery

    call_command("seed", "--seed", "2", "--only", "pgcorpus.Article", "--no-migrate", verbosity=0)
    Article = apps.get_model("pgcorpus.Article")
    article = Article.objects.first()
    word = article.search.split()[0].strip("'").partition("'")[0]
    assert Article.objects.filter(search=SearchQuery(word, config="simple")).exists()
    assert Article.objects.exclude(saved_query=None).exists()
