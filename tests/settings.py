"""The demo project's settings plus the test-only apps."""

import tempfile
from pathlib import Path

from project.settings import *  # noqa: F403
from project.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.corpus", "tests.realshapes", "tests.shapes"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS += ["django.contrib.postgres", "tests.pgcorpus"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test runner switches DEBUG off, which seeding reads as production.
SEEDING = {**SEEDING, "PRODUCTION": False}  # noqa: F405
# Models built to fail, and those that need them: only their tests seed them.
FAILING = ["shapes.Fragile", "shapes.FragileNote", "shapes.Sealed", "shapes.SealedNote"]
SEEDING["EXCLUDE"] = [*SEEDING.get("EXCLUDE", ()), *FAILING]

# tests/shapes holds an ImageField; seeding writes its images without Pillow.
SILENCED_SYSTEM_CHECKS = ["fields.E210"]

# Seeded file fields name files that exist: made here, never in the project.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "seeding-tests-media"
