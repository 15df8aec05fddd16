"""
Models a run leaves out rather than fail: one model that cannot be seeded
must not cost the others their rows. The plan leaves out the models its
feasibility checks refuse; the engine, those whose rows fail, rolled back to
a savepoint. Either way the models that cannot do without them go too, and
each skip names its reason and a one-line fix.
"""

from dataclasses import dataclass

from django.db import transaction

from .exceptions import SeedFailed
from .graph import UnbreakableCycle
from .introspection import forward_relations
from .safety import is_lock_timeout


@dataclass
class Skip:
    """A model left out of the run, why, and what would let it in."""

    model: type
    reason: str
    fix: str

    @property
    def label(self):
        return self.model._meta.label

    def as_dict(self):
        return {"model": self.label, "reason": self.reason, "fix": self.fix}


def needed(model, skipped, has_rows):
    """The skipped model that ``model`` cannot do without, or None: a parent
    of multi-table inheritance, or the target of a required key that has no
    rows to point at."""
    for parent in model._meta.get_parent_list():
        if parent in skipped:
            return parent
    for relation in forward_relations(model):
        target = relation.related_model._meta.concrete_model
        if target in skipped and not relation.null and not has_rows(target):
            return target
    return None


def dependent_skip(model, cause):
    label = cause._meta.label
    return Skip(
        model,
        f"needs rows of {label}, which was skipped",
        f"seeded once {label} is",
    )


def failed_skip(model, error):
    return Skip(model, error, f"-e {model._meta.label}, or a seed module for it")


def without_cycles(models, order, skipped):
    """
    ``order(models)``, a DependencyGraph, with the models of each cycle that
    no key can break left out, as skips added to ``skipped``.
    """
    models = list(models)
    while True:
        try:
            return order(models)
        except UnbreakableCycle as exc:
            cycle = dict.fromkeys(exc.cycle)
            for model in cycle:
                label = model._meta.label
                fix = f"a count in its seed module instead of rows(), or -e {label}"
                skipped.append(Skip(model, str(exc), fix))
            models = [model for model in models if model not in cycle]


def leave_out(plan, check):
    """
    Take the models the plan refused (``plan.refused``) out of it, and those
    that need a model left out, as skips; ``check()`` runs the feasibility
    checks again, which may refuse more (a key that now has nothing to point
    at).
    """
    while True:
        for model, (reason, fix) in plan.refused.items():
            plan.skipped.append(Skip(model, reason, fix))
        left = {skip.model for skip in plan.skipped}
        has_rows = lambda model: bool(plan.existing.get(model))  # noqa: E731
        kept = []
        for step in plan.steps:
            if step.model in left:
                continue
            cause = needed(step.model, left, has_rows)
            if cause is not None:
                plan.skipped.append(dependent_skip(step.model, cause))
                left.add(step.model)
            else:
                kept.append(step)
        if len(kept) == len(plan.steps):
            return
        plan.steps = kept
        check()


def skip_table(skips):
    """The skips as lines of text: model, reason, fix."""
    if not skips:
        return []
    width = max(len(skip.label) for skip in skips)
    lines = []
    for skip in skips:
        reason = " ".join(str(skip.reason).split())
        lines.append(f"  {skip.label:<{width}}  {reason}")
        lines.append(f"  {'':<{width}}  fix: {skip.fix}")
    return lines


def attempt(keys, step, insert, strict):
    """
    ``insert()`` the rows of ``step`` and return what it returns. Unless
    ``strict``, under a savepoint: a failure rolls the step back and becomes
    a skip (None is returned), unless rows already written point at the keys
    the step was to insert. ``keys`` is the run's keeper of keys: its plan,
    the models done, and the previews of keys to come.
    """
    if strict:
        return insert()
    try:
        with transaction.atomic(using=keys.using):
            return insert()
    except SeedFailed as exc:
        if is_lock_timeout(exc):
            # Another session's lock, not the model's fault: the run ends.
            raise
        pointing = [
            edge
            for edge in keys.plan.graph.forward
            if edge.target is step.model
            and edge.model in keys.done
            and not edge.nullable
        ]
        if pointing:
            why = f"rows of {pointing[0]} point at its keys"
            raise SeedFailed(f"{exc} ({why})") from exc
        keys.plan.skipped.append(failed_skip(step.model, str(exc)))
        keys.previews.pop(step.model, None)
        return None
