"""
A hostile new user's second round: options that were ignored, settings that
turned guards off, mistakes in seed modules that passed silently, and errors
that escaped as tracebacks. Each command ends with the right data or a
one-line error, a non-zero exit status and the database unchanged.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.corpus.models import Tag

pytestmark = pytest.mark.django_db


def seed(*args, **options):
    """Run seed on the corpus without migrating; return its output."""
    from io import StringIO

    out = StringIO()
    call_command("seed", "--no-migrate", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


# Settings that replaced or switched off what they should add to


def test_reuse_adds_to_the_framework_list_instead_of_replacing_it(settings):
    """With REUSE naming one more model, content types are still reused."""
    settings.SEEDING = {"PRODUCTION": False, "REUSE": ["corpus.Tag"]}
    plan = seed("--plan")
    assert "contenttypes.ContentType" not in plan
    assert "auth.Permission " not in plan
    assert "corpus.Tag " not in plan


def test_skip_adds_to_the_framework_list_instead_of_replacing_it(settings):
    """With SKIP naming one more model, sessions are still left alone."""
    settings.SEEDING = {"PRODUCTION": False, "SKIP": ["corpus.Tag"]}
    plan = seed("--plan")
    assert "sessions.Session" not in plan
    assert "corpus.Tag " not in plan


@pytest.mark.parametrize("key", ["REUSE", "SKIP"])
def test_an_unknown_label_in_reuse_or_skip_is_an_error(settings, key):
    settings.SEEDING = {"PRODUCTION": False, key: ["corpus.Nope"]}
    with pytest.raises(CommandError, match=rf"SEEDING\['{key}'\].*corpus\.Nope"):
        seed("--plan", "--only", "corpus.Tag")


@pytest.mark.parametrize("count", [True, -1, 2.5])
def test_a_count_that_is_not_a_whole_number_of_rows_is_refused(settings, count):
    """COUNTS takes whole numbers of zero or more: True is not one row."""
    settings.SEEDING = {"PRODUCTION": False, "COUNTS": {"corpus.Tag": count}}
    with pytest.raises(CommandError, match=r"SEEDING\['COUNTS'\]"):
        seed("--plan", "--only", "corpus.Tag")


def test_an_unknown_locale_is_refused_before_planning(settings):
    settings.SEEDING = {"PRODUCTION": False, "LOCALE": "xx_YY"}
    with pytest.raises(CommandError, match=r"SEEDING\['LOCALE'\].*xx_YY"):
        seed("--plan", "--only", "corpus.Tag")


def test_an_unknown_alias_in_production_is_an_error(settings):
    """A mistyped alias would otherwise turn the DEBUG-off guard off."""
    settings.SEEDING = {"PRODUCTION": ["defualt"]}
    with pytest.raises(CommandError, match=r"PRODUCTION.*'defualt'.*DATABASES"):
        seed("--only", "corpus.Tag")
    assert not Tag.objects.exists()


def test_production_asks_for_database_aliases_not_app_labels(settings):
    settings.SEEDING = {"PRODUCTION": [3]}
    with pytest.raises(CommandError, match="database aliases") as caught:
        seed("--only", "corpus.Tag")
    assert "app_label" not in str(caught.value)


def test_a_plan_which_writes_nothing_runs_on_production(settings):
    settings.SEEDING = {"PRODUCTION": True}
    assert "The plan can run." in seed("--plan", "--only", "corpus.Tag")


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_the_lock_timeout_is_a_positive_number_of_seconds(settings, timeout):
    settings.SEEDING = {"PRODUCTION": False, "LOCK_TIMEOUT": timeout}
    with pytest.raises(CommandError, match=r"SEEDING\['LOCK_TIMEOUT'\]"):
        seed("--plan", "--only", "corpus.Tag")
