"""The demo seeded again: seed adds a second school's worth of rows, --top-up
reaches the counts once, --fresh starts over, and every domain rule holds."""

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction

import seeding
from seeding.api import count_rows_decided
from seeding.conf import get_config
from seeding.plan import build_plan
from project.school.models import Guardian, Student, Teacher, User

USING = DEFAULT_DB_ALIAS
SCALE = 0.1
# The demo alone: the test apps are not the school.
EXCLUDE = [
    config.label
    for config in apps.get_app_configs()
    if config.name.startswith("tests.")
]
DEMO = [config.label for config in apps.get_app_configs() if config.name.startswith("project.")]


def failing_checks():
    checks = [c for c in seeding.registry.site.checks if c.module.startswith("project.")]
    return [c.description for c in checks if c.func(seeding.CheckContext.of(USING)).exists()]


def people():
    return {
        model.__name__: model.objects.count()
        for model in (User, Student, Teacher, Guardian)
    }


@pytest.fixture
def demo(django_db_setup, django_db_blocker):
    """The demo seeded once, rolled back after the test."""
    with django_db_blocker.unblock(), transaction.atomic(using=USING):
        seeding.seed(USING, seed=7, scale=SCALE, exclude=EXCLUDE)
        yield USING
        transaction.set_rollback(True, using=USING)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_second_seed_doubles_the_people_and_keeps_every_rule(demo):
    before = people()
    # The same seed again: the values it draws are those of the first run.
    seeding.seed(USING, seed=7, scale=SCALE, exclude=EXCLUDE)
    after = people()
    assert after["Student"] == 2 * before["Student"]
    assert after["Teacher"] == 2 * before["Teacher"]
    assert after["User"] > before["User"]
    assert failing_checks() == []


@pytest.mark.slow
@pytest.mark.django_db
def test_a_top_up_reaches_the_counts_and_a_second_changes_nothing(demo):
    before = people()
    seeding.seed(USING, seed=8, scale=2 * SCALE, exclude=EXCLUDE, top_up=True)
    assert people()["Student"] == 2 * before["Student"]
    assert failing_checks() == []
    result = seeding.seed(USING, seed=9, scale=2 * SCALE, exclude=EXCLUDE, top_up=True)
    assert {m: n for m, n in result.inserted.items() if n} == {}
    assert failing_checks() == []


@pytest.mark.slow
@pytest.mark.django_db
def test_fresh_starts_over_after_a_second_seed(demo):
    seeding.seed(USING, seed=8, scale=SCALE, exclude=EXCLUDE)
    once = people()
    # Emptying the demo empties the test apps' rows that point into it too.
    seeding.seed(USING, seed=7, scale=SCALE, only=DEMO, fresh=True)
    assert people()["Student"] == once["Student"] // 2
    assert failing_checks() == []


@pytest.mark.slow
@pytest.mark.django_db
def test_the_plan_counts_what_a_second_seed_writes_and_writes_nothing(demo):
    before = people()
    plan = build_plan(USING, get_config(), seed=8, scale=SCALE, exclude=EXCLUDE)
    count_rows_decided(plan)
    assert [step.label for step in plan.steps if step.count is None] == []
    assert plan.step(Student).count == before["Student"]
    assert people() == before
