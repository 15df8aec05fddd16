"""The engine on the corpus of hard schemas (tests/corpus)."""

from collections import Counter

import pytest
from django.apps import apps
from django.db import connection, models

from seeding.constraints import unique_sets
from seeding.graph import DependencyGraph, UnbreakableCycle
from tests.corpus import models as corpus

pytestmark = pytest.mark.django_db

CORPUS = list(apps.get_app_config("corpus").get_models(include_auto_created=True))


def label(model):
    return model._meta.label


@pytest.mark.parametrize("model", CORPUS, ids=label)
def test_every_corpus_model_gets_rows(seeded_corpus, model):
    """Every model of the corpus, auto-created M2M tables included, holds rows."""
    assert model._base_manager.exists()


def test_the_database_finds_no_broken_foreign_key(seeded_corpus):
    """The backend's own check of every foreign key passes."""
    connection.check_constraints(table_names=[m._meta.db_table for m in CORPUS])


@pytest.mark.parametrize("model", CORPUS, ids=label)
def test_every_foreign_key_resolves(seeded_corpus, model):
    """No row points at a row that does not exist."""
    for field in model._meta.concrete_fields:
        if field.is_relation:
            target = field.related_model._base_manager.values(field.target_field.attname)
            orphans = model._base_manager.filter(**{f"{field.attname}__isnull": False}).exclude(
                **{f"{field.attname}__in": target}
            )
            assert not orphans.exists(), f"{label(model)}.{field.name}"


@pytest.mark.parametrize("model", CORPUS, ids=label)
def test_no_unique_rule_is_broken(seeded_corpus, model):
    """Unique fields and unique sets hold across all rows."""
    for names in unique_sets(model):
        duplicates = (
            model._base_manager.values(*names)
            .annotate(n=models.Count("*"))
            .filter(n__gt=1)
        )
        assert not duplicates.exists(), names


def test_conditional_unique_constraint_holds_where_it_applies(seeded_corpus):
    """At most one primary schedule per room; non-primary ones repeat freely."""
    primaries = Counter(corpus.Schedule.objects.filter(is_primary=True).values_list("room", flat=True))
    assert primaries and max(primaries.values()) == 1


def test_check_constraints_hold(seeded_corpus):
    """Generated schedules end after they start and keep seats in range."""
    assert not corpus.Schedule.objects.filter(ends_at__lte=models.F("starts_at")).exists()
    assert not corpus.Schedule.objects.exclude(seats__range=(1, 500)).exists()


def test_validators_bound_numbers(seeded_corpus):
    """A MaxValueValidator caps generated numbers."""
    assert max(corpus.Pizzeria.objects.values_list("oven_count", flat=True)) <= 6


def test_required_self_reference_starts_at_itself(seeded_corpus):
    """The first row of a required self-reference points at itself."""
    first = corpus.Node.objects.order_by("pk").first()
    assert first.parent_id == first.pk
    assert corpus.Node.objects.exclude(parent=models.F("pk")).exists()


def test_self_reference_points_at_earlier_rows(seeded_corpus):
    """A tree's parents were inserted before their children."""
    assert not corpus.Category.objects.filter(parent__gt=models.F("pk")).exists()
    assert corpus.Category.objects.filter(parent__isnull=False).exists()


def test_nullable_cycle_key_is_back_filled(seeded_corpus):
    """The key that breaks a cycle is NULL at insert and filled afterwards."""
    assert corpus.Author.objects.filter(favourite_book__isnull=False).exists()
    assert corpus.Country.objects.filter(capital__isnull=False).exists()


def test_cycle_without_nullable_key_points_forward(seeded_corpus):
    """Hens hatch from eggs that hens laid: each side points at the other."""
    hen = corpus.Hen.objects.select_related("hatched_from__laid_by").first()
    assert hen.hatched_from.laid_by_id is not None


def test_cycle_with_no_way_to_point_forward_names_its_fields():
    """A required cycle that cannot be pre-keyed is a clear error."""
    with pytest.raises(UnbreakableCycle) as error:
        DependencyGraph([corpus.Egg, corpus.Hen], can_point_forward=lambda edge: False)
    message = str(error.value)
    assert "corpus.Egg.laid_by -> corpus.Hen" in message
    assert "corpus.Hen.hatched_from -> corpus.Egg" in message


def test_one_to_one_uses_each_parent_once(seeded_corpus):
    """One-to-one links, primary-key ones included, never share a parent."""
    for model, field in ((corpus.Profile, "author"), (corpus.Passport, "author")):
        values = list(model.objects.values_list(field, flat=True))
        assert len(values) == len(set(values))


def test_multi_table_inheritance_writes_every_ancestor_with_one_key(seeded_corpus):
    """A diamond child has one Place row, one Restaurant and one Cafe row."""
    for bistro in corpus.Bistro.objects.all():
        assert corpus.Place.objects.filter(pk=bistro.pk).count() == 1
        assert corpus.Restaurant.objects.filter(pk=bistro.pk).exists()
        assert corpus.Cafe.objects.filter(pk=bistro.pk).exists()


def test_two_level_inheritance_keeps_parent_fields(seeded_corpus):
    """A grandchild's inherited fields are filled in the ancestor tables."""
    pizzeria = corpus.Pizzeria.objects.first()
    assert pizzeria.name and pizzeria.address


@pytest.mark.parametrize("model", [corpus.Comment, corpus.Activity, corpus.Bookmark], ids=label)
def test_generic_foreign_keys_point_at_real_rows(seeded_corpus, model):
    """Integer, text and UUID object ids all resolve to an existing row."""
    for row in model.objects.all():
        assert row.target is not None, (row.content_type, row.object_id)


