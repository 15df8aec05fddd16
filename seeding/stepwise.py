"""
What a run reads again before each step rather than trusting its plan: rows
that appeared in the step's table since planning, which a database trigger
writes when the rows of another table are inserted (a full-text index filled
from its parent's rows).
"""

from .keys import root_of


def reread_rows(keys, step):
    """
    Count the rows of ``step``'s table again; when others appeared since the
    plan counted them, take them as existing rows: keys, unique values and
    one-to-one links then keep clear of them. ``keys`` is the run's keeper
    of keys, whose pools and allocations are read again.
    """
    model = step.model
    rows = model._base_manager.using(keys.using).count()
    if rows <= step.existing:
        return
    new = rows - step.existing
    step.notes.append(f"{new} rows appeared since planning (a trigger?)")
    step.existing = keys.plan.existing[model] = rows
    # Read again from the table when next asked for.
    keys.pools.pop(model, None)
    if root_of(model) is model:
        keys.next_pk.pop(model, None)
    pk = model._meta.pk
    if pk.one_to_one and not pk.remote_field.parent_link and step.count is not None:
        # A row per target at most: the targets left free are all it can have.
        free = len(keys.values_of(pk)) - rows
        step.count = max(0, min(step.count, free))
