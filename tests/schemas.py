"""
Model schemas as plain data, turned into real models with tables, and removed
again.

A :class:`Schema` lists models by position; relations name their target by
index, so a schema reads the same whatever its models are called.
:func:`installed` registers the models in the ``corpus`` app as ``Gen_A``,
``Gen_B``, ..., creates their tables, yields the model classes, and always drops
the tables and unregisters the models afterwards, even when creating them
failed halfway (MySQL commits each DDL statement on its own).
"""

import contextlib
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models

APP_LABEL = "corpus"
PREFIX = "Gen"

INTEGERS = {
    "int": models.IntegerField,
    "smallint": models.SmallIntegerField,
    "bigint": models.BigIntegerField,
    "posint": models.PositiveIntegerField,
    "possmallint": models.PositiveSmallIntegerField,
    "posbigint": models.PositiveBigIntegerField,
}
PLAIN = {
    "text": models.TextField,
    "float": models.FloatField,
    "bool": models.BooleanField,
    "date": models.DateField,
    "datetime": models.DateTimeField,
    "time": models.TimeField,
    "duration": models.DurationField,
    "uuid": models.UUIDField,
    "json": models.JSONField,
    "email": models.EmailField,
    "slug": models.SlugField,
    "url": models.URLField,
    "ip": models.GenericIPAddressField,
    "char": models.CharField,
    "decimal": models.DecimalField,
    "choices": models.CharField,
    **INTEGERS,
}
#: Keyword arguments that the options of a Field pass to Django unchanged.
PASSED = ("max_length", "max_digits", "decimal_places", "protocol", "default", "blank")
RELATIONS = {
    "fk": models.ForeignKey,
    "o2o": models.OneToOneField,
    "m2m": models.ManyToManyField,
}
PRIMARY_KEYS = {
    "small_auto": lambda options: models.SmallAutoField(primary_key=True),
    "int": lambda options: models.IntegerField(primary_key=True),
    "uuid": lambda options: models.UUIDField(primary_key=True, default=uuid.uuid4),
    "char": lambda options: models.CharField(
        primary_key=True, max_length=options["max_length"]
    ),
}


@dataclass
class Field:
    """One field: a scalar kind, or a relation ("fk", "o2o", "m2m") to ``target``."""

    name: str
    kind: str
    null: bool = False
    unique: bool = False
    #: max_length, max_digits, decimal_places, protocol, default, blank,
    #: min/max (validators), choices, to_field, symmetrical, primary_key.
    options: dict = field(default_factory=dict)
    target: int | None = None


@dataclass
class Model:
    fields: list
    #: "auto" (DEFAULT_AUTO_FIELD), "small_auto", "int", "uuid" or "char";
    #: a one-to-one field with primary_key=True overrides it.
    pk: str = "auto"
    pk_options: dict = field(default_factory=dict)
    #: Sets of field names that must be unique together.
    unique_together: list = field(default_factory=list)
    #: Declare the sets as UniqueConstraints rather than unique_together.
    constraints: bool = False
    #: Rows to ask for; None leaves the count to the plan.
    count: int | None = None
    #: CheckConstraints as (field, lookup, other field's name or a constant).
    checks: list = field(default_factory=list)


@dataclass
class Schema:
    models: list
    seed: int = 0

    def source(self):
        """The schema as a models.py would declare it (letters for names)."""
        return "\n\n".join(_source(self, i) for i in range(len(self.models)))


def letter(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def django_field(spec, names, owner):
    """The Django field ``spec`` describes on model ``owner`` among ``names``."""
    options = {k: v for k, v in spec.options.items() if k in PASSED}
    if spec.kind in RELATIONS:
        return _relation(spec, names, owner)
    options["null"] = spec.null
    options["unique"] = spec.unique
    validators = []
    if "min" in spec.options:
        validators.append(MinValueValidator(spec.options["min"]))
    if "max" in spec.options:
        validators.append(MaxValueValidator(spec.options["max"]))
    if validators:
        options["validators"] = validators
    if "choices" in spec.options:
        options["choices"] = [
            (value, str(value).title()) for value in spec.options["choices"]
        ]
    if spec.kind == "choices" and isinstance(spec.options["choices"][0], int):
        return models.IntegerField(**options)
    return PLAIN[spec.kind](**options)


def _relation(spec, names, owner):
    target = f"{APP_LABEL}.{names[spec.target]}"
    # Unique reverse names: two keys to one model must not clash (fields.E304).
    related_name = f"rev_{owner.lower()}_{spec.name}"
    options = {}
    if spec.kind == "m2m":
        if "symmetrical" in spec.options:
            options["symmetrical"] = spec.options["symmetrical"]
        return models.ManyToManyField(
            target, blank=True, related_name=related_name, **options
        )
    for key in ("to_field", "primary_key"):
        if key in spec.options:
            options[key] = spec.options[key]
    return RELATIONS[spec.kind](
        target,
        on_delete=models.CASCADE,
        null=spec.null,
        blank=spec.null,
        unique=spec.unique if spec.kind == "fk" else True,
        related_name=related_name,
        **options,
    )


def build(schema):
    """Register the models of ``schema``; return the model classes in order."""
    # The same names every time: values are seeded by model label, so a schema
    # gets the same rows whichever tests ran before it.
    names = [f"{PREFIX}_{letter(i)}" for i in range(len(schema.models))]
    registered = apps.all_models[APP_LABEL]
    if any(name.lower() in registered for name in names):
        raise RuntimeError(
            f"Models {PREFIX}_* are still registered; an earlier schema was not removed."
        )
    built = []
    try:
        for index, spec in enumerate(schema.models):
            built.append(_model(spec, names[index], names))
    except BaseException:
        unregister(names)
        raise
    return built


def _model(spec, name, names):
    meta = {"app_label": APP_LABEL}
    if spec.unique_together and spec.constraints:
        meta["constraints"] = [
            models.UniqueConstraint(fields=list(fields), name=f"{name.lower()}_u{i}")
            for i, fields in enumerate(spec.unique_together)
        ]
    elif spec.unique_together:
        meta["unique_together"] = [tuple(fields) for fields in spec.unique_together]
    if spec.checks:
        meta["constraints"] = [
            *meta.get("constraints", []),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{left}__{lookup}": _operand(right)}),
                    name=f"{name.lower()}_c{i}",
                )
                for i, (left, lookup, right) in enumerate(spec.checks)
            ),
        ]
    attrs = {"__module__": __name__, "Meta": type("Meta", (), meta)}
    has_pk = any(f.options.get("primary_key") for f in spec.fields)
    if spec.pk in PRIMARY_KEYS and not has_pk:
        attrs["sku" if spec.pk == "char" else "id"] = PRIMARY_KEYS[spec.pk](
            spec.pk_options
        )
    for field_spec in spec.fields:
        attrs[field_spec.name] = django_field(field_spec, names, name)
    return type(name, (models.Model,), attrs)


