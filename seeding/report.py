"""
What is in a database, how ``seed`` treats each model, and what is wrong.

:func:`build_report` returns a :class:`Report`, plain data that prints
nothing; ``Report.as_dict()`` is the JSON form that ``seed_report --format
json`` writes, described by ``docs/report-schema.json``. :func:`to_dot` and
:func:`to_mermaid` draw the foreign key graph. Nothing here writes to the
database.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

from . import registry as registries
from .exceptions import SeedingError
from .graph import DependencyGraph
from .integrity import Integrity, check_domain, check_integrity, label, run_queries
from .introspection import (
    NO_TABLE,
    Treatment,
    classify,
    count_rows,
    parse_labels,
    through_owner,
)
from .plan import build_plan

#: The version of the JSON form; it changes only when a field changes meaning
#: or disappears. Fields may be added within a version.
VERSION = 1

REASONS = {
    Treatment.RECIPE: "a seed module's recipe",
    Treatment.AUTO: "generated from the model's fields",
    Treatment.DEPENDENCY: "generated because a selected model needs it",
    Treatment.REUSED: "existing rows are linked, none added (SEEDING['REUSE'])",
    Treatment.FRAMEWORK: "filled by the framework only (SEEDING['SKIP'])",
    Treatment.EXCLUDED: "excluded (--exclude or SEEDING['EXCLUDE'])",
    Treatment.NOT_SELECTED: "not named by --only",
    Treatment.UNMANAGED: "unmanaged (Meta.managed = False)",
    Treatment.OTHER_DATABASE: "routed to another database",
    Treatment.UNSUPPORTED: NO_TABLE,
}


@dataclass
class TableCount:
    model: type
    #: None when the table does not exist (migrations not applied).
    rows: int | None

    def as_dict(self):
        return {
            "model": label(self.model),
            "table": self.model._meta.db_table,
            "rows": self.rows,
        }


@dataclass
class Coverage:
    model: type
    treatment: Treatment
    module: str | None = None
    #: The skips.Skip that seed's plan predicts for the model, if any.
    skipped: object = None

    @property
    def reason(self):
        if self.module is not None:
            return f"recipe in {self.module}"
        return REASONS[self.treatment]

    def as_dict(self):
        return {
            "model": label(self.model),
            "treatment": self.treatment.value,
            "seeded": self.treatment.seeded,
            "module": self.module,
            "reason": self.reason,
            "skipped": self.skipped.as_dict() if self.skipped else None,
        }


@dataclass
class Report:
    using: str
    vendor: str
    tables: list
    coverage: list
    graph: DependencyGraph
    cycles: list
    integrity: Integrity
    checks: list

    @property
    def problems(self):
        """Integrity findings plus failing or erroring domain checks."""
        return self.integrity.problems + sum(c.problem for c in self.checks)

    @property
    def rows(self):
        return sum(t.rows or 0 for t in self.tables)

    def apps(self):
        """[(app_label, rows, [TableCount])] in the order of the tables."""
        grouped = defaultdict(list)
        for table in self.tables:
            grouped[table.model._meta.app_label].append(table)
        return [
            (app, sum(t.rows or 0 for t in tables), tables)
            for app, tables in grouped.items()
        ]

    def as_dict(self):
        return {
            "version": VERSION,
            "database": {"alias": self.using, "vendor": self.vendor},
            "tables": {
                "rows": self.rows,
                "apps": [
                    {"app": app, "rows": rows, "models": [t.as_dict() for t in tables]}
                    for app, rows, tables in self.apps()
                ],
            },
            "coverage": [c.as_dict() for c in self.coverage],
            "graph": graph_dict(self.graph, self.cycles),
            "integrity": self.integrity.as_dict(),
            "checks": [c.as_dict() for c in self.checks],
            "problems": self.problems,
        }


def build_report(using, config, only=(), exclude=(), registry=None, workers=1):
    """
    Return the Report of database ``using``; raise SeedingError for bad input.

    ``only`` and ``exclude`` are 'app_label' or 'app_label.Model' labels that
    limit the tables counted, drawn and checked; coverage lists every model.
    The integrity and domain checks run in ``workers`` threads.
    """
    if registry is None:
        registry = registries.site
    registries.autodiscover(registry)
    seeds = registry.seeds()
    treatments = classify(using, config, only, exclude)
    coverage = []
    for model, treatment in treatments.items():
        seed = seeds.get(model)
        if seed is not None and treatment is Treatment.AUTO:
            coverage.append(Coverage(model, Treatment.RECIPE, seed.module))
        else:
            coverage.append(Coverage(model, treatment))

    skips = predicted_skips(using, config, only, exclude)
    for entry in coverage:
        entry.skipped = skips.get(entry.model)

    scope = in_scope(treatments, only, exclude)
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    counts = count_rows(using, [m for m in scope if m._meta.db_table in existing])
    tables = [TableCount(m, counts.get(m)) for m in scope]
    drawn = [
        m for m in scope if treatments[m].seeded or treatments[m] is Treatment.REUSED
    ]
    graph = DependencyGraph(drawn)
    present = [t.model for t in tables if t.rows is not None]
    queries = []
    integrity = check_integrity(using, present, queries)
    ctx = registries.CheckContext(using, config.now)
    checks = check_domain(ctx, checks_in_scope(registry.checks, scope), queries)
    run_queries(using, queries, workers)
    return Report(
        using=using,
        vendor=connection.vendor,
        tables=tables,
        coverage=coverage,
        graph=graph,
        cycles=cycles(graph),
        integrity=integrity,
        checks=checks,
    )


def predicted_skips(using, config, only=(), exclude=()):
    """{model: Skip} for the models a seed with the same selection would
    leave out, as its plan predicts; none when it cannot plan at all."""
    try:
        plan = build_plan(using, config, only=only, exclude=exclude, strict=False)
    except SeedingError:
        return {}
    return {skip.model: skip for skip in plan.skipped}


def in_scope(treatments, only=(), exclude=()):
    """The models stored on this database that the labels select, by label."""
    selected = parse_labels(only) if only else None
    excluded = parse_labels(exclude)
    scope = []
    for model, treatment in treatments.items():
        if treatment in (Treatment.UNMANAGED, Treatment.OTHER_DATABASE, Treatment.UNSUPPORTED):
            continue
        owner = through_owner(model)
        if model in excluded or owner in excluded:
            continue
        if selected is None or model in selected or owner in selected:
            scope.append(model)
    return sorted(scope, key=label)


def checks_in_scope(checks, scope):
    """The checks of the apps with a model in scope, and those of no app."""
    configs = {model._meta.app_config for model in scope}
    return [
        check
        for check in checks
        if apps.get_containing_app_config(check.module) in (None, *configs)
    ]


def cycles(graph):
    """The groups of models whose required foreign keys form a cycle."""
    targets = defaultdict(set)
    for edge in graph.edges:
        if not edge.soft:
            targets[edge.model].add(edge.target)
    reach = {model: _reachable(model, targets) for model in graph.models}
    found, seen = [], set()
    for model in graph.models:
        if model in seen or model not in reach[model]:
            continue
        members = [m for m in graph.models if m in reach[model] and model in reach[m]]
        seen.update(members)
        found.append(members)
    return found


def _reachable(model, targets):
    reached, stack = set(), list(targets[model])
    while stack:
        node = stack.pop()
        if node not in reached:
            reached.add(node)
            stack.extend(targets[node])
    return reached


def broken_in(graph, members):
    """The edges at which seed breaks the cycle through ``members``."""
    return [e for e in graph.forward if e.model in members and e.target in members]


def _edges(graph):
    """The graph's edges that come from a field, broken or not."""
    broken = set(graph.forward)
    return [(edge, edge in broken) for edge in graph.edges if not edge.soft]


