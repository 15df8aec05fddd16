"""
The values a column may hold when its check constraints list them: a
membership test is a choice list (``unit__in=[...]``), and so is a
disjunction of memberships, equalities and ``isnull`` tests. The column then
draws from that list (values.Choices) instead of being repaired row by row.
"""

from django.db.models import CheckConstraint, Q

from .constraints import comparable


def listed_values(field):
    """
    The values ``field`` may hold when its check constraints list them (a
    membership test, an equality, or a disjunction of those, perhaps with
    ``isnull``), in order and without repeats; None when they list none. A
    NULL passes every such test, so a nullable column may also be NULL.
    """
    names = {field.name, field.attname}
    listed = None
    for constraint in field.model._meta.constraints:
        if isinstance(constraint, CheckConstraint) and isinstance(
            constraint.condition, Q
        ):
            allowed = _listed(constraint.condition, names)
            if allowed is not None:
                allowed = [comparable(field, v) for v in allowed]
                listed = allowed if listed is None else [v for v in listed if v in allowed]
    return None if listed is None else list(dict.fromkeys(listed))


def _listed(q, names):
    """
    The values a condition lets a column named by ``names`` take, as a
    list; None when it lets any value through. A disjunction allows what
    any branch allows; a conjunction what every listing branch does.
    """
    if q.negated:
        return None
    found = []
    for child in q.children:
        if isinstance(child, Q):
            allowed = _listed(child, names)
        else:
            allowed = _listed_by_lookup(*child, names)
        if q.connector == Q.OR:
            if allowed is None:
                return None
            found.append(allowed)
        elif allowed is not None:
            found.append(allowed)
    if not found:
        return None
    if q.connector == Q.OR:
        return [v for allowed in found for v in allowed]
    return [v for v in found[0] if all(v in allowed for allowed in found[1:])]


def _listed_by_lookup(path, value, names):
    name, _, lookup = path.partition("__")
    if name not in names or hasattr(value, "resolve_expression"):
        return None
    if lookup == "in":
        return list(value)
    if lookup in ("", "exact") and value is not None:
        return [value]
    if lookup == "isnull" and value is True:
        return []  # Only NULL, which needs no value.
    return None
