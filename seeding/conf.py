"""
The ``SEEDING`` setting, read and validated once per run.

Every key is optional::

    SEEDING = {
        "DEFAULT_COUNT": 20,          # rows for a model nobody gave a count
        "COUNTS": {"app.Model": 500}, # per-model counts
        "EXCLUDE": ["app", "app.Model"],
        "REUSE": ["app.Model"],       # more rows the framework creates: link, never add
        "SKIP": ["app.Model"],        # more tables only the framework should fill
        "LOCALE": "en_US",            # one of Faker's locales
        "OPTIONAL_RATIO": 0.8,        # share of nullable/blank fields that get a value
        "BATCH_SIZE": 2000,
        "PASSWORD": None,             # seeded users' password; else $SEED_PASSWORD
        "PRODUCTION": None,           # True/False, or a list of aliases; None: not DEBUG
        "LOCK_TIMEOUT": 60,           # seconds to wait for a lock another session holds
        "NOW": "2026-06-01T00:00:00Z",  # the moment seeded data leads up to
        "CHOICES": {"app.Model.field": ["a", "b"]},  # values kept outside the schema
    }

``REUSE`` and ``SKIP`` add to the framework's models listed below, never
replace them. ``NOW`` is fixed rather than the clock's time so that one seed number gives
the same data on any day.
"""

import datetime
from dataclasses import dataclass, field

import environ
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from faker.config import AVAILABLE_LOCALES

from .exceptions import ConfigurationError

REUSED = ("contenttypes.ContentType", "auth.Permission", "sites.Site")
SKIPPED = ("sessions.Session", "admin.LogEntry")


@dataclass(frozen=True)
class Config:
    default_count: int = 20
    counts: dict = field(default_factory=dict)
    exclude: tuple = ()
    reuse: tuple = REUSED
    skip: tuple = SKIPPED
    locale: str = "en_US"
    optional_ratio: float = 0.8
    batch_size: int = 2000
    password: str | None = None
    production: object = None
    lock_timeout: float = 60
    now: datetime.datetime = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    #: {"app_label.model.field" (lower-case label): tuple of values}
    choices: dict = field(default_factory=dict)

    def is_production(self, alias):
        if self.production is None:
            return not settings.DEBUG
        if isinstance(self.production, bool):
            return self.production
        return alias in self.production


def _check(key, value, types, description):
    types = types if isinstance(types, tuple) else (types,)
    # bool is an int to isinstance(), never to a person writing settings.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise ConfigurationError(
            f"SEEDING[{key!r}] must be {description}, not {value!r}."
        )


def _labels(key, value):
    _check(key, value, (list, tuple), "a list of 'app_label' or 'app_label.Model'")
    for label in value:
        _check(key, label, str, "a list of 'app_label' or 'app_label.Model'")
    return tuple(value)


def get_config():
    """Return the validated SEEDING setting; raise ConfigurationError."""
    raw = getattr(settings, "SEEDING", None)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigurationError(f"SEEDING must be a dict, not {type(raw).__name__}.")
    unknown = sorted(set(raw) - set(PARSERS) - {"PASSWORD"})
    if unknown:
        known = sorted([*PARSERS, "PASSWORD"])
        raise ConfigurationError(
            f"Unknown SEEDING key(s): {', '.join(unknown)}. "
            f"Known keys: {', '.join(known)}."
        )
    values = {
        key.lower(): parse(raw[key])
        for key, parse in PARSERS.items()
        if raw.get(key) is not None
    }
    return Config(**values, password=_password(raw.get("PASSWORD")))


def _default_count(count):
    _check("DEFAULT_COUNT", count, int, "a whole number")
    if count < 0:
        raise ConfigurationError("SEEDING['DEFAULT_COUNT'] must not be negative.")
    return count


def _optional_ratio(ratio):
    _check("OPTIONAL_RATIO", ratio, (int, float), "a number between 0 and 1")
    if not 0 <= ratio <= 1:
        raise ConfigurationError(
            f"SEEDING['OPTIONAL_RATIO'] must lie between 0 and 1, not {ratio}."
        )
    return float(ratio)


def _batch_size(size):
    _check("BATCH_SIZE", size, int, "a positive whole number")
    if size < 1:
        raise ConfigurationError("SEEDING['BATCH_SIZE'] must be positive.")
    return size


def _password(password):
    if password is None:
        password = environ.Env().str("SEED_PASSWORD", default=None)
    if password is not None and not isinstance(password, str):
        # The value itself is a secret: never echo it.
        raise ConfigurationError("SEEDING['PASSWORD'] must be a string.")
    return password or None