def graph_dict(graph, found):
    return {
        "order": [label(m) for m in graph.order],
        "layers": [[label(m) for m in layer] for layer in graph.layers()],
        "edges": [
            {
                "model": label(edge.model),
                "field": edge.field.name,
                "target": label(edge.target),
                "nullable": edge.nullable,
                "broken": is_broken,
            }
            for edge, is_broken in _edges(graph)
        ],
        "self_references": [
            {"model": label(f.model), "field": f.name} for f in graph.self_references
        ],
        "cycles": [
            {
                "models": [label(m) for m in members],
                "broken_at": [str(e) for e in broken_in(graph, members)],
            }
            for members in found
        ],
    }


def _quote(text):
    """A DOT identifier: any text, double-quoted."""
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(graph):
    """The graph as Graphviz DOT: one cluster per app, broken edges dashed."""
    lines = [
        "digraph seeding {",
        "  rankdir=RL;",
        '  node [shape=box, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for app, models in _by_app(graph.models):
        lines.append("  subgraph %s {" % _quote("cluster_" + app))
        lines.append("    label=%s;" % _quote(app))
        lines.extend("    %s;" % _quote(label(model)) for model in models)
        lines.append("  }")
    for edge, is_broken in _edges(graph):
        style = ", style=dashed, color=red" if is_broken else ""
        lines.append(
            "  %s -> %s [label=%s%s];"
            % (
                _quote(label(edge.model)),
                _quote(label(edge.target)),
                _quote(edge.field.name),
                style,
            )
        )
    for field in graph.self_references:
        node = _quote(label(field.model))
        lines.append(
            "  %s -> %s [label=%s, style=dotted];" % (node, node, _quote(field.name))
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(model):
    """A Mermaid node id: letters, digits and underscores only."""
    return label(model).replace(".", "__")


def to_mermaid(graph):
    """The graph as a Mermaid flowchart: broken edges dotted."""
    lines = ["flowchart RL"]
    for app, models in _by_app(graph.models):
        lines.append("  subgraph %s" % app)
        lines.extend('    %s["%s"]' % (_node(model), label(model)) for model in models)
        lines.append("  end")
    for edge, is_broken in _edges(graph):
        arrow = "-.->" if is_broken else "-->"
        name = edge.field.name
        lines.append(
            "  %s %s|%s| %s" % (_node(edge.model), arrow, name, _node(edge.target))
        )
    for field in graph.self_references:
        node = _node(field.model)
        lines.append("  %s -.->|%s| %s" % (node, field.name, node))
    return "\n".join(lines) + "\n"


def _by_app(models):
    grouped = defaultdict(list)
    for model in models:
        grouped[model._meta.app_label].append(model)
    return sorted(grouped.items())
