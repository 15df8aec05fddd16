"""Seed modules as recipes: per-field values drawn a column at a time,
for_each, and the context rows() and finish() get."""

import datetime

import pytest
from django.db import connection
from model_bakery.recipe import Recipe, foreign_key, seq

import seeding
from seeding import registry
from seeding.conf import get_config
from seeding.plan import build_plan
from tests.corpus.models import Author, Book, Profile
from tests.shapes.models import EventPage

pytestmark = pytest.mark.django_db


def register(monkeypatch, label, seed_class):
    """Register ``seed_class`` for ``label`` for the test's duration."""
    # Import every seeds module first: imported under the patch, their seeds
    # would go when it is undone.
    registry.autodiscover()
    entries = {**registry.site._registry, label: (seed_class, __name__)}
    monkeypatch.setattr(registry.site, "_registry", entries)


def seed_authors(monkeypatch, recipe, seed=4):
    class AuthorSeed(seeding.Seed):
        count = 30

    AuthorSeed.recipe = recipe
    register(monkeypatch, "corpus.Author", AuthorSeed)
    seeding.seed("default", seed=seed, only=["corpus.Author"])
    return list(Author.objects.order_by("pk").values_list("name", "email"))


def test_adding_a_field_to_a_recipe_leaves_the_other_fields_values_as_they_were(
    monkeypatch,
):
    """Each recipe column has its own positional seed, as automatic values do."""
    alone = seed_authors(monkeypatch, Recipe(Author, name=seeding.fake("last_name")))
    Author.objects.all().delete()
    with_email = seed_authors(
        monkeypatch,
        Recipe(Author, name=seeding.fake("last_name"), email=seq("writer")),
    )
    assert [name for name, _ in alone] == [name for name, _ in with_email]
    assert [email for _, email in with_email] == [f"writer{n}" for n in range(1, 31)]


def test_a_faker_provider_in_a_recipe_gives_that_provider_s_values(monkeypatch):
    """fake("last_name") gives surnames, the same ones for the same seed."""
    first = seed_authors(monkeypatch, Recipe(Author, name=seeding.fake("last_name")))
    Author.objects.all().delete()
    again = seed_authors(monkeypatch, Recipe(Author, name=seeding.fake("last_name")))
    names = [name for name, _ in first]
    assert names == [name for name, _ in again]
    assert len(set(names)) > 10 and all(name.isalpha() for name in names)


def test_pick_draws_by_the_weights(monkeypatch):
    """pick() with a zero weight never gives that value."""
    rows = seed_authors(
        monkeypatch, Recipe(Author, name=seeding.pick(["Ann", "Bob"], weights=[1, 0]))
    )
    assert {name for name, _ in rows} == {"Ann"}


def test_ago_gives_moments_in_its_days_before_the_run_s_time_at_its_hours(
    monkeypatch,
):
    class EventSeed(seeding.Seed):
        count = 200
        recipe = Recipe(EventPage, starts_at=seeding.ago(days=(1, 30), hours=(7, 21)))

    register(monkeypatch, "shapes.EventPage", EventSeed)
    seeding.seed("default", seed=1, only=["shapes.EventPage"])
    now = get_config().now
    moments = list(EventPage.objects.values_list("starts_at", flat=True))
    days = {(now.date() - moment.date()).days for moment in moments}
    hours = {moment.astimezone(datetime.UTC).hour for moment in moments}
    assert len(moments) == 200
    assert min(days) >= 1 and max(days) <= 30 and len(days) > 20
    assert min(hours) >= 7 and max(hours) <= 20 and len(hours) > 10


class ProfileForEach(seeding.Seed):
    for_each = ("corpus.Author", {"name__lt": "M"})
    recipe = Recipe(Profile, bio=seeding.fake("sentence"))


def test_for_each_writes_one_row_per_matching_parent_and_none_twice(monkeypatch):
    """A second run gives profiles to the new matching authors only."""
    register(monkeypatch, "corpus.Profile", ProfileForEach)
    for seed in (1, 2):
        seeding.seed("default", seed=seed, only=["corpus.Author", "corpus.Profile"])
    matching = set(Author.objects.filter(name__lt="M").values_list("pk", flat=True))
    profiles = list(Profile.objects.values_list("author", flat=True))
    assert len(matching) > 5
    assert sorted(profiles) == sorted(matching)
    assert all(Profile.objects.values_list("bio", flat=True))


