"""Wagtail and its contrib apps with two page types of its own, and seeding."""

import tempfile
from pathlib import Path

from project.settings import *  # noqa: F403
from project.settings import INSTALLED_APPS, MIDDLEWARE, SEEDING

DJANGO_APPS = [app for app in INSTALLED_APPS if app.startswith("django.")]
INSTALLED_APPS = [
    *DJANGO_APPS,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "seeding",
    "tests.public.cms.blog",
]
MIDDLEWARE = [*MIDDLEWARE, "wagtail.contrib.redirects.middleware.RedirectMiddleware"]
AUTH_USER_MODEL = "auth.User"
ROOT_URLCONF = "tests.public.cms.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WAGTAIL_SITE_NAME = "Seeded CMS"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Seeded file fields name files that exist: made here, never in the project.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "seeding-cms-media"

# The throwaway database of tests/test_public_apps.py, whatever DEBUG says.
SEEDING = {**SEEDING, "PRODUCTION": False}
