"""
A project under settings of its own, on a throwaway database, driven in
subprocesses: how the third-party and public-app suites seed projects that
the test session's own settings do not hold.

The database is a SQLite file, or a database of its own on the PostgreSQL or
MariaDB server that DATABASE_URL names. The session's test database is never
touched.
"""

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest

ROOT = Path(__file__).resolve().parent.parent
#: URL schemes of the servers on which a database of its own is created.
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


@contextmanager
def throwaway_database(tmp_path_factory, name):
    """The URL of an empty database called ``name`` beside the session's,
    dropped on exit."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in SERVERS:
        path = tmp_path_factory.mktemp(name) / "db.sqlite3"
        # A throwaway file needs no fsync: it halves the time migrate takes.
        yield f"sqlite:///{path}?init_command=PRAGMA%20synchronous%3DOFF"
        return
    name = f"seeding_{name}_{os.getpid()}"
    try:
        throwaway = create_database(url, name)
    except Exception as exc:
        pytest.skip(f"cannot create database {name} beside DATABASE_URL's: {exc}")
    yield throwaway
    execute(url, drop_statement(url, name))


class Project:
    """The project that ``settings`` describes, on the database ``url``."""

    def __init__(self, settings, url):
        self.settings = settings
        self.url = url

    def run(self, *args):
        """Run python with ``args`` under the project's settings."""
        env = {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": self.settings}
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def manage(self, *args):
        """(exit status, the end of stderr) of a management command."""
        done = self.run("manage.py", *args)
        return done.returncode, done.stderr[-3000:]

    def seed(self, *args):
        return self.manage("seed", "--seed", "5", "--noinput", *args)

    def json(self, module, *args):
        """What ``python -m module args`` prints, as JSON."""
        done = self.run("-m", module, *args)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    def census(self):
        return self.json("tests.thirdparty.census")

    def admin_pages(self):
        return self.json("tests.admin_pages")