class ProfileFromAuthor(seeding.Seed):
    for_each = ("corpus.Author", {})
    each_fields = ("name",)
    recipe = Recipe(Profile, bio=seeding.fake("sentence"))

    def each(self, ctx, authors):
        for n, author in enumerate(authors, 1):
            yield {"bio": f"{n}. {author.name}, writer."}


def test_each_gives_a_for_each_row_values_from_its_parent(monkeypatch):
    """each() reads each parent's fields and yields its row's values, in order;
    they win over the recipe's."""
    register(monkeypatch, "corpus.Profile", ProfileFromAuthor)
    seeding.seed("default", seed=1, only=["corpus.Author", "corpus.Profile"])
    bios = Profile.objects.order_by("author").values_list("bio", "author__name")
    assert len(bios) > 5
    assert [bio for bio, _ in bios] == [
        f"{n}. {name}, writer." for n, (_, name) in enumerate(bios, 1)
    ]


class ProfileForTooFew(ProfileFromAuthor):
    def each(self, ctx, authors):
        yield {"bio": "only one"}


def test_each_that_yields_a_row_short_of_its_parents_fails_saying_so(monkeypatch):
    register(monkeypatch, "corpus.Profile", ProfileForTooFew)
    short = r"each\(\) of .* yielded rows for 1 of the"
    with pytest.raises(seeding.exceptions.SeedingError, match=short):
        seeding.seed("default", seed=1, only=["corpus.Author", "corpus.Profile"])


def test_the_plan_counts_for_each_rows_by_a_run_it_rolls_back(monkeypatch):
    """--plan gives a for_each model the number of rows it will write."""
    register(monkeypatch, "corpus.Profile", ProfileForEach)
    seeding.seed("default", seed=1, only=["corpus.Author"])
    plan = build_plan(
        "default", get_config(), seed=2, only=["corpus.Author", "corpus.Profile"]
    )
    assert plan.step(Profile).count is None
    seeding.api.count_rows_decided(plan)
    authors = plan.step(Author).count + Author.objects.count()
    assert 0 < plan.step(Profile).count < authors
    assert Profile.objects.count() == 0


class BookWithForeignKey(seeding.Seed):
    recipe = Recipe(Book, author=foreign_key(Recipe(Author)))


def test_the_plan_cautions_about_a_recipe_s_foreign_key(monkeypatch):
    """foreign_key() in a recipe is not followed, and the plan says so."""
    register(monkeypatch, "corpus.Book", BookWithForeignKey)
    plan = build_plan("default", get_config(), seed=1, only=["corpus.Book"])
    assert any(
        "corpus.Book.author" in caution and "foreign_key()" in caution
        for caution in plan.cautions
    )


class TagsFromContext(seeding.Seed):
    def rows(self, ctx):
        authors = list(ctx.rows("corpus.Author", "name"))
        assert ctx.using == connection.alias
        for n in range(ctx.scaled(3)):
            yield {"slug": f"by-{n}-{len(authors)}"}


def test_ctx_rows_streams_another_model_s_rows_and_scaled_follows_the_scale(
    monkeypatch,
):
    register(monkeypatch, "corpus.Tag", TagsFromContext)
    seeding.seed("default", seed=1, scale=2, only=["corpus.Author", "corpus.Tag"])
    from tests.corpus.models import Tag

    authors = Author.objects.count()
    assert sorted(Tag.objects.values_list("slug", flat=True)) == [
        f"by-{n}-{authors}" for n in range(6)
    ]


class TagPerNewPlace(seeding.Seed):
    after = ("corpus.Place", "corpus.Restaurant")

    def rows(self, ctx):
        for pk in ctx.new_rows("corpus.Place"):
            yield {"slug": f"place-{pk}"}


def test_new_rows_of_a_parent_table_include_its_children_written_this_run(monkeypatch):
    """A second run's new places are its plain places and its restaurants."""
    from tests.corpus.models import Place, Tag

    register(monkeypatch, "corpus.Tag", TagPerNewPlace)
    only = ["corpus.Place", "corpus.Restaurant", "corpus.Tag"]
    seeding.seed("default", seed=1, only=only)
    first = set(Place.objects.values_list("pk", flat=True))
    seeding.seed("default", seed=2, only=only)
    second = set(Place.objects.values_list("pk", flat=True)) - first
    tagged = {int(slug.split("-")[1]) for slug in Tag.objects.values_list("slug", flat=True)}
    assert tagged == first | second
    assert len(Tag.objects.all()) == len(first) + len(second)
