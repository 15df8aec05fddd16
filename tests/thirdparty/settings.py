"""The demo project's settings plus a wide set of third-party apps."""

from project.settings import *  # noqa: F403
from project.settings import INSTALLED_APPS, MIDDLEWARE, SEEDING

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.sites",
    "taggit",
    "mptt",
    "treebeard",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "simple_history",
    "auditlog",
    "django_comments",
    "oauth2_provider",
    "polymorphic",
    "ordered_model",
    "reversion",
    "tests.thirdparty",
]

MIDDLEWARE = [
    *MIDDLEWARE,
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "oauth2_provider.middleware.OAuth2TokenMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
    "oauth2_provider.backends.OAuth2Backend",
]

ROOT_URLCONF = "tests.thirdparty.urls"
SITE_ID = 1
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OAUTH2_PROVIDER = {"SCOPES": {"read": "Read scope", "write": "Write scope"}}

# The throwaway database of tests/test_thirdparty.py, whatever DEBUG says.
SEEDING = {**SEEDING, "PRODUCTION": False}