def _counts(counts):
    _check("COUNTS", counts, dict, "a dict of 'app_label.Model': count")
    for label, count in counts.items():
        if (
            not isinstance(label, str)
            or not isinstance(count, int)
            or isinstance(count, bool)
            or count < 0
        ):
            raise ConfigurationError(
                f"SEEDING['COUNTS'] maps 'app_label.Model' to a whole number of "
                f"rows, zero or more; got {label!r}: {count!r}."
            )
    return dict(counts)


def _installed(key, value):
    """The labels of ``value``, each an installed app or model."""
    labels = _labels(key, value)
    for label in labels:
        try:
            if "." in label:
                apps.get_model(label)
            else:
                apps.get_app_config(label)
        except (LookupError, ValueError):
            raise ConfigurationError(
                f"SEEDING[{key!r}] names {label!r}, which is not an installed "
                f"app or model."
            ) from None
    return labels


def _locale(locale):
    _check("LOCALE", locale, str, "a Faker locale such as 'en_US'")
    if locale not in AVAILABLE_LOCALES:
        raise ConfigurationError(
            f"SEEDING['LOCALE'] is {locale!r}, which Faker does not know; "
            f"use one such as 'en_US' or 'fr_FR'."
        )
    return locale


def _production(production):
    if isinstance(production, bool):
        return production
    description = "True, False or a list of database aliases"
    _check("PRODUCTION", production, (list, tuple), description)
    for alias in production:
        _check("PRODUCTION", alias, str, description)
        # A mistyped alias would leave the real one unguarded.
        if alias not in connections:
            raise ConfigurationError(
                f"SEEDING['PRODUCTION'] names database alias {alias!r}, which "
                f"DATABASES lacks (it has {', '.join(sorted(connections))})."
            )
    return tuple(production)


def _lock_timeout(seconds):
    _check("LOCK_TIMEOUT", seconds, (int, float), "a number of seconds above 0")
    if not 0 < seconds <= 86_400:
        raise ConfigurationError(
            f"SEEDING['LOCK_TIMEOUT'] must lie above 0 and at most 86400 seconds, "
            f"not {seconds}."
        )
    return seconds


def _choices(raw):
    """SEEDING['CHOICES'], keyed by the field's lower-case label."""
    _check("CHOICES", raw, dict, "a dict of 'app_label.Model.field': [values]")
    choices = {}
    for label, values in raw.items():
        app_model, _, name = str(label).rpartition(".")
        if not isinstance(label, str) or app_model.count(".") != 1:
            raise ConfigurationError(
                f"SEEDING['CHOICES'] keys are 'app_label.Model.field', not {label!r}."
            )
        try:
            field = apps.get_model(app_model)._meta.get_field(name)
        except (LookupError, FieldDoesNotExist):
            raise ConfigurationError(
                f"SEEDING['CHOICES'] names {label}, which is not a field of an installed model."
            ) from None
        if not isinstance(values, (list, tuple)) or not values:
            raise ConfigurationError(
                f"SEEDING['CHOICES'][{label!r}] must be a non-empty list of values."
            )
        choices[choice_key(field)] = tuple(values)
    return choices


def choice_key(field):
    """How SEEDING['CHOICES'] knows ``field``: by its model's label, lower-case."""
    return f"{field.model._meta.label_lower}.{field.name}"


def _moment(value):
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.datetime):
        raise ConfigurationError(
            "SEEDING['NOW'] must be a datetime or an ISO 8601 string such as "
            "'2026-06-01T00:00:00Z'."
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    # Seeded dates reach a century or two back and years ahead of NOW;
    # every backend stores these years.
    if not EARLIEST_NOW <= value.year <= LATEST_NOW:
        raise ConfigurationError(
            f"SEEDING['NOW'] must lie between the years {EARLIEST_NOW} and "
            f"{LATEST_NOW}, not {value.isoformat()}."
        )
    return value


EARLIEST_NOW, LATEST_NOW = 1900, 9000


#: Each SEEDING key but PASSWORD, and what validates it into a Config field
#: of the same name in lower case. The framework's own REUSE and SKIP lists
#: stay: a project naming one more model must not start seeding content types.
PARSERS = {
    "DEFAULT_COUNT": _default_count,
    "COUNTS": _counts,
    "EXCLUDE": lambda value: _labels("EXCLUDE", value),
    "REUSE": lambda value: REUSED + _installed("REUSE", value),
    "SKIP": lambda value: SKIPPED + _installed("SKIP", value),
    "LOCALE": _locale,
    "OPTIONAL_RATIO": _optional_ratio,
    "BATCH_SIZE": _batch_size,
    "PRODUCTION": _production,
    "LOCK_TIMEOUT": _lock_timeout,
    "NOW": _moment,
    "CHOICES": _choices,
}
