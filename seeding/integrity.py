"""
What is wrong with the rows in the database: keys that point nowhere, unique
rules and check constraints broken, and the domain checks of seed modules.

Each rule is counted with one aggregate query; rows are never loaded, and a
few example keys are fetched only for a rule that is broken. The queries are
gathered first and then run, one after another or in threads. Nothing here
writes: each query runs in its own atomic block only so that one failing
query does not abort the others on PostgreSQL.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    CheckConstraint,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    UniqueConstraint,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast, Lower, Replace

from . import constraints
from .exceptions import one_line
from .introspection import (
    generic_foreign_keys,
    multi_column_relations,
    stored_on,
    through_owner,
)

#: Example primary keys or values given for a broken rule.
EXAMPLES = 5


def label(model):
    return model._meta.label if model is not None else None


def describe(exc):
    """An exception in one line: its class and its message."""
    message = one_line(exc)
    return "%s: %s" % (type(exc).__name__, message) if message else type(exc).__name__


def json_value(value):
    """Keys and values as JSON has them: numbers stay numbers."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@dataclass
class Orphans:
    """Rows of ``model`` whose ``field`` points at no row."""

    model: type
    field: str
    kind: str
    target: type | None
    rows: int | None = 0
    examples: list = field(default_factory=list)
    #: For a generic foreign key: [(content type label, rows)] where rows > 0.
    content_types: list = field(default_factory=list)
    error: str | None = None

    @property
    def problem(self):
        return bool(self.rows) or self.error is not None

    def __str__(self):
        target = label(self.target) or "any model"
        return "%s.%s -> %s" % (label(self.model), self.field, target)

    def as_dict(self):
        data = {
            "model": label(self.model),
            "field": self.field,
            "kind": self.kind,
            "target": label(self.target),
            "orphans": self.rows,
            "examples": self.examples,
            "error": self.error,
        }
        if self.kind == "generic foreign key":
            data["content_types"] = [
                {"content_type": name, "orphans": rows}
                for name, rows in self.content_types
            ]
        return data


@dataclass
class Duplicates:
    """Groups of rows of ``model`` that repeat the values of a unique set."""

    model: type
    fields: tuple
    groups: int | None = 0
    rows: int | None = 0
    examples: list = field(default_factory=list)
    error: str | None = None

    @property
    def problem(self):
        return bool(self.groups) or self.error is not None

    def __str__(self):
        return "%s (%s)" % (label(self.model), ", ".join(self.fields))

    def as_dict(self):
        return {
            "model": label(self.model),
            "fields": list(self.fields),
            "groups": self.groups,
            "rows": self.rows,
            "examples": self.examples,
            "error": self.error,
        }


@dataclass
class BrokenCheck:
    """Rows of ``model`` for which a CheckConstraint's condition is false."""

    model: type
    name: str
    rows: int | None = 0
    examples: list = field(default_factory=list)
    error: str | None = None

    @property
    def problem(self):
        return bool(self.rows) or self.error is not None

    def __str__(self):
        return "%s %s" % (label(self.model), self.name)

    def as_dict(self):
        return {
            "model": label(self.model),
            "name": self.name,
            "rows": self.rows,
            "examples": self.examples,
            "error": self.error,
        }


@dataclass
class DatabaseCheck:
    """The backend's own foreign key check, where it has one."""

    available: bool
    message: str | None = None

    @property
    def problem(self):
        return self.message is not None

    def as_dict(self):
        passed = None if not self.available else self.message is None
        return {"available": self.available, "passed": passed, "message": self.message}


@dataclass
class CheckResult:
    """The outcome of one domain check registered by a seed module."""

    check: object
    rows: int | None = 0
    examples: list = field(default_factory=list)
    error: str | None = None

    @property
    def status(self):
        if self.error is not None:
            return "error"
        return "fail" if self.rows else "pass"

    @property
    def problem(self):
        return self.status != "pass"

    def as_dict(self):
        return {
            "name": self.check.name,
            "description": self.check.description,
            "module": self.check.module,
            "status": self.status,
            "rows": self.rows,
            "examples": self.examples,
            "error": self.error,
        }


@dataclass
class Integrity:
    relations: list
    unique: list
    check_constraints: list
    database: DatabaseCheck

    @property
    def problems(self):
        findings = [*self.relations, *self.unique, *self.check_constraints]
        return sum(f.problem for f in findings) + self.database.problem

    def as_dict(self):
        return {
            "relations": [r.as_dict() for r in self.relations],
            "unique": [d.as_dict() for d in self.unique],
            "check_constraints": [c.as_dict() for c in self.check_constraints],
            "database": self.database.as_dict(),
        }


