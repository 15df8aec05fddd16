"""
Shapes seen on real projects (tests/realshapes): each once stopped a whole
seed, purge or report.
"""

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F

from seeding.cleaning import SAMPLE
from tests.realshapes.models import (
    Campaign,
    Discount,
    Dosage,
    Meeting,
    MenuItem,
    OracleOnly,
    Part,
    Topic,
    Unjudged,
    Unpleasable,
)

ONLY = ("--only", "realshapes")


def seed(*args, **options):
    out = StringIO()
    call_command("seed", "--seed", "2", "--no-migrate", "--noinput", *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_leaves_out_a_model_the_database_cannot_have():
    """A model whose Meta.required_db_vendor the connection lacks has no table: seed goes on without it."""
    seed(*ONLY)
    assert Dosage.objects.exists()


@pytest.mark.django_db
def test_plan_says_why_a_model_is_left_out():
    out = seed("--plan", *ONLY, verbosity=2)
    assert "realshapes.OracleOnly: not on this database" in out
    assert "Meta.required_db_vendor" in out


@pytest.mark.django_db
def test_purge_leaves_out_a_model_the_database_cannot_have():
    seed(*ONLY)
    call_command("purge", "--noinput", *ONLY, stdout=StringIO())
    call_command("purge", "--noinput", "--truncate", *ONLY, stdout=StringIO())
    assert not Dosage.objects.exists()


@pytest.mark.django_db
def test_report_says_why_a_model_is_left_out():
    out = StringIO()
    call_command("seed_report", "--format", "json", "--jobs", "1", *ONLY, stdout=out)
    coverage = {c["model"]: c for c in json.loads(out.getvalue())["coverage"]}
    entry = coverage[OracleOnly._meta.label]
    assert (entry["treatment"], entry["seeded"]) == ("not on this database", False)
    assert "Meta.required_db_vendor" in entry["reason"]


@pytest.mark.django_db
def test_a_column_a_disjunction_lists_holds_null_or_a_listed_value():
    seed(*ONLY, "--count", "realshapes.Dosage=200")
    units = set(Dosage.objects.values_list("unit", flat=True))
    assert units == {None, "ug/mL", "ng/mL"}


@pytest.mark.django_db
def test_a_disjunction_over_two_columns_holds_through_either_branch():
    seed(*ONLY, "--count", "realshapes.MenuItem=200")
    items = MenuItem.objects.all()
    assert not items.filter(page__isnull=False, url__isnull=False).exists()
    assert items.filter(kind="external", page__isnull=True).exists()
    assert items.filter(kind__in=["page", "section"], url__isnull=True).exists()
    assert items.filter(page__isnull=False).exists()


@pytest.mark.django_db
def test_a_field_with_choices_holds_one_of_them():
    seed(*ONLY, "--count", "realshapes.Discount=200")
    assert set(Discount.objects.values_list("kind", flat=True)) == {"count", "value"}


@pytest.mark.django_db
def test_a_nullable_field_with_choices_holds_one_of_them_or_null():
    seed(*ONLY, "--count", "realshapes.Discount=200")
    assert set(Discount.objects.values_list("grade", flat=True)) == {1, 2, None}


@pytest.mark.django_db
def test_a_field_whose_choices_list_the_empty_value_may_be_empty():
    seed(*ONLY, "--count", "realshapes.Discount=200")
    assert set(Discount.objects.values_list("scope", flat=True)) == {"", "local"}


def clean_failures(model):
    failures = []
    for row in model.objects.order_by("pk"):
        try:
            row.clean()
        except ValidationError as exc:
            failures.append((row.pk, exc.messages))
    return failures


@pytest.mark.django_db
def test_rows_are_written_as_the_models_clean_accepts_them():
    seed(*ONLY, "--count", "realshapes.Part=300")
    assert clean_failures(Part) == []
    parts = Part.objects.all()
    assert {p.structure for p in parts} == {"standalone", "parent", "child"}
    assert parts.filter(kit=True).exists() and parts.filter(kit=False).exists()
    assert len({p.name for p in parts}) > 100


@pytest.mark.django_db
def test_rows_checked_with_clean_are_the_same_for_the_same_seed():
    seed(*ONLY, "--count", "realshapes.Part=100")
    first = list(Part.objects.order_by("pk").values())
    seed(*ONLY, "--count", "realshapes.Part=100", "--fresh")
    assert list(Part.objects.order_by("pk").values()) == first


@pytest.mark.django_db
def test_a_clean_that_cannot_judge_an_unsaved_row_lets_it_through():
    seed(*ONLY, "--count", "realshapes.Unjudged=10")
    assert Unjudged.objects.count() == 10


@pytest.mark.django_db
def test_rows_no_value_can_make_clean_accept_are_written_as_drawn():
    seed(*ONLY, "--count", "realshapes.Unpleasable=10")
    assert Unpleasable.objects.count() == 10


@pytest.mark.django_db
def test_plan_says_which_rows_are_checked_with_clean():
    lines = seed("--plan", *ONLY, verbosity=2).splitlines()
    noted = {lines[i - 1].split()[1] for i, line in enumerate(lines) if "clean()" in line}
    assert noted == {"realshapes.Part", "realshapes.Unjudged", "realshapes.Unpleasable"}


@pytest.mark.django_db
def test_a_period_no_constraint_orders_ends_after_it_starts():
    seed(*ONLY, "--count", "realshapes.Meeting=200")
    meetings = Meeting.objects.all()
    assert not meetings.filter(end__lt=F("start")).exists()
    assert not meetings.filter(valid_until__lt=F("valid_from")).exists()
    assert not meetings.filter(updated_at__lt=F("created_at")).exists()
    assert meetings.filter(valid_until__isnull=False).exists()


@pytest.mark.django_db
def test_slugs_are_distinct_where_the_schema_lets_them_repeat():
    seed(*ONLY, "--count", "realshapes.Topic=300")
    slugs = [slug.casefold() for slug in Topic.objects.values_list("slug", flat=True)]
    assert len(slugs) == len(set(slugs)) == 300


@pytest.mark.django_db
def test_a_step_whose_first_rows_clean_accepts_is_not_checked_row_by_row():
    """Building every row of a large step as an instance costs more than its
    seed: a step whose sample passes as drawn goes on unchecked."""
    calls = []
    with mock.patch.object(Unjudged, "clean", lambda row: calls.append(row)):
        seed(*ONLY, "--count", f"realshapes.Unjudged={3 * SAMPLE}")
    assert Unjudged.objects.count() == 3 * SAMPLE
    assert SAMPLE <= len(calls) < 2 * SAMPLE


@pytest.mark.django_db
def test_a_step_whose_rows_clean_rejects_is_checked_to_the_end():
    seed(*ONLY, "--count", f"realshapes.Part={3 * SAMPLE}")
    assert clean_failures(Part) == []


@pytest.mark.django_db
def test_rows_a_seed_module_gives_every_value_of_are_not_cleaned(monkeypatch):
    """No row could take another's values: clean() is not asked at all."""
    import seeding
    from seeding import registry

    class LabelSeed(seeding.Seed):
        def rows(self, ctx):
            return [{"label": f"label {n}"} for n in range(10)]

    registry.autodiscover()
    entries = {
        **registry.site._registry,
        "realshapes.Unpleasable": (LabelSeed, __name__),
    }
    monkeypatch.setattr(registry.site, "_registry", entries)
    asked = []
    monkeypatch.setattr(Unpleasable, "clean", lambda row: asked.append(row))
    seed("--only", "realshapes.Unpleasable")
    assert Unpleasable.objects.count() == 10 and asked == []


@pytest.mark.django_db
def test_a_status_the_schema_lists_no_choices_for_keeps_its_default():
    seed(*ONLY, "--count", "realshapes.Campaign=50")
    assert set(Campaign.objects.values_list("status", "state")) == {("Open", "draft")}
