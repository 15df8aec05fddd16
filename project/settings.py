"""
Settings of the demo school project.

Everything that differs between machines comes from the environment or an
optional ``.env`` file beside ``manage.py``; ``.env.example`` documents each
variable. With nothing set, the project runs on a SQLite file in DEBUG mode.
"""

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(DEBUG=(bool, True), ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1"]))
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A development key is acceptable only while DEBUG is on; in production a
# missing SECRET_KEY is an ImproperlyConfigured error naming the variable.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

with warnings.catch_warnings():
    # django-environ warns of an unknown scheme, quoting the URL; the error
    # below says the same without quoting it, as the URL may hold a password.
    warnings.simplefilter("ignore")
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database URL; use postgres://user@host:port/name, "
        "mysql://user@host:port/name or sqlite:///path."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and not DATABASES["default"]["NAME"]:
    raise ImproperlyConfigured("DATABASE_URL names no database; end it with /name.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # PyMySQL installs cleanly everywhere; mysqlclient needs C headers.
    import pymysql

    pymysql.install_as_MySQLdb()
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("charset", "utf8mb4")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "seeding",
    "project.school",
    "project.messaging",
    "project.resources",
    "project.curriculum",
    "project.behavior",
    "project.audit",
    "project.exams",
    "project.finance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

AUTH_USER_MODEL = "school.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SEEDING = {
    # The seeded users' password; without it they get unusable passwords.
    "PASSWORD": env("SEED_PASSWORD", default=None),
}
