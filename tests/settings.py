"""The demo project's settings plus the test-only apps."""

from project.settings import *  # noqa: F403
from project.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.corpus", "tests.realshapes"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS += ["django.contrib.postgres", "tests.pgcorpus"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test runner switches DEBUG off, which seeding reads as production.
SEEDING = {**SEEDING, "PRODUCTION": False}  # noqa: F405
