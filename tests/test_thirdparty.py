"""
seed and purge on the demo project plus a wide set of third-party apps
(tests/thirdparty/settings.py), with zero configuration, on a throwaway
database (tests/throwaway.py). tests/thirdparty/census.py reads what the
database holds.
"""

import pytest

from tests.thirdparty.census import FRAMEWORK
from tests.throwaway import Project, throwaway_database

pytestmark = pytest.mark.slow

SETTINGS = "tests.thirdparty.settings"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    with throwaway_database(tmp_path_factory, "thirdparty") as url:
        yield Project(SETTINGS, url)


@pytest.fixture(scope="module")
def migrated(project):
    returncode, errors = project.manage("migrate", "--noinput", "-v", "0")
    assert returncode == 0, errors
    return project


@pytest.fixture(scope="module")
def migrated_census(migrated):
    """What migrate left: rows some apps create (guardian's anonymous user)."""
    return migrated.census()


@pytest.fixture(scope="module")
def seeded(migrated, migrated_census):
    """seed, without a single option, on the freshly migrated database."""
    return migrated.seed()


@pytest.fixture(scope="module")
def seeded_census(migrated, seeded):
    returncode, errors = seeded
    if returncode:
        pytest.fail(f"seed failed:\n{errors}")
    return migrated.census()


@pytest.fixture(scope="module")
def purged_census(migrated, seeded_census):
    returncode, errors = migrated.manage("purge", "--truncate", "--noinput")
    assert returncode == 0, errors
    return migrated.census()


def test_installs_a_wide_set_of_third_party_apps(seeded_census):
    """At least eight third-party apps with models of their own are installed."""
    apps = {label.partition(".")[0] for label in seeded_census["third_party"]}
    assert len(apps) >= 8, apps


def test_seed_succeeds(seeded):
    """seed runs to the end on the whole project."""
    returncode, errors = seeded
    assert returncode == 0, errors


def test_every_table_has_rows(seeded_census):
    """Every table holds rows, but those a seed module asks to leave empty."""
    assert seeded_census["empty"] == []


def test_every_many_to_many_table_has_rows(seeded_census):
    """Every auto-created many-to-many table holds rows."""
    assert seeded_census["empty_m2m"] == []


def test_the_database_finds_no_broken_foreign_key(seeded_census):
    """connection.check_constraints() passes."""
    assert seeded_census["constraint_check"] is None


def test_no_foreign_key_points_at_a_missing_row(seeded_census):
    """No row of any table points at a row that does not exist."""
    assert seeded_census["orphans"] == []


def test_no_generic_relation_points_at_a_missing_row(seeded_census):
    """Every GenericForeignKey names a content type and a row that exist."""
    assert seeded_census["dangling_generic"] == []


def test_no_unique_rule_is_broken(seeded_census):
    """No two rows share the values of a unique field or unique set."""
    assert seeded_census["duplicates"] == []


def test_plan_says_which_library_keeps_which_fields(migrated):
    done = migrated.run("manage.py", "seed", "--plan", "--only", "thirdparty")
    assert done.returncode == 0, done.stderr[-3000:]
    for line in (
        "django-mptt: lft, rght, tree_id, level rebuilt from the parent key",
        "django-treebeard materialised path: path, depth, numchild generated as a forest",
        "django-treebeard nested sets: lft, rgt, tree_id, depth generated as a forest",
        "django-treebeard adjacency list: sib_order numbered in sequence within parent",
        "django-ordered-model: order numbered in sequence within book, from 0",
        "django-polymorphic: polymorphic_ctype set to the model's own content type",
    ):
        assert line in done.stdout


def test_trees_and_orderings_are_valid_for_their_library(seeded_census):
    """mptt and treebeard trees, ordered-model positions and polymorphic
    content types are what each library would have written itself."""
    assert seeded_census["broken_structures"] == []


def test_every_admin_page_answers_on_the_seeded_project(migrated, seeded_census):
    """As a superuser, every changelist, add page and change page of the
    admin, the libraries' own ModelAdmins included, answers without a
    server error (tests/admin_pages.py)."""
    assert migrated.admin_pages()["failures"] == []


def test_a_second_seed_grows_the_trees_and_orderings_validly(migrated, seeded_census):
    """Rows seeded onto existing trees and orderings follow the rows there."""
    returncode, errors = migrated.seed("--only", "thirdparty")
    assert returncode == 0, errors
    after = migrated.census()
    assert after["rows"]["thirdparty.Shelf"] > seeded_census["rows"]["thirdparty.Shelf"]
    assert (after["broken_structures"], after["duplicates"]) == ([], [])


def test_purge_truncate_leaves_what_migrate_created(migrated_census, purged_census):
    """purge --truncate empties every table that seed fills, but for the
    rows that were there before the first seed."""
    before, after = migrated_census["rows"], purged_census["rows"]
    left = {label: n for label, n in after.items() if n and label not in FRAMEWORK}
    assert left == {label: before[label] for label in left}
    assert sum(left.values()) == sum(
        n for label, n in before.items() if label not in FRAMEWORK
    )


def test_seed_after_purge_fills_every_table_again(migrated, purged_census):
    """A purged database seeds again, with no orphan, dangling or duplicate."""
    returncode, errors = migrated.seed()
    assert returncode == 0, errors
    after = migrated.census()
    problems = (
        "empty",
        "orphans",
        "dangling_generic",
        "duplicates",
        "broken_structures",
    )
    assert {key: after[key] for key in problems} == {key: [] for key in problems}