def test_many_to_many_pairs_are_distinct(seeded_corpus):
    """Auto-created and explicit through tables hold no pair twice."""
    through = corpus.Book.tags.through
    pairs = list(through.objects.values_list("book", "tag"))
    assert pairs and len(pairs) == len(set(pairs))


def test_unique_together_with_a_free_column_counts_within_groups(seeded_corpus):
    """(room, day) stays unique because days count within each room."""
    pairs = list(corpus.Schedule.objects.values_list("room", "day"))
    assert len(pairs) == len(set(pairs))


def test_to_field_foreign_key_holds_the_target_column(seeded_corpus):
    """A key with to_field stores the target's unique column, not its pk."""
    barcodes = set(corpus.Sku.objects.values_list("barcode", flat=True))
    assert set(corpus.StockLine.objects.values_list("sku_id", flat=True)) <= barcodes


def test_custom_field_values_pass_through_its_own_preparation(seeded_corpus):
    """A CharField subclass that upper-cases on save stores upper case."""
    assert all(v == v.upper() for v in corpus.Everything.objects.values_list("shout", flat=True))


def test_generated_field_is_computed_by_the_database(seeded_corpus):
    """GeneratedField is never written; the database computes it."""
    for counter, doubled in corpus.Everything.objects.values_list("counter", "doubled"):
        assert doubled == counter * 2


def test_non_integer_primary_keys_are_generated(seeded_corpus):
    """UUID and char primary keys get distinct values."""
    assert corpus.Document.objects.count() == len(set(corpus.Document.objects.values_list("pk", flat=True)))
    assert all(corpus.Sku.objects.values_list("pk", flat=True))


def test_field_names_give_realistic_values(seeded_corpus):
    """An email looks like one; a slug is a slug; a URL is a URL."""
    row = corpus.Everything.objects.first()
    assert "@" in row.email and row.url.startswith("http") and " " not in row.slug


def test_composite_primary_key_combinations_are_distinct(seeded_corpus):
    """Rows of a CompositePrimaryKey model never repeat their key columns."""
    keys = list(corpus.Release.objects.values_list("product", "version"))
    assert keys and len(keys) == len(set(keys))


def test_field_without_builtin_base_is_filled_by_its_internal_type(seeded_corpus):
    """A custom Field that only names its internal type gets text that fits."""
    colours = list(corpus.Swatch.objects.values_list("colour", flat=True))
    assert colours and all(0 < len(c) <= 20 for c in colours)


def test_plan_names_a_required_field_it_cannot_fill(monkeypatch):
    """A required field of an unknown kind is a plan problem, not a crash."""
    from seeding import plan as planning
    from seeding import tables
    from seeding.conf import get_config

    real = tables.column_for
    monkeypatch.setattr(
        tables, "column_for", lambda field, ctx: None if field.name == "colour" else real(field, ctx)
    )
    plan = planning.build_plan("default", get_config(), only=["corpus.Swatch"])
    assert any("corpus.Swatch.colour" in problem for problem in plan.problems)


def test_plan_counts_existing_rows_in_one_query(seeded_corpus):
    """Planning reads the tables' row counts a hundred at once, not a query per model."""
    from django.test.utils import CaptureQueriesContext

    from seeding.conf import get_config
    from seeding.introspection import ROW_COUNTS_PER_QUERY
    from seeding.plan import build_plan

    with CaptureQueriesContext(connection) as queries:
        plan = build_plan("default", get_config(), only=["corpus"])
    counts = [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and "WHERE" not in q["sql"]
    ]
    tables = {model._meta.db_table for model in plan.existing}
    assert len(counts) == -(-len(tables) // ROW_COUNTS_PER_QUERY)
    assert plan.existing[corpus.Author] == corpus.Author.objects.count() > 0


def test_plan_names_a_table_it_cannot_read(monkeypatch):
    """A model whose table is missing is named, with the way out."""
    from seeding.conf import get_config
    from seeding.plan import build_plan
    from seeding.exceptions import SeedingError

    monkeypatch.setattr(corpus.Author._meta, "db_table", "corpus_nowhere")
    with pytest.raises(SeedingError, match="corpus_nowhere.*--no-migrate"):
        build_plan("default", get_config(), only=["corpus.Author"])


def test_a_relation_over_several_columns_names_a_row_that_exists(seeded_corpus):
    """A ForeignObject's columns are copied together from one target row."""
    releases = set(corpus.Release.objects.values_list("product", "version"))
    notes = list(corpus.ReleaseNote.objects.values_list("product", "version"))
    assert notes and set(notes) <= releases
    assert len(set(notes)) > 1


def test_a_run_keeps_older_objects_out_of_full_collections_and_gives_them_back(
    monkeypatch,
):
    """While a run writes, the objects older than it are frozen (full
    collections would walk them again and again); afterwards none is, and a
    caller's own freeze is left as it was."""
    import gc

    import seeding
    from seeding import registry

    seen = []

    class TagSeed(seeding.Seed):
        def rows(self, ctx):
            seen.append(gc.get_freeze_count())
            yield {"slug": f"tag{ctx.existing}"}

    registry.autodiscover()
    entries = {**registry.site._registry, "corpus.Tag": (TagSeed, __name__)}
    monkeypatch.setattr(registry.site, "_registry", entries)
    seeding.seed("default", seed=1, only=["corpus.Tag"])
    assert seen[0] > 0 and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        seeding.seed("default", seed=2, only=["corpus.Tag"])
        # Still frozen (a few of the frozen objects may have been freed).
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
