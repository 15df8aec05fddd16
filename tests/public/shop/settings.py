"""
django-oscar, an e-commerce framework, alone with the contrib apps and
seeding: its catalogue, partners, offers, vouchers, baskets and orders.
"""

import tempfile
from pathlib import Path

from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *  # noqa: F403

from project.settings import DATABASES, MIDDLEWARE, SECRET_KEY, TEMPLATES  # noqa: F401

INSTALLED_APPS = [*OSCAR_APPS, "seeding"]
MIDDLEWARE = [*MIDDLEWARE, "oscar.apps.basket.middleware.BasketMiddleware"]
ROOT_URLCONF = "tests.public.shop.urls"
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SITE_ID = 1
USE_TZ = True
# In UTC, MySQL and MariaDB group dates (the admin's date hierarchy) without
# the server's time zone tables, which a fresh server lacks.
TIME_ZONE = "UTC"
STATIC_URL = "static/"
# The key type oscar's migrations create.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The throwaway database of tests/test_public_apps.py, whatever DEBUG says.
SEEDING = {"PRODUCTION": False}
# Seeded image fields name files that exist: made here, never in the project.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "seeding-tests-media"