def _operand(right):
    return models.F(right) if isinstance(right, str) else right


def unregister(names):
    """Remove the models called ``names`` and their M2M tables from the registry."""
    registered = apps.all_models[APP_LABEL]
    lowered = {n.lower() for n in names}
    for key in list(registered):
        # Auto-created through models are named <model>_<field>.
        if key in lowered or any(key.startswith(f"{n}_") for n in lowered):
            del registered[key]
    for key in list(apps._pending_operations):
        if key[0] == APP_LABEL and (key[1] in lowered):
            del apps._pending_operations[key]
    apps.clear_cache()


def tables(built):
    """Every table of the models, auto-created M2M tables first."""
    through = [
        f.remote_field.through
        for model in built
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]
    return [*through, *built]


def create_tables(built):
    with connection.schema_editor() as editor:
        for model in built:
            editor.create_model(model)


def drop_tables(built):
    """Drop whichever of the models' tables exist, whatever points at them."""
    existing = set(connection.introspection.table_names())
    names = [m._meta.db_table for m in tables(built) if m._meta.db_table in existing]
    if not names:
        return
    checks_off = connection.constraint_checks_disabled()
    with checks_off, connection.schema_editor() as editor:
        for name in names:
            editor.execute(editor.sql_delete_table % {"table": editor.quote_name(name)})


@contextlib.contextmanager
def installed(schema):
    """Yield the models of ``schema``, with tables; remove everything after."""
    built = build(schema)
    try:
        try:
            create_tables(built)
            yield built
        finally:
            drop_tables(built)
    finally:
        unregister([m.__name__ for m in built])


def _source(schema, index):
    spec = schema.models[index]
    lines = [f"class {letter(index)}(models.Model):"]
    has_pk = any(f.options.get("primary_key") for f in spec.fields)
    if spec.pk in PRIMARY_KEYS and not has_pk:
        length = spec.pk_options.get("max_length")
        declared = {
            "small_auto": "models.SmallAutoField(primary_key=True)",
            "int": "models.IntegerField(primary_key=True)",
            "uuid": "models.UUIDField(primary_key=True, default=uuid.uuid4)",
            "char": f"models.CharField(primary_key=True, max_length={length})",
        }[spec.pk]
        lines.append(f"    {'sku' if spec.pk == 'char' else 'id'} = {declared}")
    for f in spec.fields:
        lines.append(f"    {f.name} = {_field_source(f)}")
    meta = []
    if spec.unique_together and spec.constraints:
        meta.append(
            "        constraints = ["
            + ", ".join(
                f"UniqueConstraint(fields={list(u)!r})" for u in spec.unique_together
            )
            + "]"
        )
    elif spec.unique_together:
        meta.append(
            f"        unique_together = {[tuple(u) for u in spec.unique_together]!r}"
        )
    for left, lookup, right in spec.checks:
        operand = f"F({right!r})" if isinstance(right, str) else repr(right)
        condition = f"Q({left}__{lookup}={operand})"
        meta.append(f"        # CheckConstraint(condition={condition})")
    if meta:
        lines += ["", "    class Meta:", *meta]
    count = "planned" if spec.count is None else spec.count
    lines.insert(0, f"# rows: {count}")
    return "\n".join(lines)


def _field_source(spec):
    args = []
    if spec.kind in RELATIONS:
        args.append(repr(letter(spec.target)))
        klass = RELATIONS[spec.kind].__name__
        if spec.kind != "m2m":
            args.append("on_delete=models.CASCADE")
    else:
        klass = PLAIN[spec.kind].__name__
        if spec.kind == "choices" and isinstance(spec.options["choices"][0], int):
            klass = "IntegerField"
    if spec.null:
        args.append("null=True")
    if spec.unique and spec.kind not in ("o2o", "m2m"):
        args.append("unique=True")
    for key, value in spec.options.items():
        if key in ("min", "max"):
            continue
        if key == "choices":
            value = [(v, str(v).title()) for v in value]
        args.append(f"{key}={value!r}")
    validators = [
        f"{cls}({spec.options[key]!r})"
        for key, cls in (("min", "MinValueValidator"), ("max", "MaxValueValidator"))
        if key in spec.options
    ]
    if validators:
        args.append(f"validators=[{', '.join(validators)}]")
    return f"models.{klass}({', '.join(args)})"
