"""
Large public Django apps, each installed alone in a project of its own
(tests/public/<name>/settings.py), seeded with zero configuration: the seed
runs to the end, the data breaks no rule of the database, every admin page
and the application's own pages (tests/public/<name>/pages.py) answer, and
purge gives back what migrate created.

Each project runs in subprocesses on a throwaway database (tests/throwaway.py).
"""

import pytest

from tests.thirdparty.census import FRAMEWORK
from tests.throwaway import Project, throwaway_database

pytestmark = pytest.mark.slow

#: The packages under tests/public, one project each.
CORPORA = ("cms", "events", "shop")
PROBLEMS = ("orphans", "dangling_generic", "duplicates", "broken_structures")


@pytest.fixture(scope="module", params=CORPORA)
def migrated(request, tmp_path_factory):
    with throwaway_database(tmp_path_factory, request.param) as url:
        project = Project(f"tests.public.{request.param}.settings", url)
        returncode, errors = project.manage("migrate", "--noinput", "-v", "0")
        assert returncode == 0, errors
        project.migrated_census = project.census()
        yield project


@pytest.fixture(scope="module")
def seeded(migrated):
    returncode, errors = migrated.seed()
    if returncode:
        pytest.fail(f"seed failed:\n{errors}")
    return migrated.census()


def test_seed_fills_every_table(seeded):
    assert seeded["empty"] == []


def test_seeded_rows_break_no_rule_of_the_database(seeded):
    assert seeded["constraint_check"] is None
    assert {key: seeded[key] for key in PROBLEMS} == {key: [] for key in PROBLEMS}


def test_every_admin_page_answers(migrated, seeded):
    """Every changelist, add page and change page, as a superuser."""
    assert migrated.admin_pages()["failures"] == []


def test_the_apps_own_pages_answer(migrated, seeded):
    """The pages a corpus lists in its pages.py: the apps' own views, which
    read values the admin only shows (rules they parse, slugs they look up)."""
    pages = migrated.settings.replace(".settings", ".pages")
    assert migrated.json("tests.admin_pages", pages)["failures"] == []


def test_purge_truncate_gives_back_what_migrate_created(migrated, seeded):
    returncode, errors = migrated.manage("purge", "--truncate", "--noinput")
    assert returncode == 0, errors
    before, after = migrated.migrated_census["rows"], migrated.census()["rows"]
    kept = {label: n for label, n in after.items() if label not in FRAMEWORK}
    assert kept == {label: before[label] for label in kept}
