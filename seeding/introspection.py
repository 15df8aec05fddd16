"""
Which models exist, which of them ``seed`` fills, and why the others are left.

Everything is read from the app registry and ``_meta``; only ``count_rows()``
reads the database.
"""

import enum

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.management.utils import parse_apps_and_model_labels
from django.db import connections, router
from django.db.models import ForeignObject, ManyToOneRel

from .exceptions import ConfigurationError


class Treatment(enum.StrEnum):
    RECIPE = "recipe"
    AUTO = "automatic"
    DEPENDENCY = "dependency"
    REUSED = "reused"
    FRAMEWORK = "framework"
    EXCLUDED = "excluded"
    NOT_SELECTED = "not selected"
    UNMANAGED = "unmanaged"
    OTHER_DATABASE = "other database"
    UNSUPPORTED = "not on this database"

    @property
    def seeded(self):
        return self in (Treatment.RECIPE, Treatment.AUTO, Treatment.DEPENDENCY)


#: Why a model of Treatment.UNSUPPORTED has no table, for the plan and report.
NO_TABLE = (
    "no table: the database lacks its Meta.required_db_vendor or required_db_features"
)


def all_models():
    """Every installed model with a table, auto-created M2M tables included,
    but seeding's own."""
    models = apps.get_models(include_auto_created=True)
    return sorted(
        (m for m in models if not m._meta.proxy and not own(m)),
        key=lambda m: m._meta.label,
    )


def own(model):
    """seeding's own bookkeeping (seeding.models): never seeded nor purged."""
    return model._meta.app_label == "seeding"


def parse_labels(labels):
    """Return the set of models named by 'app_label' or 'app_label.Model' labels."""
    try:
        models, app_configs = parse_apps_and_model_labels(labels)
    except Exception as exc:
        raise ConfigurationError(str(exc)) from None
    for app_config in app_configs:
        models.update(app_config.get_models(include_auto_created=True))
    return models


def through_owner(model):
    """The model whose ManyToManyField auto-created ``model``, or None."""
    return model._meta.auto_created or None


def classify(using, config, only=(), exclude=()):
    """
    Return {model: Treatment} for every installed model.

    ``only`` and ``exclude`` are labels; SEEDING's EXCLUDE, REUSE and SKIP
    apply as well. Models that the selection needs but nobody selected are
    decided later, by the planner, which knows the rows that exist.
    """
    excluded = parse_labels([*config.exclude, *exclude])
    reused = _known(config.reuse)
    skipped = _known(config.skip)
    selected = parse_labels(only) if only else None
    treatments = {}
    for model in all_models():
        owner = through_owner(model)
        if not model._meta.managed:
            treatment = Treatment.UNMANAGED
        elif not router.allow_migrate_model(using, model):
            treatment = Treatment.OTHER_DATABASE
        elif not model._meta.can_migrate(connections[using]):
            treatment = Treatment.UNSUPPORTED
        elif model in skipped:
            treatment = Treatment.FRAMEWORK
        elif model in reused:
            treatment = Treatment.REUSED
        elif model in excluded or owner in excluded:
            treatment = Treatment.EXCLUDED
        elif selected is not None and model not in selected and owner not in selected:
            treatment = Treatment.NOT_SELECTED
        else:
            treatment = Treatment.AUTO
        treatments[model] = treatment
    return treatments


def seedable(using, config):
    """The models seed may fill on ``using`` with no --only nor --exclude."""
    return [model for model, t in classify(using, config).items() if t.seeded]


def _known(labels):
    """Models for labels of apps that may not be installed (framework lists)."""
    models = set()
    for label in labels:
        try:
            models.add(apps.get_model(label))
        except LookupError:
            continue
    return models


def stored_on(using, model):
    """
    Whether ``model`` has a table on ``using``: managed, routed there, and
    not asking for a vendor or features the connection lacks, which
    ``migrate`` reads the same way (Options.can_migrate()).
    """
    return (
        model._meta.managed
        and router.allow_migrate_model(using, model)
        and model._meta.can_migrate(connections[using])
    )


def generic_foreign_keys(model):
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def forward_relations(model):
    """Concrete many-to-one and one-to-one fields, parent links included."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def multi_column_relations(model):
    """
    Relations with no column of their own (ForeignObject): a target row is
    named by several of the model's ordinary columns together.
    """
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, ForeignObject)
        and not f.concrete
        and (f.many_to_one or f.one_to_one)
    ]


def key_targets(model):
    """The fields of ``model`` that foreign and one-to-one keys point at."""
    return {
        rel.get_related_field()
        for rel in model._meta.get_fields(include_hidden=True)
        if isinstance(rel, ManyToOneRel)
    }


def count_rows(using, models):
    """
    Return {model: number of rows in its table}, in a query per hundred
    tables rather than one per model. A missing table is a DatabaseError.
    """
    connection = connections[using]
    tables = {}
    for model in models:
        tables.setdefault(model._meta.db_table, []).append(model)
    names = list(tables)
    counts = {}
    for start in range(0, len(names), ROW_COUNTS_PER_QUERY):
        chunk = names[start : start + ROW_COUNTS_PER_QUERY]
        counted = ", ".join(
            f"(SELECT COUNT(*) FROM {connection.ops.quote_name(name)})" for name in chunk
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counted}{connection.features.bare_select_suffix}")
            row = cursor.fetchone()
        for name, count in zip(chunk, row):
            counts.update(dict.fromkeys(tables[name], count))
    return counts


# Far below every backend's limit on the terms of one SELECT.
ROW_COUNTS_PER_QUERY = 100
