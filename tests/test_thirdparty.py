"""
seed and purge on the demo project plus a wide set of third-party apps
(tests/thirdparty/settings.py), with zero configuration.

Each command runs in a subprocess under those settings, against a throwaway
database: a SQLite file, or a database of its own on the PostgreSQL or
MariaDB server that DATABASE_URL names. The main test database is never
touched. tests/thirdparty/census.py reads what the database holds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest

from tests.thirdparty.census import FRAMEWORK

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "tests.thirdparty.settings"
#: URL schemes of the servers on which the test creates a database of its own.
SERVERS = ("postgres", "postgresql", "mysql")


def server_connection(url):
    """An autocommit connection to the server of ``url``, outside any database."""
    config = environ.Env.db_url_config(url)
    login = {
        "host": config["HOST"],
        "port": int(config["PORT"]) if config["PORT"] else None,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    login = {key: value for key, value in login.items() if value}
    if "postgresql" in config["ENGINE"]:
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, **login)
    import pymysql

    return pymysql.connect(autocommit=True, **login)


def execute(url, *statements):
    with server_connection(url) as connection:
        for sql in statements:
            connection.cursor().execute(sql)


def create_database(url, name):
    """Create database ``name`` on the server of ``url``; return its URL."""
    execute(url, drop_statement(url, name))
    if urlsplit(url).scheme == "mysql":
        execute(url, f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    else:
        execute(url, f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def drop_statement(url, name):
    quoted = f"`{name}`" if urlsplit(url).scheme == "mysql" else f'"{name}"'
    return f"DROP DATABASE IF EXISTS {quoted}"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The URL of an empty database beside the session's, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in SERVERS:
        path = tmp_path_factory.mktemp("thirdparty") / "db.sqlite3"
        # A throwaway file needs no fsync: it halves the time migrate takes.
        yield f"sqlite:///{path}?init_command=PRAGMA%20synchronous%3DOFF"
        return
    name = f"seeding_thirdparty_{os.getpid()}"
    try:
        throwaway = create_database(url, name)
    except Exception as exc:
        pytest.skip(f"cannot create database {name} beside DATABASE_URL's: {exc}")
    yield throwaway
    execute(url, drop_statement(url, name))


def run(database, *args):
    """Run python with ``args`` under the third-party settings."""
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": SETTINGS}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def manage(database, *args):
    done = run(database, "manage.py", *args)
    return done.returncode, done.stderr[-3000:]


def seed(database, *args):
    return manage(database, "seed", "--seed", "5", "--noinput", *args)


def census(database):
    done = run(database, "-m", "tests.thirdparty.census")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def migrated(database):
    returncode, errors = manage(database, "migrate", "--noinput", "-v", "0")
    assert returncode == 0, errors
    return database


@pytest.fixture(scope="module")
def migrated_census(migrated):
    """What migrate left: rows some apps create (guardian's anonymous user)."""
    return census(migrated)


@pytest.fixture(scope="module")
def seeded(migrated, migrated_census):
    """seed, without a single option, on the freshly migrated database."""
    return seed(migrated)


@pytest.fixture(scope="module")
def seeded_census(migrated, seeded):
    returncode, errors = seeded
    if returncode:
        pytest.fail(f"seed failed:\n{errors}")
    return census(migrated)


@pytest.fixture(scope="module")
def purged_census(migrated, seeded_census):
    returncode, errors = manage(migrated, "purge", "--truncate", "--noinput")
    assert returncode == 0, errors
    return census(migrated)


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
    done = run(migrated, "manage.py", "seed", "--plan", "--only", "thirdparty")
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
    done = run(migrated, "-m", "tests.admin_pages")
    assert done.returncode == 0, done.stderr[-3000:]
    pages = json.loads(done.stdout)
    assert pages["failures"] == []


def test_a_second_seed_grows_the_trees_and_orderings_validly(migrated, seeded_census):
    """Rows seeded onto existing trees and orderings follow the rows there."""
    returncode, errors = seed(migrated, "--only", "thirdparty")
    assert returncode == 0, errors
    after = census(migrated)
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
    returncode, errors = seed(migrated)
    assert returncode == 0, errors
    after = census(migrated)
    problems = (
        "empty",
        "orphans",
        "dangling_generic",
        "duplicates",
        "broken_structures",
    )
    assert {key: after[key] for key in problems} == {key: [] for key in problems}
