"""
The order in which models are seeded, from the graph of their relations.

Nodes are model classes; a model depends on the targets of its foreign keys,
one-to-one fields and parent links. graphlib sorts them; a cycle is broken at
an edge whose rows can still be written:

- a nullable edge: the rows are inserted with NULL and the key is back-filled
  once the target's rows exist;
- otherwise a required edge whose target's primary keys are known before its
  rows are inserted: the keys point forward, which the database accepts
  because Django creates foreign keys deferrable (PostgreSQL, SQLite) or
  because the engine switches checks off around those inserts (MySQL).

Self-references are not edges: a row points at rows of its model that already
exist, the first of a required self-reference at itself.
"""

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from .introspection import (
    forward_relations,
    generic_foreign_keys,
    multi_column_relations,
)


@dataclass(frozen=True)
class Edge:
    model: type
    field: object  # None for the soft edges below
    target: type
    #: A soft edge only improves the choice of targets (MTI children, GFK
    #: targets, relations over several columns, which the database does not
    #: enforce); breaking it costs nothing.
    soft: bool = False

    @property
    def nullable(self):
        return self.field is None or self.field.null

    def __str__(self):
        name = self.field.name if self.field is not None else "*"
        return f"{self.model._meta.label}.{name} -> {self.target._meta.label}"


class UnbreakableCycle(Exception):
    def __init__(self, cycle, edges):
        self.cycle = cycle
        self.edges = edges
        super().__init__(
            "Foreign keys form a cycle with no nullable key: "
            + ", ".join(str(e) for e in edges)
            + ". Make one of these fields null=True, or give the seed module "
            "a count for each model of the cycle."
        )


class DependencyGraph:
    """
    ``order`` lists the models parents first; ``forward`` holds the broken
    edges; ``self_references`` the fields pointing at their own model.
    """

    def __init__(self, models, can_point_forward=lambda edge: True, after=None):
        self.models = sorted(models, key=lambda m: m._meta.label)
        nodes = set(self.models)
        self.edges = []
        self.self_references = []
        for model in self.models:
            for field in forward_relations(model):
                target = field.related_model._meta.concrete_model
                if target is model:
                    self.self_references.append(field)
                elif target in nodes:
                    self.edges.append(Edge(model, field, target))
                    self.edges.extend(
                        Edge(model, None, child, soft=True)
                        for child in _mti_descendants(target, nodes)
                        if child is not model
                    )
            for relation in multi_column_relations(model):
                target = relation.related_model._meta.concrete_model
                if target in nodes and target is not model:
                    self.edges.append(Edge(model, None, target, soft=True))
            if generic_foreign_keys(model):
                self.edges.extend(
                    Edge(model, None, target, soft=True)
                    for target in self.models
                    if target is not model
                )
        # Orderings a seed module asked for (Seed.after): soft, since no key
        # depends on them, but kept unless they close a cycle.
        for model, targets in (after or {}).items():
            self.edges.extend(
                Edge(model, None, t, soft=True) for t in targets if t in nodes and t is not model
            )
        self.forward = []
        self.broken = set()
        self.order = self._sort(can_point_forward)

    def _sort(self, can_point_forward):
        live = list(self.edges)
        while True:
            sorter = TopologicalSorter()
            for model in self.models:
                sorter.add(model)
            for edge in live:
                sorter.add(edge.model, edge.target)
            try:
                return list(sorter.static_order())
            except CycleError as exc:
                cycle = exc.args[1]
            broken = self._break(cycle, live, can_point_forward)
            live = [e for e in live if e not in broken]
            self.broken.update(broken)
            self.forward.extend(e for e in broken if not e.soft)

    def _break(self, cycle, live, can_point_forward):
        # graphlib reports [a, b, ..., a] where each node is a predecessor
        # of the next: the next one depends on it.
        links = []
        for target, model in zip(cycle, cycle[1:]):
            links.append([e for e in live if e.model is model and e.target is target])
        for acceptable in (
            lambda edges: all(e.soft for e in edges),
            lambda edges: all(e.nullable for e in edges),
            lambda edges: all(e.nullable or can_point_forward(e) for e in edges),
        ):
            for edges in links:
                if edges and acceptable(edges):
                    return edges
        raise UnbreakableCycle(cycle, [e for edges in links for e in edges])

    def layers(self):
        """Groups of models that depend only on earlier groups."""
        sorter = TopologicalSorter()
        for model in self.models:
            sorter.add(model)
        for edge in self.edges:
            if edge not in self.broken:
                sorter.add(edge.model, edge.target)
        sorter.prepare()
        layers = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready(), key=lambda m: m._meta.label)
            layers.append(ready)
            sorter.done(*ready)
        return layers


def _mti_descendants(model, nodes):
    return [
        other
        for other in nodes
        if other is not model and model in other._meta.get_parent_list()
    ]
