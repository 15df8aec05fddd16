"""
An events and tickets project: django-helpdesk (queues, tickets, follow-ups,
a knowledge base, custom fields, checklists) and django-scheduler (calendars,
events, recurrence rules, occurrences), with nothing of the demo project but
its database, middleware and templates settings.
"""

import tempfile
from pathlib import Path

from project import settings as demo

DATABASES, MIDDLEWARE, TEMPLATES = demo.DATABASES, demo.MIDDLEWARE, demo.TEMPLATES
SECRET_KEY = "events-corpus-only"
DEBUG = True
INSTALLED_APPS = [
    # Django's own apps of the demo project, none of its own.
    *(app for app in demo.INSTALLED_APPS if app.startswith("django.")),
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
    "schedule",
    "seeding",
]
ROOT_URLCONF = "tests.public.events.urls"
SITE_ID = 1
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Teams need pinax-teams, which does not install with this Django.
HELPDESK_TEAMS_MODE_ENABLED = False

SEEDING = {
    # The throwaway database of tests/test_public_apps.py, whatever DEBUG says.
    "PRODUCTION": False,
    # Values the apps interpret, which no schema tells: a recurrence rule's
    # frequency and dateutil parameters (a secondly rule over a year of
    # events never ends a calendar page), and custom field types whose
    # values are any text (an "integer" field's value is parsed as one).
    "CHOICES": {
        "schedule.Rule.frequency": ["YEARLY", "MONTHLY", "WEEKLY", "DAILY"],
        "schedule.Rule.params": [
            "",
            "count:10",
            "interval:2",
            "byweekday:MO,WE,FR",
            "bymonthday:1,15",
            "byweekday:TU;count:8",
        ],
        "helpdesk.CustomField.data_type": ["varchar", "text"],
    },
}

# Seeded file fields name files that exist: made here, never in the project.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "seeding-events-media"