def check_integrity(using, models, queries):
    """
    Return the Integrity of the rows of ``models`` (whose tables exist); its
    findings are filled in by the calls appended to ``queries``.
    """
    relations, unique, checks = [], [], []

    def add(findings, finding, query):
        findings.append(finding)
        queries.append(query)

    tables = sorted({m._meta.db_table for m in models})
    database = DatabaseCheck(_has_check(using))
    if database.available:
        # First: it is one long query, and the rest fill in around it.
        queries.append(partial(_database_check, using, tables, database))
    for model in models:
        for relation in _relations(model):
            if _stored(using, relation.related_model):
                add(relations, *_orphans(using, model, relation))
        for gfk in generic_foreign_keys(model):
            add(relations, *_dangling(using, model, gfk))
        for names in constraints.unique_sets(model):
            add(unique, *_duplicates(using, model, names))
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                add(checks, *_broken(using, model, constraint))
    return Integrity(relations, unique, checks, database)


def run_queries(using, queries, workers=1):
    """
    Run ``queries``, in ``workers`` threads with a connection each when more
    than one is asked for. A caller inside a transaction, or on a private
    in-memory SQLite database, gets them run on its own connection: other
    connections would not see its rows.
    """
    connection = connections[using]
    name = connection.settings_dict["NAME"]
    private = connection.vendor == "sqlite" and name == ":memory:"
    if workers <= 1 or connection.in_atomic_block or private:
        for query in queries:
            query()
        return
    pending, lock = iter(queries), threading.Lock()

    def work():
        try:
            while True:
                with lock:
                    query = next(pending, None)
                if query is None:
                    return
                query()
        finally:
            connections[using].close()

    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()


def _relations(model):
    # Local fields only: an inherited key is checked once, on its own table.
    return [
        f
        for f in model._meta.local_concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one)
    ] + [f for f in multi_column_relations(model) if f.model is model]


def _stored(using, model):
    return stored_on(using, model._meta.concrete_model)


def _kind(model, relation):
    if through_owner(model) is not None:
        return "many-to-many"
    if not relation.concrete:
        return "multi-column relation"
    return "one-to-one" if relation.one_to_one else "foreign key"


def _guarded(using, finding, count):
    """(finding, the query that runs ``count(finding)``, a database error
    becoming the finding's error)."""
    return finding, partial(_run_guarded, using, finding, count)


def _run_guarded(using, finding, count):
    try:
        with transaction.atomic(using=using):
            count(finding)
    except DatabaseError as exc:
        finding.rows, finding.examples = None, []
        if isinstance(finding, Duplicates):
            finding.groups = None
        if isinstance(finding, Orphans):
            finding.content_types = []
        finding.error = describe(exc)


def _tally(finding, rows):
    """Count ``rows`` into ``finding``, with a few example keys when any."""
    finding.rows = rows.count()
    if finding.rows:
        finding.examples = _keys(rows)


def _keys(rows):
    pks = rows.order_by("pk").values_list("pk", flat=True)[:EXAMPLES]
    return [json_value(pk) for pk in pks]


def _orphans(using, model, relation):
    target = relation.related_model
    finding = Orphans(model, relation.name, _kind(model, relation), target)
    # One pair of columns for a foreign key, several for a ForeignObject.
    pairs = [(f.attname, t.attname) for f, t in relation.related_fields]
    matches = target._base_manager.using(using).filter(
        **{theirs: OuterRef(ours) for ours, theirs in pairs}
    )
    rows = (
        model._base_manager.using(using)
        .filter(**{f"{ours}__isnull": False for ours, _ in pairs})
        .filter(~Exists(matches))
    )

    return _guarded(using, finding, partial(_tally, rows=rows))


def _dangling(using, model, gfk):
    """Rows whose (content type, object id) names no row, one query per type."""
    finding = Orphans(model, gfk.name, "generic foreign key", None)
    type_field = model._meta.get_field(gfk.ct_field)
    id_field = model._meta.get_field(gfk.fk_field)
    rows = model._base_manager.using(using).filter(
        **{f"{type_field.attname}__isnull": False, f"{id_field.attname}__isnull": False}
    )

    def count(finding):
        present = rows.order_by().values_list(type_field.attname, flat=True).distinct()
        finding.rows = 0
        for type_id in sorted(present):
            name, target = _content_type(using, type_id)
            pointing = rows.filter(**{type_field.attname: type_id})
            if target is not None:
                if not _stored(using, target):
                    continue
                own, theirs = _match(using, target, id_field)
                matches = target._base_manager.using(using).alias(_key=theirs)
                pointing = pointing.filter(~Exists(matches.filter(_key=own)))
            dangling = pointing.count()
            if dangling:
                finding.rows += dangling
                finding.content_types.append((name, dangling))
                if len(finding.examples) < EXAMPLES:
                    finding.examples += _keys(pointing)[
                        : EXAMPLES - len(finding.examples)
                    ]

    return _guarded(using, finding, count)


