"""
The demo project's settings plus ``bench.benchapp``, the benchmark's own
school schema, which has no seeds module: ``seed --only benchapp`` fills it
with automatic values only.

DEBUG is off so that no method pays for Django's query log (with DEBUG on,
every statement bulk_create and model_bakery run is also formatted for it),
and the database is declared not production, which DEBUG off would imply.
``BENCH_SOURCE_URL``, when set, adds a ``source`` database: the file that
the raw method reads seed's rows from.
"""

from project.settings import *  # noqa: F403
from project.settings import DATABASES, INSTALLED_APPS, SEEDING, env

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]
SEEDING = {**SEEDING, "PRODUCTION": False}

if env("BENCH_SOURCE_URL", default=None):
    DATABASES = {**DATABASES, "source": env.db("BENCH_SOURCE_URL")}
