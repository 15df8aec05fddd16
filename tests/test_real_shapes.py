"""
Shapes seen on real projects (tests/realshapes): each once stopped a whole
seed, purge or report.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from tests.realshapes.models import Dosage, Meeting, MenuItem, OracleOnly, Topic

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