def _content_type(using, type_id):
    """(label, model class or None) for a content type id, read, never created."""
    try:
        content_type = ContentType.objects.db_manager(using).get_for_id(type_id)
    except ContentType.DoesNotExist:
        return f"#{type_id} (no such content type)", None
    target = content_type.model_class()
    if target is None:
        return f"{content_type.app_label}.{content_type.model} (no such model)", None
    return target._meta.label, target


def _match(using, target, id_field):
    """
    Expressions (this row's side, the target's side) that are equal when the
    object id names the target's row.

    Django's own rule for joining an object id column with a primary key says
    whether the database compares differing types itself (SQLite, MySQL) or
    needs a cast (PostgreSQL). The cast goes on the key, to the object id's
    type, so that a malformed object id is a mismatch, never an error.
    """
    connection = connections[using]
    pk = target._meta.pk
    own = OuterRef(id_field.attname)
    _, theirs = connection.ops.prepare_join_on_clause(None, id_field, None, pk)
    is_uuid = isinstance(pk, UUIDField) and not isinstance(id_field, UUIDField)
    if isinstance(theirs, Cast):
        # A UUID cast to text is lowercase and hyphenated, as str(uuid) is.
        return (Lower(own) if is_uuid else own), Cast("pk", output_field=id_field)
    if is_uuid and not connection.features.has_native_uuid_field:
        # Stored as 32 hex digits; str(uuid) put hyphens in the object id.
        return Replace(Lower(own), Value("-"), Value("")), F("pk")
    return own, F("pk")


def _duplicates(using, model, names):
    finding = Duplicates(model, tuple(names))
    rows = model._base_manager.using(using)
    # GROUP BY puts NULLs together: right where they count as equal, and
    # elsewhere a NULL repeats nothing.
    if frozenset(names) not in constraints.nulls_equal_sets(model, connections[using]):
        rows = rows.filter(**{f"{name}__isnull": False for name in names})
    condition = _partial_conditions(model).get(tuple(names))
    if condition is not None:
        rows = rows.filter(condition)
    groups = (
        rows.order_by().values(*names).annotate(_rows=Count("*")).filter(_rows__gt=1)
    )

    def count(finding):
        totals = groups.aggregate(groups=Count("*"), rows=Sum("_rows"))
        finding.groups, finding.rows = totals["groups"], totals["rows"] or 0
        if finding.groups:
            finding.examples = [
                [json_value(v) for v in values]
                for values in groups.order_by(*names).values_list(*names)[:EXAMPLES]
            ]

    return _guarded(using, finding, count)


def _partial_conditions(model):
    """{attnames: condition} of UniqueConstraints that bind only some rows."""
    plain, partial = set(), {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.fields:
            names = tuple(model._meta.get_field(n).attname for n in constraint.fields)
            if constraint.condition is None:
                plain.add(names)
            else:
                partial[names] = constraint.condition
    return {names: q for names, q in partial.items() if names not in plain}


def _broken(using, model, constraint):
    finding = BrokenCheck(model, constraint.name)
    # A CHECK passes unless its condition is false: a NULL operand passes.
    # filter(~Q(...)) or exclude() would count such rows as broken.
    holds = ExpressionWrapper(Q(constraint.condition), output_field=BooleanField())
    rows = model._base_manager.using(using).alias(_holds=holds).filter(_holds=False)

    return _guarded(using, finding, partial(_tally, rows=rows))


def _has_check(using):
    connection = connections[using]
    return (
        type(connection).check_constraints is not BaseDatabaseWrapper.check_constraints
    )


def _database_check(using, tables, result):
    """Run the backend's check_constraints(); keep its complaint, if any."""
    try:
        with transaction.atomic(using=using):
            connections[using].check_constraints(table_names=tables)
    except IntegrityError as exc:
        result.message = one_line(exc)


def check_domain(ctx, checks, queries):
    """
    Return a CheckResult per domain check, filled in by the calls appended
    to ``queries``; a check that raises is that check's error. ``ctx`` is the
    CheckContext every check receives.
    """
    results = [CheckResult(check) for check in checks]
    queries += [partial(_run_check, ctx, result) for result in results]
    return results


def _run_check(ctx, result):
    try:
        with transaction.atomic(using=ctx.using):
            _tally(result, result.check.func(ctx))
    except Exception as exc:
        result.rows, result.examples = None, []
        result.error = describe(exc)
